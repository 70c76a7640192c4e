import type { Job } from "@pbms/graphql-types";
import {
  DateField,
  Labeled,
  NumberField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  WithRecord,
} from "react-admin";
import { JsonField } from "../../components/JsonField";
import { CancelJobButton, DownloadJobOutputButton } from "./JobButtons";
import { JobProgress } from "./JobProgress";
import { JobStateChip } from "./JobStateChip";
import { JobTypeField } from "./JobTypeField";
import { isJobActive } from "./jobProgress";

/** Polls the job every 1.5 s while it is queued or running. */
export const JOB_POLL_INTERVAL_MS = 1500;
const refetchWhileActive = (query: { state: { data?: Job } }) =>
  isJobActive(query.state.data?.state) ? JOB_POLL_INTERVAL_MS : false;

const JobShowActions = () => (
  <TopToolbar>
    <DownloadJobOutputButton />
    <CancelJobButton />
  </TopToolbar>
);

export const JobShow = () => (
  <Show actions={<JobShowActions />} queryOptions={{ refetchInterval: refetchWhileActive }}>
    <SimpleShowLayout>
      <TextField source="id" />
      <JobTypeField source="type" />
      <JobStateChip source="state" />
      <Labeled label="resources.Job.fields.progress" fullWidth>
        <WithRecord<Job> render={(job) => <JobProgress job={job} />} />
      </Labeled>
      <TextField source="createdByName" />
      <NumberField source="attempts" />
      <DateField source="createdAt" showTime />
      <DateField source="startedAt" showTime />
      <DateField source="finishedAt" showTime />
      <TextField source="error" />
      <JsonField source="params" />
      <JsonField source="result" />
    </SimpleShowLayout>
  </Show>
);
