// The SQL conversions and check digits of the registry import agree with the
// TypeScript validators the API uses for single records.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@pbms/db/testing";
import { SESSION_OBJECTS, sqlBool, sqlDate, sqlDigits, sqlLuhn } from "../src/modules/imports/import.sql.ts";
import { luhnValid, verhoeffValid } from "../src/modules/registry/checks.ts";

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  await client.query(SESSION_OBJECTS);
});
afterAll(() => client?.end());

/** Evaluates `expr(v)` in PostgreSQL for each value. */
async function evaluate(values: string[], expr: (v: string) => string): Promise<unknown[]> {
  const { rows } = await client.query(
    `SELECT ${expr("v")} AS r FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i`,
    [values],
  );
  return rows.map((r) => r.r);
}

describe("import SQL", () => {
  it("reads a date only when it is a real calendar date written YYYY-MM-DD", async () => {
    const values = [
      "2024-02-29",
      "2023-02-29",
      "1900-02-29",
      "2000-02-29",
      "2024-04-31",
      "2024-12-31",
      "2024-13-01",
      "2024-00-10",
      "0000-01-01",
      "2024-1-01",
      "24-01-01",
      "2024-01-01x",
      "01/02/2024",
      "",
    ];
    const isoDay = (v: string) => {
      if (!/^\d{4}-\d\d-\d\d$/.test(v) || v.startsWith("0000")) return null;
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? v : null;
    };
    expect(await evaluate(values, (v) => `(${sqlDate(v)})::text`)).toEqual(values.map(isoDay));
  });

  it("reads the same dates through the calendar as through the expression", async () => {
    const values = [
      "1879-12-31",
      "1880-01-01",
      "1962-07-15",
      "2100-12-31",
      "2101-01-01",
      "2096-02-29",
      "2100-02-29",
      "1750-06-30",
      "2024-06-31",
      "2024-6-30",
      "",
    ];
    const { rows } = await client.query(
      `SELECT coalesce(c.d, ${sqlDate("t.v")})::text AS looked_up, (${sqlDate("t.v")})::text AS computed, c.d IS NOT NULL AS hit
         FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) LEFT JOIN pg_temp.calendar c ON c.txt = t.v ORDER BY i`,
      [values],
    );
    expect(rows.map((r) => r.looked_up)).toEqual(rows.map((r) => r.computed));
    expect(rows.map((r) => r.computed)).toEqual([
      "1879-12-31",
      "1880-01-01",
      "1962-07-15",
      "2100-12-31",
      "2101-01-01",
      "2096-02-29",
      null,
      "1750-06-30",
      null,
      null,
      null,
    ]);
    // Only the years the calendar holds are looked up; the others fall back.
    expect(rows.map((r) => r.hit)).toEqual([
      false,
      true,
      true,
      true,
      false,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("reads booleans in the spellings registrars use", async () => {
    expect(await evaluate(["true", "Yes", "1", "FALSE", "no", "0", "maybe"], sqlBool)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      null,
    ]);
  });

  it("computes Luhn and Verhoeff check digits as the API does", async () => {
    const values = Array.from({ length: 400 }, (_, i) =>
      String((i * 7919 + 12345) * 104729).slice(0, 6 + (i % 9)),
    );
    values.push("0", "79927398713", "2363", "12a4", "");
    for (const [fn, ts] of [
      ["luhn", luhnValid],
      ["verhoeff", verhoeffValid],
    ] as const) {
      const expected = values.map(ts);
      expect(expected.filter(Boolean).length).toBeGreaterThan(10);
      expect(await evaluate(values, (v) => `pg_temp.${fn}(${v})`)).toEqual(expected);
    }
  });

  it("computes the Luhn check of up to 18 digits in integer arithmetic as the API does", async () => {
    const values = Array.from({ length: 600 }, (_, i) =>
      String(BigInt(i * 7919 + 12345) * 1046527n * BigInt(i + 1) ** 3n).slice(0, 1 + (i % 18)),
    );
    values.push("0", "79927398713", "000000000000000000", "999999999999999999", "0079927398713");
    const expected = values.map(luhnValid);
    expect(expected.filter(Boolean).length).toBeGreaterThan(30);
    expect(expected.filter((ok) => !ok).length).toBeGreaterThan(30);
    expect(await evaluate(values, (v) => sqlLuhn(`(${sqlDigits(v)})`))).toEqual(expected);
    // Longer or non-numeric values are left to the PL/pgSQL function.
    expect(await evaluate(["1234567890123456789", "12a4", ""], sqlDigits)).toEqual([null, null, null]);
  });
});
