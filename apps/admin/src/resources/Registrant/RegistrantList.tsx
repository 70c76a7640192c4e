import { useMemo } from "react";
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
  useCanAccess,
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

/** Filters that would confirm whose identifier or phone number a value is (the API refuses them to viewers). */
const PERSONAL_DATA_FILTERS = new Set(["identifier", "phone"]);

/** The registry's filters, without the identifier and phone filters for roles that see them masked. */
function useRegistrantFilters() {
  const { canAccess } = useCanAccess({ resource: "PersonalData", action: "search" });
  return useMemo(
    () =>
      canAccess
        ? registrantFilters
        : registrantFilters.filter(
            (input) => !PERSONAL_DATA_FILTERS.has((input.props as { source: string }).source),
          ),
    [canAccess],
  );
}

export const RegistrantList = () => {
  const filters = useRegistrantFilters();
  return (
    <List
      filters={filters}
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
};
