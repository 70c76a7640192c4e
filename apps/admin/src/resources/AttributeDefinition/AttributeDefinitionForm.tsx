import {
  BooleanInput,
  FormDataConsumer,
  NumberInput,
  SelectInput,
  SimpleForm,
  TextArrayInput,
  TextInput,
} from "react-admin";
import { appliesToChoices, typeChoices } from "./attributeDefinitionChoices";
import { validateAttributeDefinition } from "./attributeDefinitionValidation";

/**
 * A custom attribute of registrants. Its code and type cannot change once created
 * (eligibility rules use them): read-only when editing.
 */
export const AttributeDefinitionForm = ({ creating }: { creating: boolean }) => (
  <SimpleForm validate={validateAttributeDefinition} defaultValues={{ type: "TEXT", required: false }}>
    <TextInput source="code" readOnly={!creating} helperText="app.attributeDefinition.codeHelp" />
    <TextInput source="label" />
    <TextInput source="description" multiline fullWidth />
    <SelectInput source="type" choices={typeChoices} readOnly={!creating} />
    <SelectInput
      source="appliesTo"
      choices={appliesToChoices}
      emptyText="app.attributeDefinition.appliesToBoth"
    />
    <BooleanInput source="required" />
    <FormDataConsumer<{ type?: string }>>
      {({ formData }) =>
        formData.type === "ENUM" ? (
          <TextArrayInput source="enumValues" />
        ) : formData.type === "NUMBER" || formData.type === "INTEGER" ? (
          <>
            <NumberInput source="min" />
            <NumberInput source="max" />
          </>
        ) : null
      }
    </FormDataConsumer>
  </SimpleForm>
);
