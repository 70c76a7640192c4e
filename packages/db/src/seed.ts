import pg from "pg";
import { seedRegistry } from "./seed-registry.ts";

/** Departments of the demo data; codes match the local identity provider's `tenant` claims. */
export const DEMO_DEPARTMENTS = [
  {
    code: "demo",
    name: "Demo Department of Social Protection",
    locale: "en",
    currency: "USD",
    timezone: "UTC",
  },
  { code: "other", name: "Other Department", locale: "fr", currency: "EUR", timezone: "Europe/Paris" },
] as const;

/**
 * Seeds demo data through the owner connection. Idempotent: a second run adds
 * nothing. Refuses to run when NODE_ENV is production.
 */
export async function seedDemo(ownerUrl: string): Promise<{ departmentsCreated: number }> {
  if (process.env.NODE_ENV === "production") throw new Error("refusing to seed demo data in production");
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    let departmentsCreated = 0;
    for (const d of DEMO_DEPARTMENTS) {
      const res = await client.query(
        `INSERT INTO department (id, code, name, locale, currency, timezone)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)
         ON CONFLICT (code) DO NOTHING`,
        [d.code, d.name, d.locale, d.currency, d.timezone],
      );
      departmentsCreated += res.rowCount ?? 0;
    }
    await seedRegistry(client);
    return { departmentsCreated };
  } finally {
    await client.end();
  }
}
