// The registry import reads XLSX workbooks through the same path as CSV files:
// a workbook and the CSV with the same rows give the same registry.
import { stringify } from "csv-stringify/sync";
import writeXlsxFile from "write-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XLSX_CONTENT_TYPE } from "../src/modules/imports/xlsx.ts";
import { withLuhnDigit } from "@pbms/db/testing";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;

const GROUPS = [
  "household_id,name,gaz_large,gaz_small",
  "HH-X-1,Imani household,NAI,NAI-KIB",
  "HH-X-2,Baraka household,KSM,KSM-NYA",
].join("\n");

const id1 = withLuhnDigit("880000001");
const id2 = withLuhnDigit("880000002");
const badId = id1.slice(0, -1) + String((Number(id1.at(-1)) + 1) % 10);
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

type Value = string | number | boolean | Date | null;
/** Individuals as a registrar types them in a spreadsheet: dates, numbers and booleans as such. */
const PEOPLE: Value[][] = [
  [
    "individual_id",
    "household_id",
    "member_kind",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "national_id",
    "phone",
    "disability",
  ],
  [
    "IND-X-1",
    "HH-X-1",
    "head",
    "Imani",
    "Otieno",
    day(1980, 2, 3),
    "female",
    Number(id1),
    "+254 712 000 001",
    false,
  ],
  ["IND-X-2", "HH-X-1", "child", "Tumaini", "Otieno-Ñandú", day(2015, 7, 8), "m", null, null, null],
  ["IND-X-3", "HH-X-1", "head", "Second", "Head", day(1979, 1, 1), "male", Number(id2), null, null],
  ["IND-X-4", "HH-X-9", "child", "No", "Household", day(2016, 1, 1), "female", null, null, null],
  ["IND-X-5", "HH-X-2", "head", "Bad", "Id", "1975-13-40", "female", Number(badId), "0712", null],
  ["IND-X-6", "HH-X-2", "spouse", "Zoë", 'Wanjiru, "Njeri"\nKamau', day(1990, 12, 31), "f", null, null, true],
];

const MAPPING = {
  individual_id: "external_id",
  household_id: "group_external_id",
  member_kind: "membership_kind",
};

