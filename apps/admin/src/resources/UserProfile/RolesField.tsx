import { Chip, Stack } from "@mui/material";
import { useRecordContext, useTranslate } from "react-admin";
import { normaliseRole } from "../../auth/access";

/** A user's roles as chips, with translated names for PBMS roles (others as-is). */
export const RolesField = (_props: { source?: string; label?: string; sortable?: boolean }) => {
  const record = useRecordContext<{ id: string; roles?: string[] }>();
  const translate = useTranslate();
  if (!record?.roles?.length) return null;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: "wrap" }} component="span">
      {record.roles.map((role) => (
        <Chip key={role} size="small" label={translate(`app.roles.${normaliseRole(role)}`, { _: role })} />
      ))}
    </Stack>
  );
};
