import { SelectInput, SimpleForm, TextInput } from "react-admin";
import { checksumChoices } from "./idTypeChecksums";
import { validateIdType } from "./idTypeValidation";

/** An identifier type: code, name, the format values must match and their check digit. */
export const IdTypeForm = () => (
  <SimpleForm validate={validateIdType} defaultValues={{ checksum: "NONE" }}>
    <TextInput source="code" />
    <TextInput source="name" />
    <TextInput source="pattern" helperText="app.idType.patternHelp" />
    <SelectInput source="checksum" choices={checksumChoices} />
  </SimpleForm>
);
