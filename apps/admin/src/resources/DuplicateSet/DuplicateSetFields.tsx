import { Chip } from "@mui/material";
import type { DuplicateSetStatus } from "@pbms/graphql-types";
import { useRecordContext, useTranslate } from "react-admin";

const colors: Record<DuplicateSetStatus, "warning" | "success" | "default"> = {
  OPEN: "warning",
  MERGED: "success",
  NOT_DUPLICATE: "default",
};

/** The review state of a set, as a chip. */
export const SetStatusChip = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<{ id: string; status?: DuplicateSetStatus }>();
  const translate = useTranslate();
  if (!record?.status) return null;
  return (
    <Chip
      size="small"
      color={colors[record.status] ?? "default"}
      label={translate(`app.dedup.status.${record.status}`, { _: record.status })}
      data-testid="duplicate-set-status"
    />
  );
};

/** The names of the set's members. */
export const MemberNamesField = (_props: { label?: string; sortable?: boolean }) => {
  const record = useRecordContext<{ id: string; members?: { id: string; name: string }[] }>();
  if (!record?.members) return null;
  return <span>{record.members.map((member) => member.name).join(" · ")}</span>;
};
