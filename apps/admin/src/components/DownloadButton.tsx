import DownloadIcon from "@mui/icons-material/Download";
import { useState } from "react";
import { Button, useNotify } from "react-admin";
import { useAppRuntime } from "../appContext";
import { apiUrlOf, responseErrorOf } from "../resources/Import/uploadFile";
import { filenameFromContentDisposition, saveBlob } from "../resources/Job/jobDownload";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Downloads a file from the API with the user's bearer token (a plain link
 * cannot carry it) and saves it under the server's file name.
 */
export const DownloadButton = ({ path, fallbackName }: { path: string; fallbackName: string }) => {
  const { config, session } = useAppRuntime();
  const notify = useNotify();
  const [pending, setPending] = useState(false);
  const download = async () => {
    setPending(true);
    try {
      const response = await session.fetch(apiUrlOf(path, config.apiUrl));
      if (!response.ok) throw await responseErrorOf(response);
      const filename =
        filenameFromContentDisposition(response.headers.get("content-disposition")) ?? fallbackName;
      saveBlob(await response.blob(), filename);
    } catch (error) {
      notify("app.job.notification.downloadFailed", {
        type: "error",
        messageArgs: { error: messageOf(error) },
      });
    } finally {
      setPending(false);
    }
  };
  return (
    <Button label="app.job.action.download" onClick={download} disabled={pending}>
      <DownloadIcon />
    </Button>
  );
};
