import { AutocompleteInput, NumberInput, ReferenceInput, SelectInput, TextInput } from "react-admin";
import { AttributeFilterInput } from "./AttributeFilterInput";
import { kindChoices, sexChoices, statusChoices } from "./registrantChoices";

/**
 * Filters of the registry (RegistrantFilter). The name search is typo-tolerant on the
 * server; the data provider sends the age range as whole years, lowest first, and the
 * picked attribute's value as `attributes`. `groupId` lists a group's current members,
 * `memberId` the groups a person currently belongs to.
 */
export const registrantFilters = [
  <TextInput key="q" source="q" alwaysOn />,
  <SelectInput key="kind" source="kind" choices={kindChoices} alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices} alwaysOn />,
  <SelectInput key="sex" source="sex" choices={sexChoices} />,
  <ReferenceInput
    key="gazLargeId"
    source="gazLargeId"
    reference="GeoZone"
    filter={{ level: "LARGE" }}
    sort={{ field: "name", order: "ASC" }}
  >
    <AutocompleteInput />
  </ReferenceInput>,
  <ReferenceInput
    key="gazSmallId"
    source="gazSmallId"
    reference="GeoZone"
    filter={{ level: "SMALL" }}
    sort={{ field: "name", order: "ASC" }}
  >
    <AutocompleteInput />
  </ReferenceInput>,
  <TextInput key="identifier" source="identifier" />,
  <TextInput key="phone" source="phone" />,
  <NumberInput key="age_gte" source="age_gte" min={0} step={1} />,
  <NumberInput key="age_lte" source="age_lte" min={0} step={1} />,
  <TextInput key="tag" source="tag" />,
  <AttributeFilterInput key="attribute" source="attribute" />,
  <ReferenceInput
    key="groupId"
    source="groupId"
    reference="Registrant"
    filter={{ kind: "GROUP" }}
    sort={{ field: "name", order: "ASC" }}
  >
    <AutocompleteInput />
  </ReferenceInput>,
  <ReferenceInput
    key="memberId"
    source="memberId"
    reference="Registrant"
    filter={{ kind: "INDIVIDUAL" }}
    sort={{ field: "name", order: "ASC" }}
  >
    <AutocompleteInput />
  </ReferenceInput>,
];
