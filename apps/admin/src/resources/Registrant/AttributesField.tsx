import { Box, Typography } from "@mui/material";
import type { AttributeDefinition } from "@pbms/graphql-types";
import { Labeled, useLocaleState, useRecordContext, useTranslate } from "react-admin";
import { attributeInputKind, attributesFor } from "./registrantForm";
import { useAttributeDefinitions } from "./useAttributeDefinitions";

function formatValue(
  definition: AttributeDefinition | undefined,
  value: unknown,
  locale: string,
  translate: (key: string) => string,
): string {
  switch (definition ? attributeInputKind(definition) : undefined) {
    case "boolean":
      return translate(
        value === true || value === "true" ? "app.registrant.boolean.true" : "app.registrant.boolean.false",
      );
    case "number":
    case "integer":
      return typeof value === "number" ? new Intl.NumberFormat(locale).format(value) : String(value);
    case "date": {
      const date = typeof value === "string" ? new Date(value) : undefined;
      return date && !Number.isNaN(date.getTime())
        ? date.toLocaleDateString(locale, { timeZone: "UTC" })
        : String(value);
    }
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

/**
 * The registrant's custom attributes, labelled and formatted by their definitions (in
 * definition order); values without a definition are shown by their code.
 */
export const AttributesField = (_props: { label?: string | false }) => {
  const record = useRecordContext<{ id: string; kind?: string; attributes?: Record<string, unknown> }>();
  const { definitions } = useAttributeDefinitions();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!record) return null;
  const values = record.attributes ?? {};
  const applicable = attributesFor(definitions, record.kind);
  const defined = new Set(applicable.map((definition) => definition.code));
  const entries: { key: string; label: string; text: string }[] = [
    ...applicable
      .filter((definition) => values[definition.code] !== undefined && values[definition.code] !== null)
      .map((definition) => ({
        key: definition.code,
        label: definition.label,
        text: formatValue(definition, values[definition.code], locale, translate),
      })),
    ...Object.entries(values)
      .filter(([code, value]) => !defined.has(code) && value !== null && value !== undefined)
      .map(([code, value]) => ({
        key: code,
        label: code,
        text: formatValue(undefined, value, locale, translate),
      })),
  ];
  if (entries.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate("app.registrant.noAttributes")}
      </Typography>
    );
  }
  return (
    <Box
      data-testid="registrant-attributes"
      sx={{ display: "grid", gap: 2, gridTemplateColumns: "repeat(auto-fill, minmax(220px, 1fr))" }}
    >
      {entries.map((entry) => (
        <Labeled key={entry.key} label={entry.label}>
          <Typography variant="body2" component="span">
            {entry.text}
          </Typography>
        </Labeled>
      ))}
    </Box>
  );
};
