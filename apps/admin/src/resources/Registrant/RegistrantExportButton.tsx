import DownloadIcon from "@mui/icons-material/Download";
import { useApolloClient } from "@apollo/client";
import { JobType } from "@pbms/graphql-types";
import { useState } from "react";
import { Button, useCanAccess, useListContext, useNotify, useRedirect } from "react-admin";
import { listFilterPreparers } from "../../dataProvider/filters";
import { START_JOB } from "../../dataProvider/operations";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Starts a registry export (server-side CSV) of the list's current filter and opens the job. */
export const RegistrantExportButton = () => {
  const client = useApolloClient();
  const notify = useNotify();
  const redirect = useRedirect();
  const { filterValues } = useListContext();
  const [pending, setPending] = useState(false);
  const { canAccess } = useCanAccess({ resource: "RegistryExport", action: "create" });
  if (!canAccess) return null;

  const start = async () => {
    setPending(true);
    try {
      const prepare = listFilterPreparers.Registrant ?? ((filter: Record<string, unknown>) => filter);
      const { data } = await client.mutate({
        mutation: START_JOB,
        variables: {
          input: {
            type: JobType.REGISTRY_EXPORT,
            params: prepare(filterValues ?? {}),
            idempotencyKey: crypto.randomUUID(),
          },
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
    <Button label="app.registrant.action.export" onClick={start} disabled={pending}>
      <DownloadIcon />
    </Button>
  );
};
