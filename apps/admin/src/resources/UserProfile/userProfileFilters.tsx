import { SearchInput, SelectInput } from "react-admin";
import { appRoles, tokenRoleName } from "../../auth/access";

const roleChoices = appRoles.map((role) => ({ id: tokenRoleName(role), name: `app.roles.${role}` }));

export const userProfileFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices} alwaysOn />,
];
