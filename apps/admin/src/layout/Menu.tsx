import SettingsIcon from "@mui/icons-material/Settings";
import { Menu as RaMenu, useCanAccess, useTranslate } from "react-admin";
import { DEPARTMENT_SETTINGS_PATH } from "../resources/Department";

/**
 * The sidebar is site navigation, so it is a `<nav>` of links (react-admin's default is
 * an ARIA menu of menu items); browser tests find entries as links by their labels.
 */
const asLink = { role: "link" } as const;

/**
 * Dashboard, then the resources the user may list (ResourceItem asks
 * authProvider.canAccess), then department settings for those who may edit it.
 */
export const Menu = () => {
  const translate = useTranslate();
  const { canAccess: canEditDepartment } = useCanAccess({ resource: "Department", action: "edit" });
  return (
    <RaMenu component="nav" role="navigation" aria-label={translate("app.menu.label")}>
      <RaMenu.DashboardItem {...asLink} />
      <RaMenu.ResourceItem name="AuditEvent" {...asLink} />
      <RaMenu.ResourceItem name="Job" {...asLink} />
      <RaMenu.ResourceItem name="UserProfile" {...asLink} />
      {canEditDepartment ? (
        <RaMenu.Item
          to={DEPARTMENT_SETTINGS_PATH}
          primaryText="app.menu.departmentSettings"
          leftIcon={<SettingsIcon />}
          {...asLink}
        />
      ) : null}
    </RaMenu>
  );
};
