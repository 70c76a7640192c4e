import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
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

describe("job outputs", () => {
  const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
  /** Every file in the API's storage directory. */
  const storedFiles = async () =>
    (await readdir(h.storageDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  const download = (id: string, token: string) =>
    fetch(`${h.url}/jobs/${id}/output`, { headers: { authorization: `Bearer ${token}` } });
  const finished = async (token: string, input: Record<string, unknown>) => {
    const started = await start(token, input);
    expect(started.errors).toBeUndefined();
    expect(await h.worker.drain()).toBe(1);
    return job(started.data!.startJob.id, token);
  };

  it("writes an export's file to storage, not to the database, and downloads it byte for byte", async () => {
    const registrar = await h.userToken("registrar");
    const done = await finished(registrar, { type: "REGISTRY_EXPORT", params: {} });
    expect(done).toMatchObject({ state: "SUCCEEDED", hasOutput: true, outputUrl: `/jobs/${done.id}/output` });

    const [row] = await h.sql<{
      tenant_id: string;
      storage_key: string | null;
      inline: boolean;
      byte_size: string;
      sha256: string;
    }>(
      "SELECT tenant_id, storage_key, data IS NOT NULL AS inline, byte_size::text, sha256 FROM job_output WHERE job_id = $1",
      [done.id],
    );
    expect(row).toMatchObject({
      inline: false,
      storage_key: expect.stringMatching(/^[0-9a-f-]{36}\/[0-9a-f-]{36}$/),
    });
    expect(row!.storage_key!.startsWith(`${row!.tenant_id}/`)).toBe(true);
    const stored = await readFile(join(h.storageDir, row!.storage_key!));
    expect(stored.length).toBe(Number(row!.byte_size));
    expect(sha256(stored)).toBe(row!.sha256);
    expect(done.result).toMatchObject({ bytes: stored.length });
    expect(stored.toString("utf8")).toMatch(/^id,external_id,kind,name,/);

    const res = await download(done.id, registrar);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-length")).toBe(row!.byte_size);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="?registry-\d{4}-\d{2}-\d{2}\.csv"?$/,
    );
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(stored)).toBe(true);
  });

  it("still downloads an output kept in its row from before outputs went to storage", async () => {
    const done = await finished(auditor, { type: "AUDIT_EXPORT" });
    const legacy = Buffer.from("occurred_at,action\n2026-01-01T00:00:00.000Z,user.signed_in\n");
    const [row] = await h.sql<{ storage_key: string }>(
      "SELECT storage_key FROM job_output WHERE job_id = $1",
      [done.id],
    );
    await h.sql(
      "UPDATE job_output SET storage_key = NULL, sha256 = NULL, data = $2, byte_size = $3 WHERE job_id = $1",
      [done.id, legacy, legacy.length],
    );

    const res = await download(done.id, auditor);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(legacy)).toBe(true);
    // The file the job wrote is still in storage, but the row no longer points to it.
    expect(await storedFiles()).toContain(join(h.storageDir, row!.storage_key));
  });

  it("refuses a row with its content in both places or in neither", async () => {
    const done = await finished(auditor, { type: "AUDIT_EXPORT" });
    await expect(h.sql("UPDATE job_output SET data = '\\x00' WHERE job_id = $1", [done.id])).rejects.toThrow(
      /job_output_content_in_one_place/,
    );
    await expect(
      h.sql("UPDATE job_output SET storage_key = NULL WHERE job_id = $1", [done.id]),
    ).rejects.toThrow(/job_output_content_in_one_place/);
  });

  it("answers 404 NOT_FOUND when an output's file is missing from storage", async () => {
    const done = await finished(auditor, { type: "AUDIT_EXPORT" });
    await h.sql("UPDATE job_output SET storage_key = storage_key || '-gone' WHERE job_id = $1", [done.id]);

    const res = await download(done.id, auditor);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "NOT_FOUND", message: `The output of job ${done.id} is missing from storage` },
    });
  });

  it("deletes the file of an export cancelled while it ran", async () => {
    const registrar = await h.userToken("registrar");
    const before = await storedFiles();
    const { id } = (await start(registrar, { type: "REGISTRY_EXPORT", params: {} })).data!.startJob;
    // Cancellation asked for once the worker has it: the file is written, then dropped.
    await h.sql("UPDATE job SET cancel_requested = true WHERE id = $1", [id]);
    expect(await h.worker.drain()).toBe(1);

    expect(await job(id, registrar)).toMatchObject({ state: "CANCELLED", hasOutput: false, outputUrl: null });
    expect(await h.sql("SELECT 1 FROM job_output WHERE job_id = $1", [id])).toEqual([]);
    expect(await storedFiles()).toEqual(before);
  });
});
