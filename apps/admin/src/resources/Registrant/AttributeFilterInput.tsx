import { Box } from "@mui/material";
import type { AttributeDefinition } from "@pbms/graphql-types";
import { DateInput, NumberInput, SelectInput, TextInput } from "react-admin";
import { useFormContext, useWatch } from "react-hook-form";
import { booleanFilterChoices, formatBooleanChoice, parseBooleanChoice } from "./attributeFilter";
import { attributeInputKind } from "./registrantForm";
import { useAttributeDefinitions } from "./useAttributeDefinitions";

type Size = "small" | "medium";

/** The value input of the picked attribute, fitting its type. */
const AttributeValueFilterInput = ({
  definition,
  source,
  size,
}: {
  definition: AttributeDefinition;
  source: string;
  size?: Size;
}) => {
  const common = { source, label: "app.registrant.attributeValue", size, helperText: false } as const;
  switch (attributeInputKind(definition)) {
    case "number":
      return <NumberInput {...common} />;
    case "integer":
      return <NumberInput {...common} step={1} />;
    case "boolean":
      return (
        <SelectInput
          {...common}
          choices={booleanFilterChoices}
          parse={parseBooleanChoice}
          format={formatBooleanChoice}
        />
      );
    case "select":
      return (
        <SelectInput
          {...common}
          choices={definition.enumValues.map((value) => ({ id: value, name: value }))}
          translateChoice={false}
        />
      );
    case "date":
      return <DateInput {...common} />;
    default:
      return <TextInput {...common} />;
  }
};

/**
 * Filter of the registry by one custom attribute: the registrar picks one of the
 * department's attribute definitions, then enters a value with the input its type calls
 * for. The filter holds `{ code, value }` (the data provider sends it as the API's
 * `attributes: { <code>: <value> }`); picking another attribute clears the value.
 */
export const AttributeFilterInput = ({
  source,
  size,
}: {
  source: string;
  size?: Size;
  alwaysOn?: boolean;
  label?: string;
}) => {
  const { definitions, isPending } = useAttributeDefinitions();
  const { setValue } = useFormContext();
  const code = useWatch({ name: `${source}.code` }) as unknown;
  const definition = definitions?.find((candidate) => candidate.code === code);
  return (
    <Box sx={{ display: "flex", alignItems: "flex-end", gap: 1 }} data-testid="attribute-filter">
      <SelectInput
        source={`${source}.code`}
        label={`resources.Registrant.fields.${source}`}
        choices={definitions ?? []}
        optionValue="code"
        optionText="label"
        translateChoice={false}
        isPending={isPending}
        size={size}
        helperText={false}
        onChange={() => setValue(`${source}.value`, "", { shouldDirty: true })}
      />
      {definition ? (
        <AttributeValueFilterInput
          key={definition.code}
          definition={definition}
          source={`${source}.value`}
          size={size}
        />
      ) : null}
    </Box>
  );
};
