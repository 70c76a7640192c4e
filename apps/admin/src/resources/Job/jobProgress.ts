import type { Job, JobState } from "@pbms/graphql-types";

export type JobProgressInput = Pick<Job, "state" | "progressDone" | "progressTotal" | "progressPercent">;

export interface JobProgressView {
  /** `indeterminate` while running without a known total. */
  variant: "determinate" | "indeterminate";
  /** 0–100 for the determinate bar. */
  value: number;
  done: number;
  total: number | undefined;
  /** Rounded percentage for the label. */
  percent: number;
  color: "primary" | "success" | "error" | "warning";
}

/** Jobs still moving: their pages poll the API. */
export function isJobActive(state: JobState | string | undefined | null): boolean {
  return state === "QUEUED" || state === "RUNNING";
}

const clamp = (value: number) => Math.min(100, Math.max(0, value));

/** How to draw a job's progress bar (pure; see <JobProgress>). */
export function jobProgress(job: JobProgressInput): JobProgressView {
  const done = Math.max(0, job.progressDone ?? 0);
  const total =
    typeof job.progressTotal === "number" && job.progressTotal > 0 ? job.progressTotal : undefined;
  let value: number;
  if (job.state === "SUCCEEDED") value = 100;
  else if (total !== undefined) value = clamp((done / total) * 100);
  else value = clamp(job.progressPercent ?? 0);
  const variant =
    job.state === "RUNNING" && total === undefined && value === 0 ? "indeterminate" : "determinate";
  const color =
    job.state === "SUCCEEDED"
      ? "success"
      : job.state === "FAILED"
        ? "error"
        : job.state === "CANCELLED"
          ? "warning"
          : "primary";
  return { variant, value, done, total, percent: Math.floor(value), color };
}
