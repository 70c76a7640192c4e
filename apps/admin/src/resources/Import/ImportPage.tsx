import DownloadIcon from "@mui/icons-material/Download";
import ReplayIcon from "@mui/icons-material/Replay";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import { gql, useApolloClient, useQuery } from "@apollo/client";
import {
  Alert,
  Box,
  Button as MuiButton,
  Card,
  CardContent,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormLabel,
  LinearProgress,
  MenuItem,
  Radio,
  RadioGroup,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { type AttributeDefinition, type IdType, type Job, JobType } from "@pbms/graphql-types";
import { type ChangeEvent, useEffect, useMemo, useState } from "react";
import { Button, Link, Title, useGetList, useGetOne, useNotify, useTranslate } from "react-admin";
import { useAppRuntime } from "../../appContext";
import { START_JOB } from "../../dataProvider/operations";
import { JobProgress } from "../Job/JobProgress";
import { filenameFromContentDisposition, resolveOutputUrl, saveBlob } from "../Job/jobDownload";
import { isJobActive } from "../Job/jobProgress";
import { JOB_POLL_INTERVAL_MS } from "../Job/JobShow";
import { type ImportError, parseCsvHeader, parseImportErrors } from "./csv";
import {
  IGNORE,
  type ImportEntity,
  autoMapColumns,
  importResultOf,
  mappingParam,
  mappingTargets,
} from "./importMapping";
import { uploadImportFile } from "./uploadFile";
import { isXlsxFile, readXlsxHeader, XLSX_TYPE } from "./xlsxHeader";

/** Route of the import page (registrars and admins; see the menu). */
export const IMPORT_PATH = "/import";

/** Bytes of the file read in the browser to find its header row. */
const HEADER_BYTES = 64 * 1024;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const IMPORT_FIELDS = gql`
  query ImportFields($entity: ImportEntity!) {
    importFields(entity: $entity)
  }
`;

/** Fields, attribute codes and identifier type codes a column can be mapped to. */
function useMappingTargets(entity: ImportEntity) {
  const { data: fields } = useQuery<{ importFields: string[] }>(IMPORT_FIELDS, { variables: { entity } });
  const { data: attributes } = useGetList<AttributeDefinition>(
    "AttributeDefinition",
    { pagination: { page: 1, perPage: 500 }, sort: { field: "code", order: "ASC" } },
    { staleTime: 60_000 },
  );
  const { data: idTypes } = useGetList<IdType>(
    "IdType",
    { pagination: { page: 1, perPage: 500 }, sort: { field: "code", order: "ASC" } },
    { staleTime: 60_000 },
  );
  return useMemo(
    () => ({
      ready: attributes !== undefined && idTypes !== undefined && fields !== undefined,
      fields: fields?.importFields ?? [],
      attributes: (attributes ?? []).filter((a) => !a.appliesTo || a.appliesTo === entity).map((a) => a.code),
      idTypes: (idTypes ?? []).map((t) => t.code),
    }),
    [attributes, idTypes, fields, entity],
  );
}

/**
 * Registry import: pick a CSV or XLSX file and what it holds, map its columns to fields, then
 * upload it and run the REGISTRY_IMPORT job, following it to its counts and rejected rows.
 */
export const ImportPage = () => {
  const translate = useTranslate();
  const [jobId, setJobId] = useState<string>();
  return (
    <Box sx={{ mt: 1 }}>
      <Title title="app.import.title" />
      {jobId ? (
        <ImportJob id={jobId} onAgain={() => setJobId(undefined)} />
      ) : (
        <ImportForm onStarted={setJobId} />
      )}
      <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
        {translate("app.import.previousJobs")}{" "}
        <Link to="/Job">{translate("resources.Job.name", { smart_count: 2 })}</Link>
      </Typography>
    </Box>
  );
};

const ImportForm = ({ onStarted }: { onStarted: (jobId: string) => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const client = useApolloClient();
  const { config, session } = useAppRuntime();
  const [entity, setEntity] = useState<ImportEntity>("GROUP");
  const [file, setFile] = useState<File>();
  const [columns, setColumns] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [allOrNothing, setAllOrNothing] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const targets = useMappingTargets(entity);
  const choices = useMemo(() => mappingTargets(entity, targets), [entity, targets]);

  // Preselects the obvious targets whenever the columns, the entity or the known targets change.
  useEffect(() => {
    setMapping(autoMapColumns(columns, entity, targets));
  }, [columns, entity, targets]);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    setError(undefined);
    setFile(chosen);
    if (!chosen) {
      setColumns([]);
      return;
    }
    const header = isXlsxFile(chosen)
      ? await readXlsxHeader(chosen).catch(() => [])
      : parseCsvHeader(await chosen.slice(0, HEADER_BYTES).text());
    if (header.length === 0) setError(translate("app.import.noHeader"));
    setColumns(header);
  };

  const start = async () => {
    if (!file) return;
    setPending(true);
    setError(undefined);
    try {
      const stored = await uploadImportFile(session, config.apiUrl, file);
      const { data } = await client.mutate({
        mutation: START_JOB,
        variables: {
          input: {
            type: JobType.REGISTRY_IMPORT,
            params: { fileId: stored.id, entity, mapping: mappingParam(mapping), allOrNothing },
            idempotencyKey: crypto.randomUUID(),
          },
        },
      });
      if (!data) throw new Error("startJob returned no job");
      notify("app.job.notification.queued", { type: "info" });
      onStarted(data.startJob.id);
    } catch (failure) {
      setError(translate("app.import.failed", { error: messageOf(failure) }));
    } finally {
      setPending(false);
    }
  };

  const mapsExternalId = Object.values(mapping).includes("external_id");

  return (
    <Card>
      <CardContent sx={{ display: "flex", flexDirection: "column", gap: 2, maxWidth: 720 }}>
        <Typography variant="h6" component="h1">
          {translate("app.import.title")}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {translate("app.import.help")}
        </Typography>
        <FormControl>
          <FormLabel id="import-entity">{translate("app.import.entity")}</FormLabel>
          <RadioGroup
            row
            aria-labelledby="import-entity"
            value={entity}
            onChange={(event) => setEntity(event.target.value as ImportEntity)}
          >
            <FormControlLabel value="GROUP" control={<Radio />} label={translate("app.import.entityGroup")} />
            <FormControlLabel
              value="INDIVIDUAL"
              control={<Radio />}
              label={translate("app.import.entityIndividual")}
            />
            <FormControlLabel
              value="MEMBERSHIP"
              control={<Radio />}
              label={translate("app.import.entityMembership")}
            />
          </RadioGroup>
        </FormControl>
        <Box>
          <MuiButton component="label" variant="outlined" startIcon={<UploadFileIcon />}>
            {translate("app.import.chooseFile")}
            <input
              hidden
              type="file"
              accept={`.csv,text/csv,.xlsx,${XLSX_TYPE}`}
              aria-label={translate("app.import.file")}
              data-testid="import-file"
              onChange={pick}
            />
          </MuiButton>
          {file ? (
            <Typography component="span" variant="body2" sx={{ ml: 2 }} data-testid="import-file-name">
              {file.name}
            </Typography>
          ) : null}
        </Box>
        {columns.length > 0 && !targets.ready ? <LinearProgress /> : null}
        {columns.length > 0 && targets.ready ? (
          <Box component="section" data-testid="import-mapping">
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
              {translate("app.import.mapping")}
            </Typography>
            <Box
              sx={{ display: "grid", gap: 2, gridTemplateColumns: "repeat(auto-fill, minmax(220px, 1fr))" }}
            >
              {columns.map((column) => (
                <TextField
                  key={column}
                  select
                  size="small"
                  label={column}
                  value={mapping[column] ?? IGNORE}
                  onChange={(event) => setMapping({ ...mapping, [column]: event.target.value })}
                >
                  <MenuItem value={IGNORE}>
                    <em>{translate("app.import.ignore")}</em>
                  </MenuItem>
                  {choices.map((target) => (
                    <MenuItem key={target} value={target}>
                      {target}
                    </MenuItem>
                  ))}
                </TextField>
              ))}
            </Box>
            {!mapsExternalId ? (
              <Alert severity="warning" sx={{ mt: 2 }}>
                {translate("app.import.needExternalId")}
              </Alert>
            ) : null}
          </Box>
        ) : null}
        <FormControlLabel
          control={
            <Checkbox checked={allOrNothing} onChange={(event) => setAllOrNothing(event.target.checked)} />
          }
          label={translate("app.import.allOrNothing")}
        />
        {error ? <Alert severity="error">{error}</Alert> : null}
        <Box>
          <Button
            variant="contained"
            label="app.import.start"
            onClick={start}
            disabled={!file || columns.length === 0 || !targets.ready || !mapsExternalId || pending}
          >
            <UploadFileIcon />
          </Button>
        </Box>
      </CardContent>
    </Card>
  );
};

/** Polls the job while it runs, then shows its counts and rejected rows. */
const ImportJob = ({ id, onAgain }: { id: string; onAgain: () => void }) => {
  const translate = useTranslate();
  const { data: job, error } = useGetOne<Job>(
    "Job",
    { id },
    { refetchInterval: (query) => (isJobActive(query.state.data?.state) ? JOB_POLL_INTERVAL_MS : false) },
  );
  const result = job?.state === "SUCCEEDED" ? importResultOf(job.result) : undefined;
  return (
    <Card>
      <CardContent sx={{ display: "flex", flexDirection: "column", gap: 2 }}>
        <Typography variant="h6" component="h1">
          {translate("app.import.jobTitle")}
        </Typography>
        {error ? <Alert severity="error">{messageOf(error)}</Alert> : null}
        {job ? (
          <>
            <Box sx={{ maxWidth: 480 }}>
              <JobProgress job={job} />
            </Box>
            <Typography variant="body2" data-testid="import-job-state">
              {translate(`app.job.state.${job.state}`, { _: job.state })}{" "}
              <Link to={`/Job/${job.id}/show`}>{translate("app.import.openJob")}</Link>
            </Typography>
            {job.state === "FAILED" && job.error ? <Alert severity="error">{job.error}</Alert> : null}
          </>
        ) : null}
        {result ? (
          <>
            <Box
              data-testid="import-result"
              sx={{ display: "grid", gap: 2, gridTemplateColumns: "repeat(auto-fill, minmax(120px, 1fr))" }}
            >
              {(["rows", "inserted", "updated", "unchanged", "rejected"] as const).map((key) => (
                <Box key={key} data-testid={`import-count-${key}`}>
                  <Typography variant="caption" color="text.secondary">
                    {translate(`app.import.count.${key}`)}
                  </Typography>
                  <Typography variant="h5">{result[key]}</Typography>
                </Box>
              ))}
            </Box>
            {result.merged === false ? (
              <Alert severity="warning">{translate("app.import.notMerged")}</Alert>
            ) : null}
            {result.ignoredColumns && result.ignoredColumns.length > 0 ? (
              <Typography variant="body2" color="text.secondary">
                {translate("app.import.ignoredColumns", { columns: result.ignoredColumns.join(", ") })}
              </Typography>
            ) : null}
            {job?.hasOutput && job.outputUrl ? <ImportErrors job={job} /> : null}
          </>
        ) : null}
        {job && !isJobActive(job.state) ? (
          <Box>
            <Button variant="outlined" label="app.import.again" onClick={onAgain}>
              <ReplayIcon />
            </Button>
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
};

/** The job's error report (line, column, message), read with the bearer token, and its download. */
const ImportErrors = ({ job }: { job: Job }) => {
  const translate = useTranslate();
  const { config, session } = useAppRuntime();
  const [report, setReport] = useState<{ blob: Blob; rows: ImportError[]; filename: string }>();
  const [error, setError] = useState<string>();
  const outputUrl = job.outputUrl;

  useEffect(() => {
    if (!outputUrl) return;
    let cancelled = false;
    (async () => {
      try {
        const response = await session.fetch(resolveOutputUrl(outputUrl, config.apiUrl));
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const blob = await response.blob();
        const filename =
          filenameFromContentDisposition(response.headers.get("content-disposition")) ??
          `import-errors-${job.id}.csv`;
        const rows = parseImportErrors(await blob.text());
        if (!cancelled) setReport({ blob, rows, filename });
      } catch (failure) {
        if (!cancelled) setError(messageOf(failure));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [outputUrl, session, config.apiUrl, job.id]);

  return (
    <Box component="section">
      <Box sx={{ display: "flex", alignItems: "center", gap: 2, mb: 1 }}>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
          {translate("app.import.rejectedRows")}
        </Typography>
        {report ? (
          <Button label="app.job.action.download" onClick={() => saveBlob(report.blob, report.filename)}>
            <DownloadIcon />
          </Button>
        ) : null}
      </Box>
      {error ? <Alert severity="error">{translate("app.import.reportFailed", { error })}</Alert> : null}
      {report ? (
        <Table size="small" data-testid="import-errors">
          <TableHead>
            <TableRow>
              <TableCell>{translate("app.import.error.line")}</TableCell>
              <TableCell>{translate("app.import.error.column")}</TableCell>
              <TableCell>{translate("app.import.error.message")}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.rows.map((row, index) => (
              <TableRow key={`${row.line}-${row.column}-${index}`}>
                <TableCell>{Number.isNaN(row.line) ? "—" : row.line}</TableCell>
                <TableCell>{row.column}</TableCell>
                <TableCell>{row.message}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Box>
  );
};
