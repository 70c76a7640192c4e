import { Datagrid, List, TextField } from "react-admin";
import { EnumField } from "../../components/EnumField";
import { useRowClickEdit } from "../../components/useRowClickEdit";
import { idTypeFilters } from "./idTypeFilters";

export const IdTypeList = () => {
  const rowClick = useRowClickEdit("IdType");
  return (
    <List filters={idTypeFilters} exporter={false} sort={{ field: "code", order: "ASC" }}>
      <Datagrid rowClick={rowClick} bulkActionButtons={false}>
        <TextField source="code" />
        <TextField source="name" />
        <TextField source="pattern" sortable={false} />
        <EnumField
          source="checksum"
          messageKey={(checksum) => `app.idType.checksum.${checksum}`}
          sortable={false}
        />
      </Datagrid>
    </List>
  );
};
