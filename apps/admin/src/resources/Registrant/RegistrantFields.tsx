import { Chip } from "@mui/material";
import type { RegistrantKind, RegistrantStatus } from "@pbms/graphql-types";
import { useRecordContext, useTranslate } from "react-admin";

type FieldProps = { label?: string; source?: string; sortable?: boolean; sortBy?: string };

const statusColors: Record<RegistrantStatus, "success" | "warning" | "default"> = {
  ACTIVE: "success",
  INACTIVE: "warning",
  DECEASED: "default",
};

/** Individual or group, as a chip. */
export const KindChip = (_props: FieldProps) => {
  const record = useRecordContext<{ id: string; kind?: RegistrantKind }>();
  const translate = useTranslate();
  if (!record?.kind) return null;
  return (
    <Chip
      size="small"
      variant="outlined"
      sx={{ alignSelf: "flex-start" }}
      color={record.kind === "GROUP" ? "secondary" : "primary"}
      label={translate(`app.registrant.kind.${record.kind}`, { _: record.kind })}
    />
  );
};

/** Active, inactive or deceased, as a chip. */
export const StatusChip = (_props: FieldProps) => {
  const record = useRecordContext<{ id: string; status?: RegistrantStatus }>();
  const translate = useTranslate();
  if (!record?.status) return null;
  return (
    <Chip
      size="small"
      sx={{ alignSelf: "flex-start" }}
      color={statusColors[record.status] ?? "default"}
      label={translate(`app.registrant.status.${record.status}`, { _: record.status })}
    />
  );
};

/** A membership that has not ended, or one that has. */
export const MembershipStateChip = (_props: FieldProps) => {
  const record = useRecordContext<{ id: string; endDate?: string | null }>();
  const translate = useTranslate();
  if (!record) return null;
  return record.endDate ? (
    <Chip size="small" variant="outlined" label={translate("app.registrant.membership.state.ended")} />
  ) : (
    <Chip size="small" color="success" label={translate("app.registrant.membership.state.current")} />
  );
};
