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
import { hasValue, jsonText, parseJsonText } from "./dataSourceForm";

/** Refuses text that is not a JSON object (parseJsonText leaves such text as a string). */
const validateJsonObject = (value: unknown) =>
  typeof value === "string" ? "app.dataSource.validation.json" : undefined;

type Validator = (value: unknown, values: Record<string, unknown>) => string | undefined;

const JsonInput = ({
  source,
  isRequired,
  helperText,
  validate = [],
}: {
  source: string;
  isRequired?: boolean;
  helperText?: string;
  validate?: Validator[];
}) => (
  <TextInput
    source={source}
    multiline
    minRows={4}
    fullWidth
    format={jsonText}
    parse={parseJsonText}
    helperText={helperText}
    validate={[...(isRequired ? [required()] : []), validateJsonObject, ...validate]}
    sx={{ "& textarea": { fontFamily: "monospace" } }}
  />
);

/** Signatures are verified with the registry's keys URL or with pinned keys, not both. */
const validateOneKeySource: Validator = (value, values) =>
  hasValue(value) && hasValue(values.signatureJwksUrl) ? "app.dataSource.validation.oneKeySource" : undefined;

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
    <TextInput source="signatureJwksUrl" fullWidth helperText="app.dataSource.signatures.jwksUrlHelp" />
    <JsonInput
      source="signatureKeys"
      helperText="app.dataSource.signatures.keysHelp"
      validate={[validateOneKeySource]}
    />
  </SimpleForm>
);
