import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLuhnDigit } from "@pbms/db/testing";
import { ANALYZE_AFTER_ROWS } from "../src/modules/imports/registry-import.job.ts";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;

const GROUPS = [
  "household_id,name,gaz_large,gaz_small,address,roof_material,has_electricity,monthly_income",
  'HH-T-1,Imani household,NAI,NAI-KIB,"Plot 1, Kibera",tin,true,1200',
  "HH-T-2,Baraka household,,KSM-NYA,,thatch,no,800",
  "HH-T-3,Broken household,NAI,MSA-LIK,,glass,maybe,lots",
  "HH-T-1,Twice household,NAI,,,tin,true,1",
].join("\n");

const id1 = withLuhnDigit("770000001");
const id2 = withLuhnDigit("770000002");
const badId = id1.slice(0, -1) + String((Number(id1.at(-1)) + 1) % 10);
const PEOPLE = [
  "individual_id,household_id,member_kind,given_name,family_name,birth_date,sex,national_id,phone,disability",
  `IND-T-1,HH-T-1,head,Imani,Otieno,1980-02-03,female,${id1},+254 712 000 001,false`,
  `IND-T-2,HH-T-1,child,Tumaini,Otieno,2015-07-08,m,,,`,
  `IND-T-3,HH-T-1,head,Second,Head,1979-01-01,male,${id2},,`,
  `IND-T-4,HH-T-9,child,No,Household,2016-01-01,female,,,`,
  `IND-T-5,HH-T-2,head,Bad,Id,1975-13-40,female,${badId},0712,`,
].join("\n");

async function runImport(content: string, params: Record<string, unknown>) {
  const upload = await h.upload(registrar, "upload.csv", content);
  expect(upload.status).toBe(201);
  const started = await h.gql<{ startJob: { id: string } }>(
    "mutation ($input: StartJobInput!) { startJob(input: $input) { id } }",
    { input: { type: "REGISTRY_IMPORT", params: { fileId: upload.body.id, ...params } } },
    registrar,
  );
  expect(started.errors).toBeUndefined();
  await h.worker.drain();
  const job = await h.gql<{
    job: { state: string; result: Record<string, unknown>; error: string | null; outputUrl: string | null };
  }>(
    "query ($id: ID!) { job(id: $id) { state result error outputUrl } }",
    { id: started.data!.startJob.id },
    registrar,
  );
  return { id: started.data!.startJob.id, ...job.data!.job };
}

beforeAll(async () => {
  h = await startHarness();
  registrar = await h.userToken("registrar");
});
afterAll(() => h?.close());

