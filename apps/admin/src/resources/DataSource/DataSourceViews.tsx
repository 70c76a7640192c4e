import SyncIcon from "@mui/icons-material/Sync";
import { useApolloClient } from "@apollo/client";
import { Box, Chip, Tooltip, Typography } from "@mui/material";
import type { DataSource, DataSourceRecord, DataSourceRecordStatus } from "@pbms/graphql-types";
import { useState } from "react";
import {
  BooleanField,
  Create,
  Datagrid,
  DateField,
  Edit,
  EditButton,
  List,
  NumberField,
  Pagination,
  RecordContextProvider as RecordContext,
  ReferenceField,
  ReferenceManyField,
  SelectInput,
  Show,
  TabbedShowLayout,
  TextField,
  TopToolbar,
  Button,
  useCanAccess,
  useNotify,
  useRecordContext,
  useRedirect,
  useTranslate,
} from "react-admin";
import { JsonField } from "../../components/JsonField";
import { SYNC_DATA_SOURCE } from "../../dataProvider/operations";
import { JobStateChip } from "../Job/JobStateChip";
import { DataSourceForm } from "./DataSourceForm";
import { dataSourcePayload } from "./dataSourceForm";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const recordStatuses: readonly DataSourceRecordStatus[] = ["NEW", "CHANGED", "UNCHANGED", "REMOVED"];
const recordStatusColors: Record<DataSourceRecordStatus, "info" | "warning" | "default" | "error"> = {
  NEW: "info",
  CHANGED: "warning",
  UNCHANGED: "default",
  REMOVED: "error",
};

/** Starts a sync of the data source and opens its job (CONFLICT: the server's message). */
const SyncButton = () => {
  const source = useRecordContext<DataSource>();
  const client = useApolloClient();
  const notify = useNotify();
  const redirect = useRedirect();
  const [pending, setPending] = useState(false);
  const { canAccess } = useCanAccess({ resource: "DataSource", action: "sync" });
  if (!source || !canAccess) return null;
  const sync = async () => {
    setPending(true);
    try {
      const { data } = await client.mutate({
        mutation: SYNC_DATA_SOURCE,
        variables: { input: { id: source.id } },
      });
      if (!data) throw new Error("syncDataSource returned no job");
      notify("app.job.notification.queued", { type: "info" });
      redirect("show", "Job", data.syncDataSource.id);
    } catch (error) {
      notify("app.dataSource.syncFailed", { type: "error", messageArgs: { error: messageOf(error) } });
    } finally {
      setPending(false);
    }
  };
  return (
    <Button label="app.dataSource.sync" onClick={sync} disabled={pending || !source.enabled}>
      <SyncIcon />
    </Button>
  );
};

/** The last sync's outcome as a job state chip (a DataSource has `lastSyncStatus`, not `state`). */
const LastSyncField = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const source = useRecordContext<DataSource>();
  if (!source?.lastSyncStatus) return <span>—</span>;
  return (
    <Box component="span">
      <JobStateChipOf state={source.lastSyncStatus} id={source.id} />
    </Box>
  );
};

const JobStateChipOf = ({ id, state }: { id: string; state: string }) => (
  <RecordContext value={{ id, state }}>
    <JobStateChip />
  </RecordContext>
);

const SecretField = (_props: { label?: string }) => {
  const source = useRecordContext<DataSource>();
  const translate = useTranslate();
  if (!source) return null;
  return (
    <span>
      {translate(source.hasClientSecret ? "app.dataSource.secretStored" : "app.dataSource.secretNone")}
    </span>
  );
};

/** Whether syncs verify the registry's response signatures, and with which keys; a warning when not. */
const SignaturesField = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const source = useRecordContext<DataSource>();
  const translate = useTranslate();
  if (!source) return null;
  if (!source.verifiesSignatures)
    return (
      <Tooltip title={translate("app.dataSource.signatures.noneHelp")}>
        <Chip size="small" color="warning" label={translate("app.dataSource.signatures.none")} />
      </Tooltip>
    );
  return (
    <Chip
      size="small"
      color="success"
      label={translate(
        source.signatureJwksUrl ? "app.dataSource.signatures.jwksUrl" : "app.dataSource.signatures.pinned",
      )}
    />
  );
};

