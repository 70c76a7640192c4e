import { Box } from "@mui/material";
import type { AttributeDefinition } from "@pbms/graphql-types";
import { BooleanInput, DateInput, NumberInput, SelectInput, TextInput } from "react-admin";
import { useWatch } from "react-hook-form";
import { attributeInputKind, attributesFor } from "./registrantForm";

/** The input for one attribute, bound to `attributes.<code>` and labelled by its definition. */
export const AttributeInput = ({ definition }: { definition: AttributeDefinition }) => {
  const common = {
    source: `attributes.${definition.code}`,
    label: definition.label,
    helperText: definition.description ?? false,
  } as const;
  switch (attributeInputKind(definition)) {
    case "number":
      return <NumberInput {...common} min={definition.min ?? undefined} max={definition.max ?? undefined} />;
    case "integer":
      return (
        <NumberInput
          {...common}
          step={1}
          min={definition.min ?? undefined}
          max={definition.max ?? undefined}
        />
      );
    case "boolean":
      // Not required: left unset (unknown) until switched; required: starts as "no".
      return <BooleanInput {...common} defaultValue={definition.required ? false : null} />;
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

/** Inputs for the department's attributes that apply to the kind chosen in the form. */
export const AttributeInputs = ({ definitions }: { definitions: AttributeDefinition[] | undefined }) => {
  const kind = useWatch({ name: "kind" }) as string | undefined;
  const applicable = attributesFor(definitions, kind);
  return (
    <Box
      data-testid="attribute-inputs"
      sx={{ display: "grid", columnGap: 2, gridTemplateColumns: "repeat(auto-fill, minmax(240px, 1fr))" }}
    >
      {applicable.map((definition) => (
        <AttributeInput key={definition.code} definition={definition} />
      ))}
    </Box>
  );
};
