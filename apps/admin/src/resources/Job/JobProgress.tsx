import { Box, LinearProgress, Typography } from "@mui/material";
import { useTranslate } from "react-admin";
import { type JobProgressInput, jobProgress } from "./jobProgress";

/** A job's progress: a determinate bar (done / total) with a caption. */
export const JobProgress = ({ job, showLabel = true }: { job: JobProgressInput; showLabel?: boolean }) => {
  const translate = useTranslate();
  const view = jobProgress(job);
  const label =
    view.total !== undefined
      ? translate("app.job.progress", { done: view.done, total: view.total, percent: view.percent })
      : translate("app.job.progressNoTotal", { done: view.done });
  return (
    <Box sx={{ minWidth: 160, width: "100%" }} data-testid="job-progress">
      <LinearProgress
        variant={view.variant}
        value={view.value}
        color={view.color}
        aria-label={label}
        sx={{ height: 8, borderRadius: 4 }}
      />
      {showLabel && (
        <Typography variant="caption" color="text.secondary">
          {label}
        </Typography>
      )}
    </Box>
  );
};
