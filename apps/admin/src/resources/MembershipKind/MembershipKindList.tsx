import { BooleanField, Datagrid, List, TextField } from "react-admin";
import { useRowClickEdit } from "../../components/useRowClickEdit";
import { membershipKindFilters } from "./membershipKindFilters";

export const MembershipKindList = () => {
  const rowClick = useRowClickEdit("MembershipKind");
  return (
    <List filters={membershipKindFilters} exporter={false} sort={{ field: "code", order: "ASC" }}>
      <Datagrid rowClick={rowClick} bulkActionButtons={false}>
        <TextField source="code" />
        <TextField source="name" />
        <BooleanField source="uniquePerGroup" sortable={false} />
      </Datagrid>
    </List>
  );
};
