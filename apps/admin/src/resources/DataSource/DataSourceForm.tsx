import {
  BooleanInput,
  NumberInput,
  PasswordInput,
  SimpleForm,
  TextInput,
  maxValue,
  minValue,
  required,
  useRecordContext,
  useTranslate,
} from "react-admin";
import type { DataSource } from "@pbms/graphql-types";
import { jsonText, parseJsonText } from "./dataSourceForm";

/** Refuses text that is not a JSON object (parseJsonText leaves such text as a string). */
const validateJsonObject = (value: unknown) =>
  typeof value === "string" ? "app.dataSource.validation.json" : undefined;

const JsonInput = ({ source, isRequired }: { source: string; isRequired?: boolean }) => (
  <TextInput
    source={source}
    multiline
    minRows={4}
    fullWidth
    format={jsonText}
    parse={parseJsonText}
    validate={isRequired ? [required(), validateJsonObject] : validateJsonObject}
    sx={{ "& textarea": { fontFamily: "monospace" } }}
  />
);

/** The write-only client secret: empty keeps the stored one. */
const SecretInput = () => {
  const record = useRecordContext<DataSource>();
  const translate = useTranslate();
  return (
    <PasswordInput
      source="clientSecret"
      autoComplete="new-password"
      helperText={
        record?.hasClientSecret
          ? translate("app.dataSource.secretStored")
          : translate("app.dataSource.secretNone")
      }
    />
  );
};

export const DataSourceForm = () => (
  <SimpleForm>
    <TextInput source="name" validate={required()} />
    <TextInput source="baseUrl" validate={required()} fullWidth />
    <TextInput source="tokenUrl" validate={required()} fullWidth />
    <TextInput source="clientId" validate={required()} />
    <SecretInput />
    <JsonInput source="searchCriteria" isRequired />
    <JsonInput source="fieldMapping" />
    <NumberInput
      source="pageSize"
      defaultValue={100}
      min={1}
      max={500}
      step={1}
      validate={[minValue(1), maxValue(500)]}
    />
    <NumberInput source="scheduleMinutes" min={1} step={1} validate={minValue(1)} />
    <BooleanInput source="enabled" defaultValue />
  </SimpleForm>
);
