import { useApolloClient } from "@apollo/client";
import DeleteIcon from "@mui/icons-material/Delete";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import {
  Box,
  Button as MuiButton,
  MenuItem,
  Stack,
  TextField as MuiTextField,
  Typography,
} from "@mui/material";
import type { Document, Registrant } from "@pbms/graphql-types";
import { type ChangeEvent, useState } from "react";
import {
  Button,
  Confirm,
  Datagrid,
  DateField,
  FunctionField,
  ListContextProvider,
  TextField,
  useCanAccess,
  useList,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { useAppRuntime } from "../../appContext";
import { DELETE_DOCUMENT } from "../../dataProvider/operations";
import { DownloadButton } from "../../components/DownloadButton";
import { apiUrlOf, postFile } from "../Import/uploadFile";
import { DOCUMENT_ACCEPT, documentTypes, formatByteSize } from "./documents";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const DownloadDocumentButton = () => {
  const document = useRecordContext<Document>();
  if (!document) return null;
  return <DownloadButton path={`/documents/${document.id}/content`} fallbackName={document.fileName} />;
};

const DeleteDocumentButton = () => {
  const document = useRecordContext<Document>();
  const client = useApolloClient();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const { canAccess } = useCanAccess({ resource: "Document", action: "delete" });
  if (!document || !canAccess) return null;
  const remove = async () => {
    setPending(true);
    try {
      await client.mutate({ mutation: DELETE_DOCUMENT, variables: { id: document.id } });
      notify("app.document.deleted", { type: "info" });
      refresh();
    } catch (error) {
      notify("app.document.deleteFailed", { type: "error", messageArgs: { error: messageOf(error) } });
    } finally {
      setPending(false);
      setOpen(false);
    }
  };
  return (
    <>
      <Button label="ra.action.delete" color="error" onClick={() => setOpen(true)} disabled={pending}>
        <DeleteIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={pending}
        title="app.document.confirmDelete.title"
        content="app.document.confirmDelete.content"
        translateOptions={{ name: document.fileName }}
        onConfirm={remove}
        onClose={() => setOpen(false)}
      />
    </>
  );
};

/** Attaches a file: its type, then the file, posted raw to `/registrants/{id}/documents`. */
const UploadDocument = ({ registrantId }: { registrantId: string }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { config, session } = useAppRuntime();
  const [type, setType] = useState<string>("ID_CARD");
  const [pending, setPending] = useState(false);
  const { canAccess } = useCanAccess({ resource: "Document", action: "create" });
  if (!canAccess) return null;
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setPending(true);
    try {
      await postFile(
        session,
        apiUrlOf(`/registrants/${registrantId}/documents?type=${encodeURIComponent(type)}`, config.apiUrl),
        file,
        file.type || "application/octet-stream",
      );
      notify("app.document.uploaded", { type: "success" });
      refresh();
    } catch (error) {
      notify("app.document.uploadFailed", { type: "error", messageArgs: { error: messageOf(error) } });
    } finally {
      setPending(false);
    }
  };
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: "center", mb: 2 }}>
      <MuiTextField
        select
        size="small"
        label={translate("resources.Registrant.fields.documents.type")}
        value={type}
        onChange={(event) => setType(event.target.value)}
        sx={{ minWidth: 220 }}
      >
        {documentTypes.map((value) => (
          <MenuItem key={value} value={value}>
            {translate(`app.document.type.${value}`)}
          </MenuItem>
        ))}
      </MuiTextField>
      <MuiButton component="label" variant="outlined" startIcon={<UploadFileIcon />} disabled={pending}>
        {translate("app.document.upload")}
        <input
          hidden
          type="file"
          accept={DOCUMENT_ACCEPT}
          aria-label={translate("app.document.file")}
          onChange={upload}
        />
      </MuiButton>
    </Stack>
  );
};

const Empty = () => {
  const translate = useTranslate();
  return (
    <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
      {translate("app.registrant.none")}
    </Typography>
  );
};

/** The registrant's documents: download, delete, and upload of a new one. */
export const RegistrantDocuments = (_props: { label?: string | false }) => {
  const record = useRecordContext<Registrant>();
  const translate = useTranslate();
  const listContext = useList({ data: record?.documents ?? [] });
  if (!record) return null;
  return (
    <Box data-testid="registrant-documents">
      <UploadDocument registrantId={String(record.id)} />
      <ListContextProvider value={listContext}>
        <Datagrid bulkActionButtons={false} rowClick={false} empty={<Empty />}>
          <FunctionField<Document>
            label="resources.Registrant.fields.documents.type"
            render={(document) => translate(`app.document.type.${document.type}`, { _: document.type })}
          />
          <TextField source="fileName" label="resources.Registrant.fields.documents.fileName" />
          <FunctionField<Document>
            label="resources.Registrant.fields.documents.byteSize"
            render={(document) => formatByteSize(document.byteSize)}
          />
          <DateField source="createdAt" showTime label="resources.Registrant.fields.documents.createdAt" />
          <DownloadDocumentButton />
          <DeleteDocumentButton />
        </Datagrid>
      </ListContextProvider>
    </Box>
  );
};
