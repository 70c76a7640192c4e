import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let admin: string;
let auditor: string;

const JOB_FIELDS =
  "id type state progressDone progressTotal progressPercent result error hasOutput outputUrl createdByName";

interface JobView {
  id: string;
  type: string;
  state: string;
  progressDone: number;
  progressTotal: number | null;
  progressPercent: number;
  result: Record<string, unknown> | null;
  error: string | null;
  hasOutput: boolean;
  outputUrl: string | null;
  createdByName: string;
}

beforeAll(async () => {
  h = await startHarness();
  admin = await h.userToken("admin");
  auditor = await h.userToken("auditor");
  // Some history to export: one sign-in per demo user.
  for (const user of ["admin", "auditor", "registrar", "viewer"]) {
    await h.gql("mutation { recordSignIn { id } }", {}, await h.userToken(user));
  }
});
afterAll(() => h?.close());

async function start(token: string, input: Record<string, unknown>) {
  return h.gql<{ startJob: JobView }>(
    `mutation ($input: StartJobInput!) { startJob(input: $input) { ${JOB_FIELDS} } }`,
    { input },
    token,
  );
}

async function job(id: string, token = admin) {
  return (await h.gql<{ job: JobView }>(`query ($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id }, token))
    .data!.job;
}

describe("audit export job", () => {
  it("runs in a worker, reports progress and produces a downloadable CSV", async () => {
    const started = await start(auditor, { type: "AUDIT_EXPORT", params: { action: "user.signed_in" } });
    expect(started.errors).toBeUndefined();
    expect(started.data?.startJob).toMatchObject({
      type: "AUDIT_EXPORT",
      state: "QUEUED",
      progressDone: 0,
      hasOutput: false,
    });
    const id = started.data!.startJob.id;

    expect(await h.worker.drain()).toBe(1);

    const done = await job(id);
    expect(done).toMatchObject({
      state: "SUCCEEDED",
      progressDone: 4,
      progressTotal: 4,
      progressPercent: 100,
      hasOutput: true,
    });
    expect(done.result).toMatchObject({ rows: 4 });
    const res = await fetch(new URL(done.outputUrl!, h.url), {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/audit-log-.*\.csv/);
    const lines = (await res.text()).trim().split("\n");
    expect(lines[0]).toBe(
      "occurred_at,actor_id,actor_name,action,entity_type,entity_id,request_id,before,after",
    );
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).every((l) => l.includes("user.signed_in"))).toBe(true);
  });

  it("refuses to download without a token", async () => {
    const started = await start(admin, { type: "AUDIT_EXPORT" });
    await h.worker.drain();
    const res = await fetch(`${h.url}/jobs/${started.data!.startJob.id}/output`);
    expect(res.status).toBe(401);
  });

  it("returns the same job when a start is retried with the same idempotency key", async () => {
    const before = await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_event WHERE action = 'job.started'",
    );
    const first = await start(admin, { type: "AUDIT_EXPORT", idempotencyKey: "export-2026-11-21" });
    const again = await start(admin, { type: "AUDIT_EXPORT", idempotencyKey: "export-2026-11-21" });
    expect(again.data?.startJob.id).toBe(first.data?.startJob.id);
    const after = await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_event WHERE action = 'job.started'",
    );
    expect(after[0]!.n - before[0]!.n).toBe(1);
  });

  it("rejects unknown parameters with BAD_USER_INPUT", async () => {
    const res = await start(admin, { type: "AUDIT_EXPORT", params: { everything: true } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.params" });
  });

  it("refuses roles that may not export the audit log", async () => {
    const res = await start(await h.userToken("registrar"), { type: "AUDIT_EXPORT" });
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("cancels a queued job once, and audits it", async () => {
    await h.worker.drain();
    const { id } = (await start(admin, { type: "AUDIT_EXPORT" })).data!.startJob;
    const cancelled = await h.gql<{ cancelJob: JobView }>(
      "mutation ($id: ID!) { cancelJob(id: $id) { state } }",
      { id },
      admin,
    );
    expect(cancelled.data?.cancelJob.state).toBe("CANCELLED");
    const again = await h.gql("mutation ($id: ID!) { cancelJob(id: $id) { state } }", { id }, admin);
    expect(again.errors?.[0]?.extensions?.code).toBe("INVALID_STATE_TRANSITION");
    expect(await h.worker.drain()).toBe(0);
    const events = await h.sql("SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY occurred_at", [
      id,
    ]);
    expect(events.map((e) => e.action)).toEqual(["job.started", "job.cancelled"]);
  });

  it("retries a failing job and marks it FAILED after its last attempt", async () => {
    const { id } = (await start(admin, { type: "AUDIT_EXPORT" })).data!.startJob;
    // Break the job's parameters behind the API's back so the handler throws.
    await h.sql("UPDATE job SET params = '{\"bogus\": 1}', max_attempts = 2 WHERE id = $1", [id]);
    expect(await h.worker.drain()).toBe(1);
    let view = await job(id);
    expect(view.state).toBe("QUEUED");
    await h.sql("UPDATE job SET run_after = now() WHERE id = $1", [id]);
    expect(await h.worker.drain()).toBe(1);
    view = await job(id);
    expect(view.state).toBe("FAILED");
    expect(view.error).toMatch(/bogus/);
  });

  it("requeues a job whose worker stopped responding", async () => {
    const { id } = (await start(admin, { type: "AUDIT_EXPORT" })).data!.startJob;
    await h.sql(
      "UPDATE job SET state = 'RUNNING', attempts = 1, heartbeat_at = now() - interval '10 minutes', locked_by = 'gone' WHERE id = $1",
      [id],
    );
    expect(await h.worker.drain()).toBe(1);
    expect((await job(id)).state).toBe("SUCCEEDED");
  });

  it("lists jobs with filters, sorting and a total", async () => {
    const res = await h.gql<{ jobs: JobView[]; _jobsMeta: { count: number } }>(
      '{ jobs(filter: { state: SUCCEEDED }, sortField: "createdAt", sortOrder: "ASC", perPage: 2) { id state } _jobsMeta(filter: { state: SUCCEEDED }) { count } }',
      {},
      admin,
    );
    expect(res.data?.jobs).toHaveLength(2);
    expect(res.data?.jobs.every((j) => j.state === "SUCCEEDED")).toBe(true);
    expect(res.data?._jobsMeta.count).toBeGreaterThanOrEqual(3);
  });
});
