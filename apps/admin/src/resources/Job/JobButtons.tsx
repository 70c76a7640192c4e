import CancelIcon from "@mui/icons-material/Cancel";
import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import { useApolloClient } from "@apollo/client";
import { type Job, JobType } from "@pbms/graphql-types";
import { useState } from "react";
import {
  Button,
  Confirm,
  useCanAccess,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
} from "react-admin";
import { CANCEL_JOB, START_JOB } from "../../dataProvider/operations";
import { DownloadButton } from "../../components/DownloadButton";
import { isJobActive } from "./jobProgress";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts an audit log export job (server-side CSV, optionally filtered) and opens it.
 * Shown to those who may export the audit log.
 */
export const ExportAuditLogButton = ({ params }: { params?: Record<string, unknown> }) => {
  const client = useApolloClient();
  const notify = useNotify();
  const redirect = useRedirect();
  const [pending, setPending] = useState(false);
  const { canAccess } = useCanAccess({ resource: "AuditEvent", action: "export" });
  if (!canAccess) return null;

  const start = async () => {
    setPending(true);
    try {
      const { data } = await client.mutate({
        mutation: START_JOB,
        variables: {
          input: { type: JobType.AUDIT_EXPORT, params: params ?? {}, idempotencyKey: crypto.randomUUID() },
        },
      });
      if (!data) throw new Error("startJob returned no job");
      notify("app.job.notification.started", { type: "info" });
      redirect("show", "Job", data.startJob.id);
    } catch (error) {
      notify("app.job.notification.startFailed", { type: "error", messageArgs: { error: messageOf(error) } });
    } finally {
      setPending(false);
    }
  };

  return (
    <Button label="app.job.action.exportAuditLog" onClick={start} disabled={pending}>
      <PlayArrowIcon />
    </Button>
  );
};

/** Downloads the job's output file with the bearer token (when the job has one). */
export const DownloadJobOutputButton = () => {
  const job = useRecordContext<Job>();
  if (!job?.hasOutput || !job.outputUrl) return null;
  return <DownloadButton path={job.outputUrl} fallbackName={`${job.type.toLowerCase()}-${job.id}`} />;
};

/** Cancels a queued or running job, after confirmation. */
export const CancelJobButton = () => {
  const job = useRecordContext<Job>();
  const client = useApolloClient();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  if (!job || !isJobActive(job.state) || job.cancelRequested) return null;

  const cancel = async () => {
    setPending(true);
    try {
      await client.mutate({ mutation: CANCEL_JOB, variables: { id: job.id } });
      notify("app.job.notification.cancelled", { type: "info" });
      refresh();
    } catch (error) {
      notify("app.job.notification.cancelFailed", {
        type: "error",
        messageArgs: { error: messageOf(error) },
      });
    } finally {
      setPending(false);
      setOpen(false);
    }
  };

  return (
    <>
      <Button label="app.job.action.cancel" color="error" onClick={() => setOpen(true)} disabled={pending}>
        <CancelIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={pending}
        title="app.job.confirmCancel.title"
        content="app.job.confirmCancel.content"
        onConfirm={cancel}
        onClose={() => setOpen(false)}
      />
    </>
  );
};
