import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let demoAdmin: string;
let otherAdmin: string;
let demoId: string;

beforeAll(async () => {
  h = await startHarness();
  demoAdmin = await h.userToken("admin");
  otherAdmin = await h.userToken("other-admin");
  const res = await h.gql<{ viewer: { department: { id: string } } }>(
    "{ viewer { department { id } } }",
    {},
    demoAdmin,
  );
  demoId = res.data!.viewer.department.id;
  await h.gql("mutation { recordSignIn { id } }", {}, demoAdmin);
  await h.gql("mutation { recordSignIn { id } }", {}, otherAdmin);
});
afterAll(() => h?.close());

describe("department isolation through the API", () => {
  it("shows each department only its own audit events and users", async () => {
    const demo = await h.gql<{ auditEvents: { actorName: string }[]; userProfiles: { username: string }[] }>(
      "{ auditEvents { actorName } userProfiles { username } }",
      {},
      demoAdmin,
    );
    const other = await h.gql<{ auditEvents: { actorName: string }[]; userProfiles: { username: string }[] }>(
      "{ auditEvents { actorName } userProfiles { username } }",
      {},
      otherAdmin,
    );
    expect(demo.data?.userProfiles.map((u) => u.username)).toEqual(["admin"]);
    expect(other.data?.userProfiles.map((u) => u.username)).toEqual(["other-admin"]);
    expect(other.data?.auditEvents.length).toBeGreaterThan(0);
    expect(other.data?.auditEvents.every((e) => e.actorName !== "Demo Admin")).toBe(true);
  });

  it("cannot read another department by id", async () => {
    const res = await h.gql("query ($id: ID!) { department(id: $id) { name } }", { id: demoId }, otherAdmin);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ department: null });
  });

  it("cannot change another department, and nothing changes", async () => {
    const res = await h.gql(
      'mutation ($id: ID!) { updateDepartment(id: $id, name: "Taken over") { name } }',
      { id: demoId },
      otherAdmin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const [row] = await h.sql<{ name: string }>("SELECT name FROM department WHERE id = $1", [demoId]);
    expect(row?.name).not.toBe("Taken over");
  });

  it("cannot see or download another department's jobs", async () => {
    const started = await h.gql<{ startJob: { id: string } }>(
      "mutation { startJob(input: { type: AUDIT_EXPORT }) { id } }",
      {},
      demoAdmin,
    );
    const id = started.data!.startJob.id;
    await h.worker.drain();
    const seen = await h.gql("query ($id: ID!) { job(id: $id) { id } }", { id }, otherAdmin);
    expect(seen.data).toEqual({ job: null });
    const cancel = await h.gql("mutation ($id: ID!) { cancelJob(id: $id) { id } }", { id }, otherAdmin);
    expect(cancel.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const download = await fetch(`${h.url}/jobs/${id}/output`, {
      headers: { authorization: `Bearer ${otherAdmin}` },
    });
    expect(download.status).toBe(404);
    const own = await fetch(`${h.url}/jobs/${id}/output`, {
      headers: { authorization: `Bearer ${demoAdmin}` },
    });
    expect(own.status).toBe(200);
  });

  it("isolates integrators of different departments", async () => {
    const demo = await h.clientToken("demo-integrator", "demo-integrator-secret");
    const other = await h.clientToken("other-integrator", "other-integrator-secret");
    const a = await h.gql<{ viewer: { department: { code: string } } }>(
      "{ viewer { department { code } } }",
      {},
      demo,
    );
    const b = await h.gql<{ viewer: { department: { code: string } } }>(
      "{ viewer { department { code } } }",
      {},
      other,
    );
    expect(a.data?.viewer.department.code).toBe("demo");
    expect(b.data?.viewer.department.code).toBe("other");
    const jobs = await h.gql<{ jobs: unknown[] }>("{ jobs { id } }", {}, other);
    expect(jobs.data?.jobs).toEqual([]);
  });
});