export const DataSourceList = () => (
  <List exporter={false} sort={{ field: "name", order: "ASC" }}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="name" />
      <TextField source="baseUrl" sortable={false} />
      <BooleanField source="enabled" sortable={false} />
      <SignaturesField source="verifiesSignatures" sortable={false} />
      <LastSyncField source="lastSyncStatus" sortable={false} />
      <DateField source="lastSyncAt" showTime sortable={false} />
      <DateField source="nextSyncAt" showTime sortable={false} />
    </Datagrid>
  </List>
);

const RecordStatusChip = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<DataSourceRecord>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      color={recordStatusColors[record.status] ?? "default"}
      label={translate(`app.dataSource.recordStatus.${record.status}`, { _: record.status })}
    />
  );
};

/** For a CHANGED record: the record before and as now, side by side; else the record. */
const RecordDiff = () => {
  const record = useRecordContext<DataSourceRecord>();
  const translate = useTranslate();
  if (!record) return null;
  if (record.status !== "CHANGED" || record.previousRaw == null) return <JsonField source="raw" />;
  return (
    <Box sx={{ display: "grid", gap: 2, gridTemplateColumns: "1fr 1fr" }}>
      <Box>
        <Typography variant="caption">{translate("app.dataSource.previous")}</Typography>
        <JsonField source="previousRaw" />
      </Box>
      <Box>
        <Typography variant="caption">{translate("app.dataSource.current")}</Typography>
        <JsonField source="raw" />
      </Box>
    </Box>
  );
};

const recordStatusChoices = recordStatuses.map((id) => ({ id, name: `app.dataSource.recordStatus.${id}` }));

export const DataSourceRecordList = () => (
  <List
    exporter={false}
    filters={[<SelectInput key="status" source="status" choices={recordStatusChoices} alwaysOn />]}
  >
    <RecordGrid />
  </List>
);

const RecordGrid = () => (
  <Datagrid bulkActionButtons={false} rowClick="expand" expand={<RecordDiff />}>
    <TextField source="externalId" />
    <RecordStatusChip source="status" />
    <ReferenceField source="registrantId" reference="Registrant" emptyText="—" />
    <DateField source="fetchedAt" showTime />
  </Datagrid>
);

const ShowActions = () => (
  <TopToolbar>
    <SyncButton />
    <EditButton />
  </TopToolbar>
);

export const DataSourceShow = () => {
  const { canAccess: canSeeRecords } = useCanAccess({ resource: "DataSourceRecord", action: "list" });
  return (
    <Show actions={<ShowActions />}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="app.dataSource.tab.details">
          <TextField source="name" />
          <TextField source="baseUrl" />
          <TextField source="tokenUrl" />
          <TextField source="clientId" />
          <SecretField label="resources.DataSource.fields.hasClientSecret" />
          <JsonField source="searchCriteria" />
          <JsonField source="fieldMapping" />
          <NumberField source="pageSize" />
          <NumberField source="scheduleMinutes" emptyText="—" />
          <BooleanField source="enabled" />
          <SignaturesField label="resources.DataSource.fields.verifiesSignatures" />
          <TextField source="signatureJwksUrl" emptyText="—" />
          <JsonField source="signatureKeys" />
          <LastSyncField label="resources.DataSource.fields.lastSyncStatus" />
          <DateField source="lastSyncAt" showTime emptyText="—" />
          <DateField source="nextSyncAt" showTime emptyText="—" />
        </TabbedShowLayout.Tab>
        {canSeeRecords ? (
          <TabbedShowLayout.Tab label="app.dataSource.tab.records" path="records">
            <ReferenceManyField
              reference="DataSourceRecord"
              target="dataSourceId"
              perPage={25}
              pagination={<Pagination />}
            >
              <RecordGrid />
            </ReferenceManyField>
          </TabbedShowLayout.Tab>
        ) : null}
      </TabbedShowLayout>
    </Show>
  );
};

export const DataSourceCreate = () => (
  <Create redirect="show" transform={dataSourcePayload}>
    <DataSourceForm />
  </Create>
);

export const DataSourceEdit = () => (
  <Edit mutationMode="pessimistic" redirect="show" transform={dataSourcePayload}>
    <DataSourceForm />
  </Edit>
);
