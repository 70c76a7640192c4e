import { Chip, Stack } from "@mui/material";
import type { JobState } from "@pbms/graphql-types";
import { useRecordContext, useTranslate } from "react-admin";

const colors: Record<JobState, "default" | "info" | "success" | "error" | "warning"> = {
  QUEUED: "default",
  RUNNING: "info",
  SUCCEEDED: "success",
  FAILED: "error",
  CANCELLED: "warning",
};

export const JobStateChip = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<{ id: string; state: JobState; cancelRequested?: boolean }>();
  const translate = useTranslate();
  if (!record) return null;
  const stopping =
    record.cancelRequested === true && (record.state === "QUEUED" || record.state === "RUNNING");
  return (
    <Stack direction="row" spacing={0.5} component="span">
      <Chip
        size="small"
        color={colors[record.state] ?? "default"}
        label={translate(`app.job.state.${record.state}`, { _: record.state })}
      />
      {stopping ? (
        <Chip size="small" variant="outlined" color="warning" label={translate("app.job.cancelRequested")} />
      ) : null}
    </Stack>
  );
};
