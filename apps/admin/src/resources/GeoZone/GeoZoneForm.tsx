import {
  AutocompleteInput,
  FormDataConsumer,
  RadioButtonGroupInput,
  ReferenceInput,
  SimpleForm,
  TextInput,
} from "react-admin";
import { levelChoices } from "./geoZoneLevels";
import { validateGeoZone } from "./geoZoneValidation";

/** A zone: code, name, level and, for a SMALL zone, the LARGE zone it lies in. */
export const GeoZoneForm = () => (
  <SimpleForm validate={validateGeoZone} defaultValues={{ level: "LARGE" }}>
    <TextInput source="code" />
    <TextInput source="name" />
    <RadioButtonGroupInput source="level" choices={levelChoices} />
    <FormDataConsumer<{ level?: string }>>
      {({ formData }) =>
        formData.level === "SMALL" ? (
          <ReferenceInput
            source="parentId"
            reference="GeoZone"
            filter={{ level: "LARGE" }}
            sort={{ field: "name", order: "ASC" }}
          >
            <AutocompleteInput sx={{ minWidth: 260 }} />
          </ReferenceInput>
        ) : null
      }
    </FormDataConsumer>
  </SimpleForm>
);
