import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadDatabase, withDatabase } from "./load";

// Runs only against a real server: TEST_DATABASE_URL (preferred) or DATABASE_URL.
// A uniquely named database is created for the test and dropped afterwards.
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const HOUSEHOLDS = 1000;

describe.skipIf(!serverUrl)("COPY into PostgreSQL", () => {
  const database = `pbms_bench_test_${process.pid}_${Date.now().toString(36)}`;
  let dbUrl = "";

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    dbUrl = withDatabase(serverUrl as string, database);
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  const count = async (client: pg.Client, sql: string): Promise<number> =>
    Number((await client.query<{ n: string }>(sql)).rows[0]?.n);

  test.each([
    ["concurrent", { sequential: false, unlogged: false }],
    ["sequential + unlogged", { sequential: true, unlogged: true }],
  ])(
    "loads a small workload (%s) with exact row counts and constraints",
    async (_name, flags) => {
      const steps = await loadDatabase(dbUrl, { households: HOUSEHOLDS, seed: 7, ...flags });
      expect(steps.find((s) => s.step === "copy household")?.rows).toBe(HOUSEHOLDS);
      expect(steps.find((s) => s.step === "copy individual")?.rows).toBe(4 * HOUSEHOLDS);

      const client = new pg.Client({ connectionString: dbUrl });
      await client.connect();
      try {
        expect(await count(client, "SELECT count(*) AS n FROM bench.household")).toBe(HOUSEHOLDS);
        expect(await count(client, "SELECT count(*) AS n FROM bench.individual")).toBe(4 * HOUSEHOLDS);
        expect(await count(client, "SELECT count(*) AS n FROM bench.area")).toBe(420);
        // Exactly one head per household.
        expect(
          await count(
            client,
            `SELECT count(*) AS n FROM bench.household h
           WHERE (SELECT count(*) FROM bench.individual i
                  WHERE i.household_id = h.household_id AND i.member_kind = 'head') <> 1`,
          ),
        ).toBe(0);
        // Locality belongs to district.
        expect(
          await count(
            client,
            `SELECT count(*) AS n FROM bench.household h JOIN bench.area a ON a.code = h.gaz_small
           WHERE a.parent_code IS DISTINCT FROM h.gaz_large`,
          ),
        ).toBe(0);
        // Empty CSV fields arrive as NULL.
        expect(await count(client, "SELECT count(*) AS n FROM bench.individual WHERE phone = ''")).toBe(0);
        expect(
          await count(client, "SELECT count(*) AS n FROM bench.individual WHERE dup_of IS NOT NULL"),
        ).toBeGreaterThan(0);
        const persistence = await client.query<{ relpersistence: string }>(
          "SELECT relpersistence FROM pg_class WHERE oid = 'bench.individual'::regclass",
        );
        expect(persistence.rows[0]?.relpersistence).toBe(flags.unlogged ? "u" : "p");
        // Keys were added after the load.
        const constraints = await client.query<{ conname: string }>(
          "SELECT conname FROM pg_constraint WHERE connamespace = 'bench'::regnamespace ORDER BY conname",
        );
        expect(constraints.rows.map((r) => r.conname)).toEqual(
          expect.arrayContaining([
            "household_pkey",
            "individual_pkey",
            "individual_national_id_key",
            "individual_household_id_fkey",
            "individual_dup_of_fkey",
          ]),
        );
      } finally {
        await client.end();
      }
    },
    120_000,
  );
});