describe("registry import", () => {
  it("imports valid groups, rejects bad rows with line, column and reason", async () => {
    const job = await runImport(GROUPS, { entity: "GROUP", mapping: { household_id: "external_id" } });
    expect(job.state).toBe("SUCCEEDED");
    expect(job.result).toMatchObject({ rows: 4, rejected: 2, inserted: 2, updated: 0, unchanged: 0 });
    const errors = await h.sql<{ line: number; column: string; message: string }>(
      'SELECT line, "column", message FROM import_error WHERE job_id = $1 ORDER BY line, "column"',
      [job.id],
    );
    expect(errors.map((e) => `${e.line} ${e.column}`)).toEqual([
      "4 gaz_small",
      "4 has_electricity",
      "4 monthly_income",
      "4 roof_material",
      "5 household_id",
    ]);
    const [imani] = await h.sql<{ attributes: unknown; address_text: string; gaz_large_id: string }>(
      "SELECT attributes, address_text, gaz_large_id FROM registrant WHERE external_id = 'HH-T-1'",
    );
    expect(imani?.attributes).toEqual({ roof_material: "tin", has_electricity: true, monthly_income: 1200 });
    expect(imani?.address_text).toBe("Plot 1, Kibera");
    // The zone of a household given only its GAZ-small code is completed from it.
    const [baraka] = await h.sql<{ large: string }>(
      "SELECT z.code AS large FROM registrant r JOIN geo_zone z ON z.id = r.gaz_large_id WHERE r.external_id = 'HH-T-2'",
    );
    expect(baraka?.large).toBe("KSM");
    const report = await fetch(new URL(job.outputUrl!, h.url), {
      headers: { authorization: `Bearer ${registrar}` },
    });
    // The report lists every error, in line order, as the database holds them.
    const reported = (await report.text()).trimEnd().split("\n");
    expect(reported[0]).toBe("line,column,message");
    expect(reported.slice(1).map((l) => l.split(",").slice(0, 2).join(" "))).toEqual(
      errors.map((e) => `${e.line} ${e.column}`),
    );
    expect(reported.slice(1).every((l, i) => l.includes(errors[i]!.message))).toBe(true);
  });

  it("imports individuals with identifiers, phones and household memberships", async () => {
    const job = await runImport(PEOPLE, {
      entity: "INDIVIDUAL",
      mapping: {
        individual_id: "external_id",
        household_id: "group_external_id",
        member_kind: "membership_kind",
      },
    });
    expect(job.state).toBe("SUCCEEDED");
    expect(job.result).toMatchObject({ rows: 5, inserted: 2, rejected: 3 });
    const errors = await h.sql<{ line: number; column: string }>(
      'SELECT line, "column" FROM import_error WHERE job_id = $1 ORDER BY line, "column"',
      [job.id],
    );
    expect(errors.map((e) => `${e.line} ${e.column}`)).toEqual([
      "4 member_kind", // a second head
      "5 household_id", // no such household
      "6 birth_date",
      "6 national_id",
      "6 phone",
    ]);
    const members = await h.sql<{ name: string; kind: string }>(
      `SELECT i.name, k.code AS kind FROM group_membership m JOIN registrant i ON i.id = m.individual_id
         JOIN registrant g ON g.id = m.group_id JOIN membership_kind k ON k.id = m.kind_id
        WHERE g.external_id = 'HH-T-1' ORDER BY i.name`,
    );
    expect(members).toEqual([
      { name: "Imani Otieno", kind: "HEAD" },
      { name: "Tumaini Otieno", kind: "CHILD" },
    ]);
    const [imani] = await h.sql<{ value: string; e164: string; sex: string }>(
      `SELECT ri.value, p.e164, r.sex FROM registrant r JOIN registrant_identifier ri ON ri.registrant_id = r.id
         JOIN phone p ON p.registrant_id = r.id WHERE r.external_id = 'IND-T-1'`,
    );
    expect(imani).toEqual({ value: id1, e164: "+254712000001", sex: "FEMALE" });
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = await h.sql(
      "SELECT id, version, updated_at FROM registrant WHERE external_id LIKE 'IND-T-%' OR external_id LIKE 'HH-T-%' ORDER BY id",
    );
    const counts = () =>
      h.sql(
        "SELECT (SELECT count(*) FROM registrant_identifier) AS i, (SELECT count(*) FROM phone) AS p, (SELECT count(*) FROM group_membership) AS m",
      );
    const detailCounts = await counts();
    const job = await runImport(PEOPLE, {
      entity: "INDIVIDUAL",
      mapping: {
        individual_id: "external_id",
        household_id: "group_external_id",
        member_kind: "membership_kind",
      },
    });
    expect(job.result).toMatchObject({ rows: 5, inserted: 0, updated: 0, unchanged: 2, rejected: 3 });
    expect(
      await h.sql(
        "SELECT id, version, updated_at FROM registrant WHERE external_id LIKE 'IND-T-%' OR external_id LIKE 'HH-T-%' ORDER BY id",
      ),
    ).toEqual(before);
    expect(await counts()).toEqual(detailCounts);
  });

  it("updates only what changed, and merges nothing with allOrNothing when a row is rejected", async () => {
    const fixed = PEOPLE.replace("Tumaini,Otieno", "Tumaini,Otieno-Baraka");
    const strict = await runImport(fixed, {
      entity: "INDIVIDUAL",
      allOrNothing: true,
      mapping: {
        individual_id: "external_id",
        household_id: "group_external_id",
        member_kind: "membership_kind",
      },
    });
    expect(strict.result).toMatchObject({ merged: false, inserted: 0, updated: 0 });
    expect(
      (await h.sql<{ name: string }>("SELECT name FROM registrant WHERE external_id = 'IND-T-2'"))[0]?.name,
    ).toBe("Tumaini Otieno");
    const lenient = await runImport(fixed, {
      entity: "INDIVIDUAL",
      mapping: {
        individual_id: "external_id",
        household_id: "group_external_id",
        member_kind: "membership_kind",
      },
    });
    expect(lenient.result).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const [row] = await h.sql<{ name: string; version: number }>(
      "SELECT name, version FROM registrant WHERE external_id = 'IND-T-2'",
    );
    expect(row).toEqual({ name: "Tumaini Otieno-Baraka", version: 2 });
    // The change is on the person's own audit trail, with the fields before and after.
    const events = await h.sql<{ action: string; before: unknown; after: Record<string, unknown> }>(
      `SELECT a.action, a.before, a.after FROM audit_event a JOIN registrant r ON a.entity_id = r.id::text
        WHERE r.external_id = 'IND-T-2' AND a.entity_type = 'Registrant' ORDER BY a.occurred_at, a.action`,
    );
    expect(events.map((e) => e.action)).toEqual(["registrant.created", "registrant.updated"]);
    expect(events[0]!.after).toMatchObject({ import: { line: 3, fileName: "upload.csv" } });
    expect(events[1]!.before).toEqual({ name: "Tumaini Otieno", familyName: "Otieno" });
    expect(events[1]!.after).toMatchObject({
      name: "Tumaini Otieno-Baraka",
      familyName: "Otieno-Baraka",
      import: { jobId: lenient.id, fileName: "upload.csv" },
    });
  });

  it("rejects repeated keys and wrong check digits, and reads dates outside the calendar's years", async () => {
    const a = withLuhnDigit("770000011");
    const b = withLuhnDigit("770000012");
    const wrong = b.slice(0, -1) + String((Number(b.at(-1)) + 3) % 10);
    const job = await runImport(
      [
        "individual_id,given_name,family_name,birth_date,national_id",
        `IND-R-1,Amani,Kariuki,1880-01-01,${a}`,
        `IND-R-2,Baraka,Kariuki,1990-05-06,${a}`,
        `IND-R-1,Chege,Kariuki,1990-05-07,${b}`,
        `IND-R-3,Dalia,Kariuki,1990-05-08,${wrong}`,
        `IND-R-4,Eshe,Kariuki,1879-12-31,`,
        `IND-R-5,Faraji,Kariuki,1879-02-29,`,
      ].join("\n"),
      { entity: "INDIVIDUAL", mapping: { individual_id: "external_id" } },
    );
    expect(job.state).toBe("SUCCEEDED");
    const errors = await h.sql<{ line: number; message: string }>(
      "SELECT line, message FROM import_error WHERE job_id = $1 ORDER BY line, message",
      [job.id],
    );
    expect(errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      "3: the same National ID appears earlier in the file",
      "4: the same external_id appears earlier in the file",
      "5: National ID has a wrong check digit (Luhn)",
      "6: birth_date must be a past date YYYY-MM-DD", // a real date, before 1880
      "7: birth_date must be a past date YYYY-MM-DD", // not a date (1879 had no 29 February)
    ]);
    expect(job.result).toMatchObject({ rows: 6, rejected: 5, inserted: 1 });
    const [first] = await h.sql<{ birth_date: string }>(
      "SELECT birth_date::text FROM registrant WHERE external_id = 'IND-R-1'",
    );
    expect(first?.birth_date).toBe("1880-01-01");
  });

  it("fails the job with a clear message when columns cannot be mapped", async () => {
    const job = await runImport("name,colour\nX,red", { entity: "GROUP" });
    expect(job.state).toBe("FAILED");
    expect(job.error).toMatch(/external_id/);
  });

  it("refuses uploads from roles that cannot import, and files of other departments", async () => {
    const viewerUpload = await h.upload(await h.userToken("viewer"), "x.csv", "a\n1");
    expect(viewerUpload.status).toBe(403);
    const wrongType = await h.upload(registrar, "x.exe", "MZ", "application/x-msdownload");
    expect(wrongType.status).toBe(400);
    // A file name that is not URI-encoded is a typed refusal, not a server error.
    const badName = await fetch(`${h.url}/files?purpose=IMPORT`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${registrar}`,
        "content-type": "text/csv",
        "x-file-name": "100%.csv",
      },
      body: "a\n1",
    });
    expect(badName.status).toBe(400);
    expect(await badName.json()).toMatchObject({ error: { code: "BAD_USER_INPUT", field: "fileName" } });
    const upload = await h.upload(registrar, "x.csv", GROUPS);
    const other = await h.userToken("other-admin");
    const started = await h.gql<{ startJob: { id: string } }>(
      "mutation ($input: StartJobInput!) { startJob(input: $input) { id } }",
      {
        input: {
          type: "REGISTRY_IMPORT",
          params: { fileId: upload.body.id, entity: "GROUP", mapping: { household_id: "external_id" } },
        },
      },
      other,
    );
    await h.worker.drain();
    const job = await h.gql<{ job: { state: string; error: string } }>(
      "query ($id: ID!) { job(id: $id) { state error } }",
      { id: started.data!.startJob.id },
      other,
    );
    expect(job.data?.job.state).toBe("FAILED");
    expect(job.data?.job.error).toMatch(/not found/);
  });
});

describe("registry export", () => {
  it("exports the filtered registry as CSV with identifiers and zones", async () => {
    const started = await h.gql<{ startJob: { id: string } }>(
      "mutation ($input: StartJobInput!) { startJob(input: $input) { id } }",
      { input: { type: "REGISTRY_EXPORT", params: { kind: "INDIVIDUAL", age_gte: 18 } } },
      registrar,
    );
    expect(started.errors).toBeUndefined();
    await h.worker.drain();
    const job = await h.gql<{ job: { state: string; result: { rows: number }; outputUrl: string } }>(
      "query ($id: ID!) { job(id: $id) { state result outputUrl } }",
      { id: started.data!.startJob.id },
      registrar,
    );
    expect(job.data?.job.state).toBe("SUCCEEDED");
    const [{ n }] = (await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM registrant WHERE kind = 'INDIVIDUAL' AND birth_date <= current_date - interval '18 years'",
    )) as [{ n: number }];
    expect(job.data?.job.result.rows).toBe(n);
    const csv = await (
      await fetch(new URL(job.data!.job.outputUrl, h.url), {
        headers: { authorization: `Bearer ${registrar}` },
      })
    ).text();
    const lines = csv.trim().split("\n");
    expect(lines).toHaveLength(n + 1);
    expect(lines[0]).toMatch(/^id,external_id,kind,name,.*,identifiers,phones,attributes$/);
    expect(csv).toMatch(/NATIONAL_ID:\d{10}/);
  });

  it("is not available to viewers", async () => {
    const res = await h.gql(
      "mutation ($input: StartJobInput!) { startJob(input: $input) { id } }",
      { input: { type: "REGISTRY_EXPORT", params: {} } },
      await h.userToken("viewer"),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("bulk load", () => {
  const people = (prefix: string) =>
    [
      "individual_id,household_id,member_kind,given_name,family_name,birth_date,sex,national_id,phone",
      `${prefix}-1,HH-${prefix},head,Amani,Njeri,1970-05-06,female,${withLuhnDigit(`78${prefix === "B1" ? 1 : 2}000001`)},+254712300001`,
      `${prefix}-2,HH-${prefix},head,Juma,Njeri,1972-01-01,male,,`,
      `${prefix}-3,HH-${prefix},child,Zawadi,Njeri,2012-02-29,female,,+254712300001`,
    ].join("\n");
  const mapping = {
    individual_id: "external_id",
    household_id: "group_external_id",
    member_kind: "membership_kind",
  };
  const shape = (prefix: string) =>
    h.sql(
      `SELECT r.given_name, r.birth_date::text, r.sex, k.code AS kind, p.e164, p.is_primary, ri.value IS NOT NULL AS has_id
         FROM registrant r JOIN group_membership m ON m.individual_id = r.id JOIN membership_kind k ON k.id = m.kind_id
         LEFT JOIN phone p ON p.registrant_id = r.id LEFT JOIN registrant_identifier ri ON ri.registrant_id = r.id
        WHERE r.external_id LIKE $1 ORDER BY r.external_id`,
      [`${prefix}-%`],
    );

  it("skips the per-row foreign-key triggers when allowed, and gives the same result with them", async () => {
    await runImport("household_id,name\nHH-B1,Njeri household\nHH-B2,Njeri household", {
      entity: "GROUP",
      mapping: { household_id: "external_id" },
    });
    const fast = await runImport(people("B1"), { entity: "INDIVIDUAL", mapping });
    expect(fast.result).toMatchObject({
      inserted: 2,
      rejected: 1,
      seconds: { merge_statements: { bulk_load: 1 } },
    });
    // The second head is rejected against the first row of the file, then against the current head.
    await h.sql(`ALTER DATABASE ${h.database.name} SET app.bulk_load = 'off'`);
    try {
      const checked = await runImport(people("B2"), { entity: "INDIVIDUAL", mapping });
      expect(checked.result).toMatchObject({
        inserted: 2,
        rejected: 1,
        seconds: { merge_statements: { bulk_load: 0 } },
      });
    } finally {
      await h.sql(`ALTER DATABASE ${h.database.name} RESET app.bulk_load`);
    }
    expect(await shape("B1")).toEqual(await shape("B2"));
    expect(await shape("B1")).toEqual([
      {
        given_name: "Amani",
        birth_date: "1970-05-06",
        sex: "FEMALE",
        kind: "HEAD",
        e164: "+254712300001",
        is_primary: true,
        has_id: true,
      },
      {
        given_name: "Zawadi",
        birth_date: "2012-02-29",
        sex: "FEMALE",
        kind: "CHILD",
        e164: "+254712300001",
        is_primary: true,
        has_id: false,
      },
    ]);
  });

  it("gives new registrants time-ordered ids (UUID version 7) that follow the file", async () => {
    const ids = await h.sql<{ id: string }>(
      "SELECT id::text FROM registrant WHERE external_id LIKE 'B1-%' ORDER BY external_id",
    );
    expect(ids.map((r) => r.id[14])).toEqual(["7", "7"]);
    expect([...ids].map((r) => r.id).sort()).toEqual(ids.map((r) => r.id));
  });
});

describe("membership import", () => {
  it("links existing individuals to households from a memberships file, once", async () => {
    const people = [
      "individual_id,given_name,family_name",
      "IND-M-1,Neema,Shirima",
      "IND-M-2,Upendo,Shirima",
      "IND-M-3,Baraka,Shirima",
    ].join("\n");
    expect(
      (await runImport(people, { entity: "INDIVIDUAL", mapping: { individual_id: "external_id" } })).result,
    ).toMatchObject({ inserted: 3 });
    const memberships = [
      "individual_id,household_id,role,since",
      "IND-M-1,HH-T-2,spouse,2026-03-01",
      "IND-M-2,HH-T-2,child,2026-03-01",
      "IND-M-3,HH-T-1,head,2026-03-01",
      "IND-M-9,HH-T-2,child,2026-03-01",
      "IND-M-2,HH-T-2,child,2026-03-02",
    ].join("\n");
    const mapping = {
      individual_id: "external_id",
      household_id: "group_external_id",
      role: "membership_kind",
      since: "start_date",
    };
    const job = await runImport(memberships, { entity: "MEMBERSHIP", mapping });
    expect(job.result).toMatchObject({ rows: 5, inserted: 2, rejected: 3 });
    const errors = await h.sql<{ line: number; message: string }>(
      "SELECT line, message FROM import_error WHERE job_id = $1 ORDER BY line",
      [job.id],
    );
    expect(errors.map((e) => e.line)).toEqual([4, 5, 6]); // HH-T-1 has a head; IND-M-9 unknown; duplicate row
    const again = await runImport(memberships, { entity: "MEMBERSHIP", mapping });
    expect(again.result).toMatchObject({ inserted: 0, unchanged: 2 });
    const [{ n }] = (await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM group_membership m JOIN registrant g ON g.id = m.group_id WHERE g.external_id = 'HH-T-2' AND m.start_date = DATE '2026-03-01'",
    )) as [{ n: number }];
    expect(n).toBe(2);
    // Each person's audit trail shows the household they were added to, once.
    const added = await h.sql<{ person: string; after: { membershipAdded: { startDate: string } } }>(
      `SELECT r.external_id AS person, a.after FROM audit_event a JOIN registrant r ON a.entity_id = r.id::text
        WHERE a.action = 'registrant.updated' AND a.after ? 'membershipAdded' AND r.external_id LIKE 'IND-M-%'
        ORDER BY r.external_id`,
    );
    expect(added.map((a) => [a.person, a.after.membershipAdded.startDate])).toEqual([
      ["IND-M-1", "2026-03-01"],
      ["IND-M-2", "2026-03-01"],
    ]);
  });
});

describe("statistics after a large import", () => {
  const lastAnalyze = async () =>
    (
      await h.sql<{ at: string | null }>(
        "SELECT last_analyze::text AS at FROM pg_stat_user_tables WHERE relname = 'registrant'",
      )
    )[0]!.at;

  it("refreshes the registry's planner statistics after a large import, not after a small one", async () => {
    const before = await lastAnalyze();
    const small = await runImport(
      ["individual_id,given_name,family_name", "IND-S-1,Small,Import"].join("\n"),
      {
        entity: "INDIVIDUAL",
        mapping: { individual_id: "external_id" },
      },
    );
    expect(small.result).toMatchObject({ inserted: 1 });
    expect(await lastAnalyze()).toBe(before);

    const rows = Array.from({ length: ANALYZE_AFTER_ROWS }, (_, i) => `IND-L-${i},Person${i},Large`);
    const large = await runImport(["individual_id,given_name,family_name", ...rows].join("\n"), {
      entity: "INDIVIDUAL",
      mapping: { individual_id: "external_id" },
    });
    expect(large.result).toMatchObject({ inserted: ANALYZE_AFTER_ROWS });
    await expect.poll(lastAnalyze, { timeout: 5_000 }).not.toBe(before);
  });
});

describe("import fields", () => {
  it("lists the fields a column can map to, for registrars", async () => {
    const res = await h.gql<{ importFields: string[] }>(
      "{ importFields(entity: MEMBERSHIP) }",
      {},
      registrar,
    );
    expect(res.data?.importFields).toEqual([
      "external_id",
      "group_external_id",
      "membership_kind",
      "start_date",
    ]);
    const viewer = await h.gql("{ importFields(entity: GROUP) }", {}, await h.userToken("viewer"));
    expect(viewer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