/** The same rows as CSV: dates as YYYY-MM-DD, booleans as true/false. */
function peopleCsv(): string {
  const text = (v: Value) => (v === null ? "" : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
  return stringify(PEOPLE.map((row) => row.map(text)));
}

async function upload(fileName: string, body: Buffer | string, contentType: string) {
  const res = await fetch(`${h.url}/files?purpose=IMPORT`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${registrar}`,
      "content-type": contentType,
      "x-file-name": encodeURIComponent(fileName),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as { id: string } };
}

async function runImport(fileId: string, params: Record<string, unknown>) {
  const started = await h.gql<{ startJob: { id: string } }>(
    "mutation ($input: StartJobInput!) { startJob(input: $input) { id } }",
    { input: { type: "REGISTRY_IMPORT", params: { fileId, ...params } } },
    registrar,
  );
  expect(started.errors).toBeUndefined();
  await h.worker.drain();
  const id = started.data!.startJob.id;
  const job = await h.gql<{ job: { state: string; result: Record<string, unknown>; error: string | null } }>(
    "query ($id: ID!) { job(id: $id) { state result error } }",
    { id },
    registrar,
  );
  const errors = await h.sql<{ line: number; column: string; message: string }>(
    'SELECT line::int, "column", message FROM import_error WHERE job_id = $1 ORDER BY line, "column"',
    [id],
  );
  return { id, ...job.data!.job, errors };
}

beforeAll(async () => {
  h = await startHarness();
  registrar = await h.userToken("registrar");
  const groups = await upload("households.csv", GROUPS, "text/csv");
  const job = await runImport(groups.body.id, { entity: "GROUP", mapping: { household_id: "external_id" } });
  expect(job.result).toMatchObject({ inserted: 2, rejected: 0 });
});
afterAll(() => h?.close());

describe("registry import of XLSX workbooks", () => {
  it("imports a workbook of individuals as it imports the same rows as CSV", async () => {
    const xlsx = await writeXlsxFile(PEOPLE, { dateFormat: "dd/mm/yyyy" }).toBuffer();
    const uploaded = await upload("people.xlsx", xlsx, XLSX_CONTENT_TYPE);
    expect(uploaded.status).toBe(201);
    const fromXlsx = await runImport(uploaded.body.id, { entity: "INDIVIDUAL", mapping: MAPPING });
    expect(fromXlsx.state).toBe("SUCCEEDED");
    expect(fromXlsx.result).toMatchObject({ rows: 6, inserted: 3, updated: 0, rejected: 3 });
    expect(fromXlsx.errors.map((e) => `${e.line} ${e.column}`)).toEqual([
      "4 member_kind", // a second head
      "5 household_id", // no such household
      "6 birth_date",
      "6 national_id",
      "6 phone",
    ]);
    const people = await h.sql(
      `SELECT r.external_id, r.given_name, r.family_name, r.birth_date::text, r.sex, r.attributes,
              (SELECT string_agg(value, ';') FROM registrant_identifier i WHERE i.registrant_id = r.id) AS ids,
              (SELECT string_agg(e164, ';') FROM phone p WHERE p.registrant_id = r.id) AS phones
         FROM registrant r WHERE r.external_id LIKE 'IND-X-%' ORDER BY r.external_id`,
    );
    expect(people).toEqual([
      {
        external_id: "IND-X-1",
        given_name: "Imani",
        family_name: "Otieno",
        birth_date: "1980-02-03",
        sex: "FEMALE",
        attributes: { disability: false },
        ids: id1,
        phones: "+254712000001",
      },
      {
        external_id: "IND-X-2",
        given_name: "Tumaini",
        family_name: "Otieno-Ñandú",
        birth_date: "2015-07-08",
        sex: "MALE",
        attributes: {},
        ids: null,
        phones: null,
      },
      {
        external_id: "IND-X-6",
        given_name: "Zoë",
        family_name: 'Wanjiru, "Njeri"\nKamau',
        birth_date: "1990-12-31",
        sex: "FEMALE",
        attributes: { disability: true },
        ids: null,
        phones: null,
      },
    ]);

    // The equivalent CSV finds every value already there, and rejects the same rows for the same reasons.
    const snapshot = () =>
      h.sql(
        `SELECT r.id, r.version, r.updated_at,
                (SELECT count(*) FROM registrant_identifier i WHERE i.registrant_id = r.id) AS ids,
                (SELECT count(*) FROM phone p WHERE p.registrant_id = r.id) AS phones,
                (SELECT count(*) FROM group_membership m WHERE m.individual_id = r.id) AS memberships
           FROM registrant r WHERE r.external_id LIKE 'IND-X-%' ORDER BY r.id`,
      );
    const before = await snapshot();
    const csv = await upload("people.csv", peopleCsv(), "text/csv");
    const fromCsv = await runImport(csv.body.id, { entity: "INDIVIDUAL", mapping: MAPPING });
    expect(fromCsv.result).toMatchObject({ rows: 6, rejected: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect(fromCsv.errors).toEqual(fromXlsx.errors);
    expect(await snapshot()).toEqual(before);
  });

  it("fails the job at once when a file is not a workbook it claims to be", async () => {
    const uploaded = await upload("people.xlsx", "individual_id\nIND-X-7\n", XLSX_CONTENT_TYPE);
    expect(uploaded.status).toBe(201);
    const job = await runImport(uploaded.body.id, { entity: "INDIVIDUAL", mapping: MAPPING });
    expect(job.state).toBe("FAILED");
    expect(job.error).toBe("This file is not an XLSX workbook");
  });
});
