import {
  CreateButton,
  Datagrid,
  DateField,
  FilterButton,
  List,
  NumberField,
  ReferenceField,
  SortButton,
  TextField,
  TopToolbar,
} from "react-admin";
import { EnumField } from "../../components/EnumField";
import { RegistrantExportButton } from "./RegistrantExportButton";
import { RegistrantPagination } from "./RegistrantPagination";
import { KindChip, StatusChip } from "./RegistrantFields";
import { registrantFilters } from "./registrantFilters";

const RegistrantListActions = () => (
  <TopToolbar>
    <SortButton fields={["name", "registrationDate", "birthDate"]} />
    <FilterButton />
    <CreateButton />
    <RegistrantExportButton />
  </TopToolbar>
);

export const RegistrantList = () => (
  <List
    filters={registrantFilters}
    actions={<RegistrantListActions />}
    exporter={false}
    sort={{ field: "name", order: "ASC" }}
    perPage={25}
    pagination={<RegistrantPagination />}
  >
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="name" />
      <KindChip source="kind" />
      <StatusChip source="status" />
      <NumberField source="age" sortable={false} />
      <EnumField source="sex" messageKey={(sex) => `app.registrant.sex.${sex}`} sortable={false} />
      <ReferenceField source="gazSmallId" reference="GeoZone" link={false} sortable={false} />
      <DateField source="registrationDate" />
    </Datagrid>
  </List>
);
