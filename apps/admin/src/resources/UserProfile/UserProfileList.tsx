import { Datagrid, DateField, List, TextField } from "react-admin";
import { RolesField } from "./RolesField";
import { userProfileFilters } from "./userProfileFilters";

export const UserProfileList = () => (
  <List filters={userProfileFilters} exporter={false} sort={{ field: "username", order: "ASC" }}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="username" />
      <TextField source="name" />
      <RolesField source="roles" sortable={false} />
      <DateField source="lastSignInAt" showTime />
    </Datagrid>
  </List>
);
