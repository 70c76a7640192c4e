import ManageSearchIcon from "@mui/icons-material/ManageSearch";
import { useApolloClient } from "@apollo/client";
import { useState } from "react";
import { Button, useCanAccess, useNotify, useRedirect } from "react-admin";
import { RUN_DEDUPLICATION } from "../../dataProvider/operations";

/** The server's message of a failed mutation (a CONFLICT says a run is already going on). */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Starts a deduplication run over the enabled rules and opens its job. */
export const FindDuplicatesButton = () => {
  const client = useApolloClient();
  const notify = useNotify();
  const redirect = useRedirect();
  const [pending, setPending] = useState(false);
  const { canAccess } = useCanAccess({ resource: "DuplicateSet", action: "edit" });
  if (!canAccess) return null;

  const run = async () => {
    setPending(true);
    try {
      const { data } = await client.mutate({ mutation: RUN_DEDUPLICATION, variables: { input: {} } });
      if (!data) throw new Error("runDeduplication returned no job");
      notify("app.job.notification.queued", { type: "info" });
      redirect("show", "Job", data.runDeduplication.id);
    } catch (error) {
      notify("app.dedup.notification.runFailed", { type: "error", messageArgs: { error: messageOf(error) } });
    } finally {
      setPending(false);
    }
  };

  return (
    <Button label="app.dedup.action.find" onClick={run} disabled={pending}>
      <ManageSearchIcon />
    </Button>
  );
};
