import { Box, Typography } from "@mui/material";
import { type FieldProps, useFieldValue, useTranslate } from "react-admin";
import { formatJson } from "./formatJson";

/** Shows a JSON field of the record as indented JSON. */
export const JsonField = (props: FieldProps & { source: string }) => {
  const value: unknown = useFieldValue(props);
  const translate = useTranslate();
  const text = formatJson(value);
  if (text === undefined) {
    return (
      <Typography variant="body2" component="span">
        {translate("app.json.empty")}
      </Typography>
    );
  }
  return (
    <Box
      component="pre"
      sx={{
        m: 0,
        p: 1.5,
        borderRadius: 1,
        bgcolor: "action.hover",
        fontFamily: "monospace",
        fontSize: "0.8125rem",
        overflowX: "auto",
        maxHeight: 480,
      }}
    >
      {text}
    </Box>
  );
};
