import { gql, type TypedDocumentNode } from "@apollo/client";
import type {
  DashboardStats,
  Department,
  Job,
  MutationCancelJobArgs,
  MutationStartJobArgs,
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
