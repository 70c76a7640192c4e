import SettingsIcon from "@mui/icons-material/Settings";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import { ListSubheader } from "@mui/material";
import { Menu as RaMenu, useCanAccess, useSidebarState, useTranslate } from "react-admin";
import { DEPARTMENT_SETTINGS_PATH } from "../resources/Department";
import { IMPORT_PATH } from "../resources/Import";

/**
 * The sidebar is site navigation, so it is a `<nav>` of links (react-admin's default is
 * an ARIA menu of menu items); browser tests find entries as links by their labels.
 */
const asLink = { role: "link" } as const;

/** A group heading of the sidebar, hidden while the sidebar is collapsed to icons. */
const GroupHeading = ({ label }: { label: string }) => {
  const translate = useTranslate();
  const [open] = useSidebarState();
  if (!open) return null;
  return (
    <ListSubheader component="div" disableSticky sx={{ lineHeight: 2.5, mt: 1, bgcolor: "transparent" }}>
      {translate(label)}
    </ListSubheader>
  );
};

/**
 * Dashboard, the registry (registrants, then its reference data), then administration:
 * the resources the user may list (ResourceItem asks authProvider.canAccess), and
 * department settings for those who may edit it.
 */
export const Menu = () => {
  const translate = useTranslate();
  const { canAccess: canEditDepartment } = useCanAccess({ resource: "Department", action: "edit" });
  const { canAccess: canImport } = useCanAccess({ resource: "Import", action: "create" });
  return (
    <RaMenu component="nav" role="navigation" aria-label={translate("app.menu.label")}>
      <RaMenu.DashboardItem {...asLink} />
      <GroupHeading label="app.menu.registry" />
      <RaMenu.ResourceItem name="Registrant" {...asLink} />
      {canImport ? (
        <RaMenu.Item
          to={IMPORT_PATH}
          primaryText="app.menu.import"
          leftIcon={<UploadFileIcon />}
          {...asLink}
        />
      ) : null}
      <RaMenu.ResourceItem name="DuplicateSet" {...asLink} />
      <RaMenu.ResourceItem name="DataSource" {...asLink} />
      <RaMenu.ResourceItem name="GeoZone" {...asLink} />
      <RaMenu.ResourceItem name="IdType" {...asLink} />
      <RaMenu.ResourceItem name="MembershipKind" {...asLink} />
      <RaMenu.ResourceItem name="AttributeDefinition" {...asLink} />
      <GroupHeading label="app.menu.administration" />
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
