import { AutocompleteInput, ReferenceInput, SearchInput, SelectInput } from "react-admin";
import { levelChoices } from "./geoZoneLevels";

export const geoZoneFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="level" source="level" choices={levelChoices} alwaysOn />,
  <ReferenceInput
    key="parentId"
    source="parentId"
    reference="GeoZone"
    filter={{ level: "LARGE" }}
    sort={{ field: "name", order: "ASC" }}
  >
    <AutocompleteInput />
  </ReferenceInput>,
];
