import englishMessages from "ra-language-english";
import type { TranslationMessages } from "react-admin";

/**
 * The SPA's own messages (English is the reference locale). Components use only these
 * keys (`app.*`, `resources.<Type>.name|fields.*`) and react-admin's `ra.*` keys.
 * Plurals use polyglot's `singular |||| plural` form.
 */
export const en = {
  app: {
    title: "PBMS",
    bootstrap: {
      failed: "PBMS could not start: the sign-in service is unreachable or refused the request.",
      retry: "Try again",
    },
    menu: {
      label: "Main menu",
      departmentSettings: "Department settings",
    },
    dashboard: {
      title: "Dashboard",
      welcome: "Welcome, %{name}",
      roles: "Your roles: %{roles}",
      noRoles: "You have no PBMS role yet. Ask an administrator for access.",
      loadError: "The figures could not be loaded.",
      never: "Never",
      stats: {
        auditEventsToday: "Audit events today",
        jobsRunning: "Jobs running",
        jobsFailed: "Failed jobs",
        users: "Users",
        lastSignInAt: "Last sign-in",
      },
    },
    roles: {
      admin: "Administrator",
      registrar: "Registrar",
      program_manager: "Program manager",
      approver: "Approver",
      finance: "Finance",
      auditor: "Auditor",
      viewer: "Viewer",
    },
    json: {
      empty: "—",
    },
    job: {
      type: {
        AUDIT_EXPORT: "Audit log export",
      },
      state: {
        QUEUED: "Queued",
        RUNNING: "Running",
        SUCCEEDED: "Succeeded",
        FAILED: "Failed",
        CANCELLED: "Cancelled",
      },
      progress: "%{done} of %{total} (%{percent}%)",
      progressNoTotal: "%{done} processed",
      cancelRequested: "Cancellation requested",
      action: {
        exportAuditLog: "Export audit log",
        download: "Download",
        cancel: "Cancel job",
      },
      confirmCancel: {
        title: "Cancel this job?",
        content: "The job stops as soon as possible; work already done is kept in the audit log.",
      },
      notification: {
        started: "Export started",
        startFailed: "The export could not be started: %{error}",
        cancelled: "Job cancelled",
        cancelFailed: "The job could not be cancelled: %{error}",
        downloadFailed: "The file could not be downloaded: %{error}",
      },
    },
    department: {
      title: "Department settings",
      saved: "Department settings saved",
      notFound: "Your department could not be loaded.",
      validation: {
        currency: "Use a three-letter ISO 4217 code, e.g. USD",
        timezone: "Use an IANA time zone, e.g. Africa/Nairobi or UTC",
      },
    },
  },
  resources: {
    AuditEvent: {
      name: "Audit event |||| Audit events",
      fields: {
        id: "ID",
        occurredAt: "Time",
        actorId: "Actor ID",
        actorName: "Actor",
        departmentId: "Department ID",
        action: "Action",
        entityType: "Entity type",
        entityId: "Entity ID",
        before: "Before",
        after: "After",
        requestId: "Request ID",
        q: "Search",
        occurredAt_gte: "From",
        occurredAt_lte: "To",
      },
    },
    Job: {
      name: "Job |||| Jobs",
      fields: {
        id: "ID",
        attempts: "Attempts",
        cancelRequested: "Cancellation requested",
        type: "Type",
        state: "State",
        progress: "Progress",
        progressDone: "Items done",
        progressTotal: "Items in total",
        progressPercent: "Percent done",
        params: "Parameters",
        result: "Result",
        error: "Error",
        createdById: "Started by (ID)",
        createdByName: "Started by",
        createdAt: "Created",
        startedAt: "Started",
        finishedAt: "Finished",
        hasOutput: "Has output",
        outputUrl: "Output",
      },
    },
    UserProfile: {
      name: "User |||| Users",
      fields: {
        id: "ID",
        subject: "Subject",
        username: "Username",
        name: "Name",
        email: "Email",
        roles: "Roles",
        firstSeenAt: "First seen",
        lastSignInAt: "Last sign-in",
        q: "Search",
        role: "Role",
      },
    },
    Department: {
      name: "Department |||| Departments",
      fields: {
        id: "ID",
        code: "Code",
        name: "Name",
        locale: "Language",
        currency: "Currency",
        timezone: "Time zone",
        createdAt: "Created",
        updatedAt: "Updated",
      },
    },
  },
};

/** Same shape as `en`, every leaf a string: a locale missing or adding a key does not compile. */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
export type AppMessages = Messages<typeof en>;

const messages: TranslationMessages = { ...englishMessages, ...en };
export default messages;
