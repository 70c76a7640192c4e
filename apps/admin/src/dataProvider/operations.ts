import { gql, type TypedDocumentNode } from "@apollo/client";
import type {
  DashboardStats,
  Department,
  GroupMembership,
  Job,
  MutationAddGroupMemberArgs,
  MutationCancelJobArgs,
  MutationDeleteDocumentArgs,
  MutationEndGroupMembershipArgs,
  MutationMarkNotDuplicateArgs,
  MutationMergeRegistrantsArgs,
  MutationRevertMergeArgs,
  MutationRunDeduplicationArgs,
  MutationStartJobArgs,
  MutationSyncDataSourceArgs,
  RegistrantListMetadata,
  UserProfile,
  Viewer,
} from "@pbms/graphql-types";

/** Operations the SPA sends itself (everything CRUD-like goes through the data provider). */

export const RECORD_SIGN_IN: TypedDocumentNode<{ recordSignIn: Pick<UserProfile, "id" | "lastSignInAt"> }> =
  gql`
    mutation RecordSignIn {
      recordSignIn {
        id
        lastSignInAt
      }
    }
  `;

export const DASHBOARD_STATS: TypedDocumentNode<{ dashboardStats: DashboardStats }> = gql`
  query DashboardStats {
    dashboardStats {
      auditEventsToday
      jobsRunning
      jobsFailed
      users
      lastSignInAt
    }
  }
`;

export const VIEWER_DEPARTMENT: TypedDocumentNode<{
  viewer: Pick<Viewer, "id"> & { department: Pick<Department, "id"> };
}> = gql`
  query ViewerDepartment {
    viewer {
      id
      department {
        id
      }
    }
  }
`;

export const START_JOB: TypedDocumentNode<{ startJob: Pick<Job, "id" | "state"> }, MutationStartJobArgs> =
  gql`
    mutation StartJob($input: StartJobInput!) {
      startJob(input: $input) {
        id
        state
      }
    }
  `;

export const CANCEL_JOB: TypedDocumentNode<{ cancelJob: Pick<Job, "id" | "state"> }, MutationCancelJobArgs> =
  gql`
    mutation CancelJob($id: ID!) {
      cancelJob(id: $id) {
        id
        state
      }
    }
  `;

/** Registry counts for the dashboard (server-side counts of the registrant list; estimated when large). */
export const REGISTRY_COUNTS: TypedDocumentNode<{
  individuals: RegistrantListMetadata;
  groups: RegistrantListMetadata;
}> = gql`
  query RegistryCounts {
    individuals: _registrantsMeta(filter: { kind: INDIVIDUAL, status: ACTIVE }) {
      count
      estimated
      exactLimit
    }
    groups: _registrantsMeta(filter: { kind: GROUP, status: ACTIVE }) {
      count
      estimated
      exactLimit
    }
  }
`;

type MembershipResult = Pick<
  GroupMembership,
  "id" | "groupId" | "individualId" | "kindId" | "startDate" | "endDate"
>;

export const ADD_GROUP_MEMBER: TypedDocumentNode<
  { addGroupMember: MembershipResult },
  MutationAddGroupMemberArgs
> = gql`
  mutation AddGroupMember($input: AddGroupMemberInput!) {
    addGroupMember(input: $input) {
      id
      groupId
      individualId
      kindId
      startDate
      endDate
    }
  }
`;

export const END_GROUP_MEMBERSHIP: TypedDocumentNode<
  { endGroupMembership: MembershipResult },
  MutationEndGroupMembershipArgs
> = gql`
  mutation EndGroupMembership($input: EndGroupMembershipInput!) {
    endGroupMembership(input: $input) {
      id
      groupId
      individualId
      kindId
      startDate
      endDate
    }
  }
`;

type JobStarted = Pick<Job, "id" | "state">;

/** Starts a deduplication run (CONFLICT while another one of the department runs). */
export const RUN_DEDUPLICATION: TypedDocumentNode<
  { runDeduplication: JobStarted },
  MutationRunDeduplicationArgs
> = gql`
  mutation RunDeduplication($input: RunDeduplicationInput) {
    runDeduplication(input: $input) {
      id
      state
    }
  }
`;

type DuplicateSetDecision = { id: string; status: string };

export const MARK_NOT_DUPLICATE: TypedDocumentNode<
  { markNotDuplicate: DuplicateSetDecision },
  MutationMarkNotDuplicateArgs
> = gql`
  mutation MarkNotDuplicate($input: MarkNotDuplicateInput!) {
    markNotDuplicate(input: $input) {
      id
      status
    }
  }
`;

export const MERGE_REGISTRANTS: TypedDocumentNode<
  { mergeRegistrants: DuplicateSetDecision },
  MutationMergeRegistrantsArgs
> = gql`
  mutation MergeRegistrants($input: MergeRegistrantsInput!) {
    mergeRegistrants(input: $input) {
      id
      status
    }
  }
`;

export const REVERT_MERGE: TypedDocumentNode<
  { revertMerge: { id: string; revertedAt?: string | null } },
  MutationRevertMergeArgs
> = gql`
  mutation RevertMerge($input: RevertMergeInput!) {
    revertMerge(input: $input) {
      id
      revertedAt
    }
  }
`;

export const DELETE_DOCUMENT: TypedDocumentNode<
  { deleteDocument: { id: string } },
  MutationDeleteDocumentArgs
> = gql`
  mutation DeleteDocument($id: ID!) {
    deleteDocument(id: $id) {
      id
    }
  }
`;

/** Starts a sync of a data source (CONFLICT while one runs for it). */
export const SYNC_DATA_SOURCE: TypedDocumentNode<{ syncDataSource: JobStarted }, MutationSyncDataSourceArgs> =
  gql`
    mutation SyncDataSource($input: SyncDataSourceInput!) {
      syncDataSource(input: $input) {
        id
        state
      }
    }
  `;
