import { Typography } from "@mui/material";
import { useRecordContext, useTranslate } from "react-admin";

/**
 * An enum value of the record, translated: `messageKey` gives the i18n key of a value,
 * e.g. `(level) => \`app.geoZone.level.${level}\``. Unknown values are shown as they are.
 */
export const EnumField = ({
  source,
  messageKey,
}: {
  source: string;
  messageKey: (value: string) => string;
  label?: string;
  sortable?: boolean;
  sortBy?: string;
}) => {
  const record = useRecordContext<Record<string, unknown>>();
  const translate = useTranslate();
  const value = record?.[source];
  if (typeof value !== "string" || value === "") return null;
  return (
    <Typography component="span" variant="body2">
      {translate(messageKey(value), { _: value })}
    </Typography>
  );
};
