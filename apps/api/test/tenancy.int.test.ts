import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let admin: string;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.userToken("admin");
});
afterAll(() => h?.close());

describe("sign-in record", () => {
  it("creates the user's directory entry and an audit event in one step", async () => {
    const res = await h.gql<{ recordSignIn: { username: string; roles: string[]; lastSignInAt: string } }>(
      "mutation { recordSignIn { username roles lastSignInAt } }",
      {},
      admin,
    );
    expect(res.data?.recordSignIn).toMatchObject({ username: "admin", roles: ["admin"] });
    const events = await h.gql<{ auditEvents: { action: string; actorName: string; entityType: string }[] }>(
      '{ auditEvents(filter: { action: "user.signed_in" }) { action actorName entityType } }',
      {},
      admin,
    );
    expect(events.data?.auditEvents).toEqual([
      { action: "user.signed_in", actorName: "Demo Admin", entityType: "UserProfile" },
    ]);
  });

  it("lists users with the roles their tokens carried", async () => {
    await h.gql("mutation { recordSignIn { id } }", {}, await h.userToken("finance"));
    const res = await h.gql<{
      userProfiles: { username: string; roles: string[] }[];
      _userProfilesMeta: { count: number };
    }>(
      '{ userProfiles(sortField: "username", sortOrder: "ASC") { username roles } _userProfilesMeta { count } }',
      {},
      admin,
    );
    expect(res.data?.userProfiles).toEqual([
      { username: "admin", roles: ["admin"] },
      { username: "finance", roles: ["finance"] },
    ]);
    expect(res.data?._userProfilesMeta.count).toBe(2);
  });
});

describe("department settings", () => {
  it("changes the settings and audits exactly the changed fields", async () => {
    const { id } = (
      await h.gql<{ viewer: { department: { id: string } } }>("{ viewer { department { id } } }", {}, admin)
    ).data!.viewer.department;
    const res = await h.gql<{ updateDepartment: { currency: string; timezone: string } }>(
      'mutation ($id: ID!) { updateDepartment(id: $id, currency: "KES", timezone: "Africa/Nairobi") { currency timezone } }',
      { id },
      admin,
    );
    expect(res.data?.updateDepartment).toEqual({ currency: "KES", timezone: "Africa/Nairobi" });
    const [event] = await h.sql<{ before: unknown; after: unknown; request_id: string }>(
      "SELECT before, after, request_id FROM audit_event WHERE action = 'department.updated'",
    );
    expect(event?.before).toEqual({ currency: "USD", timezone: "UTC" });
    expect(event?.after).toEqual({ currency: "KES", timezone: "Africa/Nairobi" });
    expect(event?.request_id).toBeTruthy();
  });

  it("rejects an unknown time zone on the timezone field", async () => {
    const { id } = (
      await h.gql<{ viewer: { department: { id: string } } }>("{ viewer { department { id } } }", {}, admin)
    ).data!.viewer.department;
    const res = await h.gql(
      'mutation ($id: ID!) { updateDepartment(id: $id, timezone: "Mars/Olympus") { id } }',
      { id },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "timezone" });
  });

  it("lets only admins change settings", async () => {
    const registrar = await h.userToken("registrar");
    const res = await h.gql(
      'mutation { updateDepartment(id: "00000000-0000-0000-0000-000000000000", name: "x") { id } }',
      {},
      registrar,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("dashboard", () => {
  it("counts from the server for the caller's department", async () => {
    const res = await h.gql<{
      dashboardStats: { auditEventsToday: number; users: number; jobsRunning: number };
    }>(
      "{ dashboardStats { auditEventsToday users jobsRunning jobsFailed lastSignInAt } }",
      {},
      await h.userToken("viewer"),
    );
    const [{ n }] = (await h.sql<{ n: number }>("SELECT count(*)::int AS n FROM audit_event")) as [
      { n: number },
    ];
    expect(res.data?.dashboardStats.auditEventsToday).toBe(n);
    expect(res.data?.dashboardStats.users).toBe(2);
  });
});
