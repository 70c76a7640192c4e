import { Datagrid, List, ReferenceField, TextField } from "react-admin";
import { EnumField } from "../../components/EnumField";
import { useRowClickEdit } from "../../components/useRowClickEdit";
import { geoZoneFilters } from "./geoZoneFilters";

export const GeoZoneList = () => {
  const rowClick = useRowClickEdit("GeoZone");
  return (
    <List filters={geoZoneFilters} exporter={false} sort={{ field: "code", order: "ASC" }}>
      <Datagrid rowClick={rowClick} bulkActionButtons={false}>
        <TextField source="code" />
        <TextField source="name" />
        <EnumField source="level" messageKey={(level) => `app.geoZone.level.${level}`} />
        <ReferenceField source="parentId" reference="GeoZone" link={false} sortable={false} />
      </Datagrid>
    </List>
  );
};
