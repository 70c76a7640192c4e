import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_DEPARTMENTS, seedDemo } from "../src/seed.ts";
import { createTestDatabase, withClient, type TestDatabase } from "../src/testing.ts";

let db: TestDatabase;
let demoId: string;
let otherId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await withClient(db.ownerUrl, async (c) => {
    const { rows } = await c.query<{ code: string; id: string }>("SELECT code, id FROM department");
    demoId = rows.find((r) => r.code === "demo")!.id;
    otherId = rows.find((r) => r.code === "other")!.id;
  });
});
afterAll(() => db?.drop());

/** Runs statements as the application role inside one transaction scoped to a department. */
async function asApp<T>(tenantId: string | null, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withClient(db.appUrl, async (c) => {
    await c.query("BEGIN");
    try {
      if (tenantId) await c.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      return await fn(c);
    } finally {
      await c.query("ROLLBACK");
    }
  });
}

describe("row-level security", () => {
  it("enables and forces a tenant policy on every table that has a tenant_id column", async () => {
    const rows = await withClient(
      db.ownerUrl,
      async (c) =>
        (
          await c.query<{ table: string; enabled: boolean; forced: boolean; policies: number }>(`
          SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                 (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid
                    AND pg_get_expr(p.polqual, p.polrelid) LIKE '%app_current_tenant()%') AS policies
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
           WHERE c.relkind IN ('r', 'p')
             AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`)
        ).rows,
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const unprotected = rows.filter((r) => !r.enabled || !r.forced || r.policies < 1).map((r) => r.table);
    expect(unprotected).toEqual([]);
  });

  it("fires every trigger also in bulk loads (session_replication_role = replica)", async () => {
    const notAlways = await withClient(db.ownerUrl, async (c) =>
      (
        await c.query<{ trigger: string }>(`
          SELECT c.relname || '.' || t.tgname AS trigger FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
           WHERE NOT t.tgisinternal AND t.tgenabled <> 'A' ORDER BY 1`)
      ).rows.map((r) => r.trigger),
    );
    expect(notAlways).toEqual([]);
  });

  it("lets the application role own no table", async () => {
    const owned = await withClient(
      db.ownerUrl,
      async (c) =>
        (
          await c.query(`SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                        WHERE r.rolname IN ('pbms_api', 'pbms_app')`)
        ).rowCount,
    );
    expect(owned).toBe(0);
  });

  it("shows a department only its own rows", async () => {
    await withClient(db.ownerUrl, async (c) => {
      for (const [tenant, action] of [
        [demoId, "demo.thing"],
        [otherId, "other.thing"],
      ]) {
        await c.query("BEGIN");
        await c.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
        await c.query(
          `INSERT INTO audit_event (id, tenant_id, actor_id, actor_name, action, entity_type)
           VALUES (gen_random_uuid(), $1, 'seed', 'seed', $2, 'Test')`,
          [tenant, action],
        );
        await c.query("COMMIT");
      }
    });
    const seenByDemo = await asApp(
      demoId,
      async (c) => (await c.query("SELECT action FROM audit_event")).rows,
    );
    expect(seenByDemo.map((r) => r.action)).toEqual(["demo.thing"]);
    const seenWithoutTenant = await asApp(
      null,
      async (c) => (await c.query("SELECT * FROM audit_event")).rowCount,
    );
    expect(seenWithoutTenant).toBe(0);
    const departments = await asApp(demoId, async (c) => (await c.query("SELECT code FROM department")).rows);
    expect(departments).toEqual([{ code: "demo" }]);
  });

  it("refuses writes into another department", async () => {
    await expect(
      asApp(demoId, (c) =>
        c.query(
          `INSERT INTO job (id, tenant_id, type, created_by_id, created_by_name)
           VALUES (gen_random_uuid(), $1, 'AUDIT_EXPORT', 'x', 'x')`,
          [otherId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await asApp(
      demoId,
      async (c) =>
        (await c.query("UPDATE department SET name = 'hijacked' WHERE id = $1", [otherId])).rowCount,
    );
    expect(updated).toBe(0);
    await expect(
      asApp(demoId, (c) => c.query("DELETE FROM department WHERE id = $1", [demoId])),
    ).rejects.toThrow(/permission denied/);
  });

  it("resolves department codes for the API without exposing other rows", async () => {
    const id = await asApp(
      null,
      async (c) => (await c.query("SELECT app_department_id('other') AS id")).rows[0].id,
    );
    expect(id).toBe(otherId);
  });
});

describe("audit log", () => {
  it("is append-only, even for the table owner", async () => {
    await withClient(db.ownerUrl, async (c) => {
      await expect(c.query("UPDATE audit_event SET action = 'x'")).rejects.toThrow(/append-only/);
      await expect(c.query("DELETE FROM audit_event")).rejects.toThrow(/append-only/);
      await expect(c.query("TRUNCATE audit_event")).rejects.toThrow(/append-only/);
    });
    await expect(asApp(demoId, (c) => c.query("DELETE FROM audit_event"))).rejects.toThrow(
      /permission denied/,
    );
  });
});

describe("demo seed", () => {
  it("is idempotent: seeding an already seeded database adds nothing", async () => {
    const count = () =>
      withClient(
        db.ownerUrl,
        async (c) => (await c.query("SELECT count(*)::int AS n FROM department")).rows[0].n,
      );
    const before = await count();
    expect(before).toBe(DEMO_DEPARTMENTS.length);
    expect(await seedDemo(db.ownerUrl)).toEqual({ departmentsCreated: 0 });
    expect(await count()).toBe(before);
  });
});
