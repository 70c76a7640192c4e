import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withClient, type TestDatabase } from "../src/testing.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** Runs `sql` as the application role in department demo, rolled back afterwards. */
async function asDemo(sql: string): Promise<void> {
  await withClient(db.appUrl, async (c) => {
    await c.query("BEGIN");
    try {
      await c.query("SELECT set_config('app.tenant_id', (SELECT app_department_id('demo'))::text, true)");
      await c.query(sql);
    } finally {
      await c.query("ROLLBACK");
    }
  });
}

const NEW_MEMBERSHIP = (individual: string, kind: string) => `
  INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id)
  SELECT gen_random_uuid(), g.tenant_id, g.id, i.id, k.id
    FROM registrant g, registrant i, membership_kind k
   WHERE g.external_id = 'HH-DEMO-001' AND i.external_id = '${individual}' AND k.code = '${kind}'`;

describe("group membership rules in the database", () => {
  it("refuses a second current head, also within one bulk statement", async () => {
    // IND-DEMO-001 heads HH-DEMO-001 in the demo seed; IND-DEMO-005 belongs to another household.
    await expect(asDemo(NEW_MEMBERSHIP("IND-DEMO-005", "HEAD"))).rejects.toThrow(
      /already has a current member of this kind/,
    );
    await expect(
      asDemo(
        `${NEW_MEMBERSHIP("IND-DEMO-005", "OTHER")} UNION ALL ${NEW_MEMBERSHIP("IND-DEMO-006", "OTHER").replace("INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id)", "")}`,
      ),
    ).resolves.toBeUndefined();
  });

  it("refuses a membership whose group is a person", async () => {
    await expect(
      asDemo(`INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id)
              SELECT gen_random_uuid(), i.tenant_id, i.id, j.id, k.id FROM registrant i, registrant j, membership_kind k
               WHERE i.external_id = 'IND-DEMO-001' AND j.external_id = 'IND-DEMO-005' AND k.code = 'OTHER'`),
    ).rejects.toThrow(/must reference a group/);
  });
});
