import type { Job } from "@pbms/graphql-types";
import {
  Datagrid,
  DateField,
  FilterButton,
  List,
  TextField,
  TopToolbar,
  WithRecord,
  type GetListResult,
} from "react-admin";
import { ExportAuditLogButton } from "./JobButtons";
import { JobProgress } from "./JobProgress";
import { JobStateChip } from "./JobStateChip";
import { JobTypeField } from "./JobTypeField";
import { jobFilters } from "./jobFilters";
import { isJobActive } from "./jobProgress";

const JobListActions = () => (
  <TopToolbar>
    <FilterButton />
    <ExportAuditLogButton />
  </TopToolbar>
);

/** While a listed job is queued or running, the page re-fetches every 2 s. */
const refetchWhileActive = (query: { state: { data?: GetListResult<Job> } }) =>
  query.state.data?.data.some((job) => isJobActive(job.state)) ? 2000 : false;

export const JobList = () => (
  <List
    filters={jobFilters}
    actions={<JobListActions />}
    empty={false}
    exporter={false}
    sort={{ field: "createdAt", order: "DESC" }}
    queryOptions={{ refetchInterval: refetchWhileActive }}
  >
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <JobTypeField source="type" />
      <JobStateChip source="state" />
      <WithRecord<Job> label="resources.Job.fields.progress" render={(job) => <JobProgress job={job} />} />
      <TextField source="createdByName" sortable={false} />
      <DateField source="createdAt" showTime />
      <DateField source="finishedAt" showTime />
    </Datagrid>
  </List>
);
