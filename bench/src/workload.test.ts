import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { writeCsv } from "./load";
import { NAME_CULTURES } from "./names";
import {
  GAZETTEER,
  HOUSEHOLD_COLUMNS,
  INDIVIDUAL_COLUMNS,
  MEMBER_KINDS,
  OCCUPATIONS,
  ROOF_MATERIALS,
  SEXES,
  Sfc32,
  WATER_SOURCES,
  csvChunks,
  isLuhnValid,
  luhnCheckDigit,
  typo,
  workloadStream,
  type WorkloadOptions,
  type WorkloadTable,
} from "./workload";

const SMALL: WorkloadOptions = { households: 1000, seed: 42 };

async function streamText(opts: WorkloadOptions, table: WorkloadTable, header = false): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of workloadStream(opts, table, { header })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function chunkText(opts: WorkloadOptions, table: WorkloadTable, header = false): string {
  let out = "";
  for (const c of csvChunks(opts, table, { header })) out += c;
  return out;
}

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
const lines = (text: string): string[] => text.split("\n").filter((l) => l !== "");

/** Minimal CSV line parser: handles double-quoted fields (no embedded quotes in this data). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      out.push(line.slice(i + 1, end));
      i = end + 2;
    } else {
      let end = line.indexOf(",", i);
      if (end === -1) end = line.length;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

type Row = Record<string, string>;

function rows(text: string, columns: readonly string[]): Row[] {
  return lines(text).map((line) => {
    const fields = parseCsvLine(line);
    expect(fields).toHaveLength(columns.length);
    return Object.fromEntries(columns.map((c, i) => [c, fields[i] as string]));
  });
}

// One shared small workload for the property tests.
const householdText = await streamText(SMALL, "household");
const individualText = await streamText(SMALL, "individual");
const households = rows(householdText, HOUSEHOLD_COLUMNS);
const individuals = rows(individualText, INDIVIDUAL_COLUMNS);

describe("determinism", () => {
  test("same seed gives byte-identical output, different seed differs", async () => {
    const again = sha256((await streamText(SMALL, "household")) + (await streamText(SMALL, "individual")));
    expect(again).toBe(sha256(householdText + individualText));
    const other = { ...SMALL, seed: 43 };
    expect(sha256(await streamText(other, "household"))).not.toBe(sha256(householdText));
    expect(sha256(await streamText(other, "individual"))).not.toBe(sha256(individualText));
  });

  test("output is pinned: changing it is a new workload version", () => {
    // Benchmarks compare runs over time, so the reference workload must not drift
    // by accident. If you change the generator on purpose, update these hashes
    // and the "Reference files" hashes in README.md.
    expect(sha256(householdText)).toBe("e5cd5d36cf373c98f187b3e5aab3b5a1ed24714c88be3c95c06367d5cfab0f37");
    expect(sha256(individualText)).toBe("adc32880c4b33a02870739d5c2ef73e2626eecadccb4e1cac98a0a8bf744f4c3");
  });

  test("the stream and the chunk generator produce the same bytes", () => {
    expect(chunkText(SMALL, "household", true)).toBe(HOUSEHOLD_COLUMNS.join(",") + "\n" + householdText);
    expect(sha256(chunkText(SMALL, "individual"))).toBe(sha256(individualText));
  });

  test("a prefix of households is stable when the total grows", async () => {
    // Blocks are independent, so the first full blocks do not depend on N.
    const bigger = await streamText({ ...SMALL, households: 2048 + 5 }, "household");
    const first1024 = lines(bigger).slice(0, 1024).join("\n");
    const exact = lines(await streamText({ ...SMALL, households: 1024 }, "household")).join("\n");
    expect(first1024).toBe(exact);
  });
});

describe("counts and structure", () => {
  test.each([1, 2, 7, 1000, 1024, 1025, 3001])("%i households → exactly 4× individuals", async (n) => {
    const opts = { households: n, seed: 9 };
    const hh = lines(await streamText(opts, "household"));
    const ind = lines(await streamText(opts, "individual"));
    expect(hh).toHaveLength(n);
    expect(ind).toHaveLength(4 * n);
    const stream = workloadStream(opts, "individual");
    for await (const _ of stream) {
      // drain
    }
    expect(stream.rows).toBe(4 * n);
  });

  test("header rows match the documented columns", async () => {
    const h = lines(await streamText(SMALL, "household", true));
    expect(h[0]).toBe(HOUSEHOLD_COLUMNS.join(","));
    expect(h).toHaveLength(SMALL.households + 1);
    const i = lines(await streamText(SMALL, "individual", true));
    expect(i[0]).toBe(INDIVIDUAL_COLUMNS.join(","));
  });

  test("ids are sequential and stable", () => {
    households.forEach((h, i) => expect(h.household_id).toBe(`HH-${String(i + 1).padStart(7, "0")}`));
    individuals.forEach((p, i) => expect(p.individual_id).toBe(`IND-${String(i + 1).padStart(7, "0")}`));
  });

  test("exactly one head per household, listed first, sizes 1..9, household name = head's family name", () => {
    const hhById = new Map(households.map((h) => [h.household_id, h]));
    const members = new Map<string, Row[]>();
    for (const p of individuals) {
      expect(hhById.has(p.household_id as string)).toBe(true);
      const list = members.get(p.household_id as string) ?? [];
      list.push(p);
      members.set(p.household_id as string, list);
    }
    expect(members.size).toBe(households.length);
    const sizeCounts = new Map<number, number>();
    for (const [id, list] of members) {
      expect(list.filter((p) => p.member_kind === "head")).toHaveLength(1);
      expect(list[0]?.member_kind).toBe("head");
      expect(list.filter((p) => p.member_kind === "spouse").length).toBeLessThanOrEqual(1);
      expect(list.length).toBeGreaterThanOrEqual(1);
      expect(list.length).toBeLessThanOrEqual(9);
      expect(hhById.get(id)?.name).toBe(list[0]?.family_name);
      sizeCounts.set(list.length, (sizeCounts.get(list.length) ?? 0) + 1);
    }
    // Sizes really vary.
    expect(sizeCounts.size).toBeGreaterThanOrEqual(8);
  });

  test("national ids are 10 digits, unique and Luhn-valid", () => {
    const seen = new Set<string>();
    for (const p of individuals) {
      const nid = p.national_id as string;
      expect(nid).toMatch(/^[1-9]\d{9}$/);
      expect(isLuhnValid(nid)).toBe(true);
      seen.add(nid);
    }
    expect(seen.size).toBe(individuals.length);
  });

  test("Luhn helpers agree with a known example", () => {
    expect(isLuhnValid("79927398713")).toBe(true);
    expect(isLuhnValid("79927398710")).toBe(false);
    expect(luhnCheckDigit(7992739871)).toBe(3);
  });

  test("every gaz_small belongs to its gaz_large", () => {
    expect(GAZETTEER.districts).toHaveLength(20);
    expect(GAZETTEER.localities).toHaveLength(400);
    const parent = new Map(GAZETTEER.localities.map((l) => [l.code, l.district]));
    const districts = new Set(GAZETTEER.districts.map((d) => d.code));
    for (const l of GAZETTEER.localities) expect(districts.has(l.district)).toBe(true);
    const usedDistricts = new Set<string>();
    for (const h of households) {
      expect(parent.get(h.gaz_small as string)).toBe(h.gaz_large);
      usedDistricts.add(h.gaz_large as string);
    }
    expect(usedDistricts.size).toBe(20);
  });
});

describe("attribute domains", () => {
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const validDate = (s: string): boolean =>
    date.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

  test("household attributes", () => {
    for (const h of households) {
      expect(ROOF_MATERIALS).toContain(h.roof_material);
      expect(WATER_SOURCES).toContain(h.water_source);
      expect(["true", "false"]).toContain(h.has_electricity);
      expect(h.land_hectares).toMatch(/^\d{1,4}\.\d{2}$/);
      expect(h.livestock_count).toMatch(/^\d+$/);
      expect(h.monthly_income).toMatch(/^\d{1,10}\.\d{2}$/);
      expect(validDate(h.registration_date as string)).toBe(true);
      expect(h.registration_date! >= "2015-01-01" && h.registration_date! <= "2024-12-31").toBe(true);
      expect(h.address).toMatch(/^(House|Plot) \d+, /);
    }
  });

  test("household income is the sum of its members' incomes and is skewed", () => {
    const sums = new Map<string, number>();
    for (const p of individuals) {
      const cents = Math.round(Number(p.monthly_income) * 100);
      sums.set(p.household_id as string, (sums.get(p.household_id as string) ?? 0) + cents);
    }
    const incomes: number[] = [];
    for (const h of households) {
      expect(Math.round(Number(h.monthly_income) * 100)).toBe(sums.get(h.household_id as string));
      incomes.push(Number(h.monthly_income));
    }
    incomes.sort((a, b) => a - b);
    const mean = incomes.reduce((a, b) => a + b, 0) / incomes.length;
    const median = incomes[Math.floor(incomes.length / 2)] as number;
    expect(mean).toBeGreaterThan(median); // right-skewed
  });

  test("individual attributes", () => {
    let phones = 0;
    let disabled = 0;
    for (const p of individuals) {
      expect(MEMBER_KINDS).toContain(p.member_kind);
      expect(SEXES).toContain(p.sex);
      expect(OCCUPATIONS).toContain(p.occupation);
      expect(validDate(p.birth_date as string)).toBe(true);
      expect(["true", "false"]).toContain(p.disability);
      expect(["true", "false", ""]).toContain(p.school_enrolled);
      if (p.member_kind === "child") expect(p.school_enrolled).not.toBe("");
      if (p.school_enrolled === "true") expect(p.occupation).toBe("student");
      expect(p.monthly_income).toMatch(/^\d+\.\d{2}$/);
      if (p.phone !== "") {
        expect(p.phone).toMatch(/^\+2547\d{8}$/);
        phones++;
      }
      if (p.disability === "true") disabled++;
      if (p.member_kind === "head") expect(p.birth_date! <= "2007-01-01").toBe(true);
    }
    expect(phones / individuals.length).toBeGreaterThan(0.62);
    expect(phones / individuals.length).toBeLessThan(0.78);
    expect(disabled / individuals.length).toBeGreaterThan(0.03);
    expect(disabled / individuals.length).toBeLessThan(0.07);
  });
});

describe("near-duplicates", () => {
  test("dup_of rows are one-typo re-registrations of an earlier person in another household", () => {
    const byId = new Map(individuals.map((p) => [p.individual_id, p]));
    const dups = individuals.filter((p) => p.dup_of !== "");
    const rate = dups.length / individuals.length;
    expect(rate).toBeGreaterThan(0.012);
    expect(rate).toBeLessThan(0.028);
    for (const d of dups) {
      const o = byId.get(d.dup_of as string);
      expect(o, `dup_of ${d.dup_of} exists`).toBeDefined();
      if (!o) continue;
      expect(o.dup_of).toBe(""); // no chains
      expect(o.individual_id! < d.individual_id!).toBe(true);
      expect(o.household_id).not.toBe(d.household_id);
      expect(d.birth_date).toBe(o.birth_date);
      expect(d.sex).toBe(o.sex);
      expect(d.national_id).not.toBe(o.national_id);
      expect(
        levenshtein(d.given_name as string, o.given_name as string) +
          levenshtein(d.family_name as string, o.family_name as string),
      ).toBe(1);
      expect(["head", "other"]).toContain(d.member_kind);
    }
    // Both kinds of re-registration occur.
    expect(dups.some((d) => d.member_kind === "head")).toBe(true);
    expect(dups.some((d) => d.member_kind === "other")).toBe(true);
  });

  test("typo() is always exactly one edit away", () => {
    const rng = new Sfc32(1, 2, 3);
    for (const c of NAME_CULTURES) {
      for (const name of [...c.female, ...c.male, ...c.family]) {
        for (let k = 0; k < 5; k++) {
          const t = typo(rng, name);
          expect(levenshtein(t, name), `${name} → ${t}`).toBe(1);
          expect(t[0]).toBe(name[0]);
        }
      }
    }
  });
});

describe("name lists", () => {
  test("several cultures, a few hundred names, all CSV-safe", () => {
    expect(NAME_CULTURES.length).toBeGreaterThanOrEqual(5);
    const given = new Set(NAME_CULTURES.flatMap((c) => [...c.female, ...c.male]));
    const family = new Set(NAME_CULTURES.flatMap((c) => c.family));
    expect(given.size).toBeGreaterThanOrEqual(300);
    expect(family.size).toBeGreaterThanOrEqual(200);
    for (const name of [...given, ...family]) {
      expect(name.length).toBeGreaterThanOrEqual(3);
      expect(name).toBe(name.normalize("NFC"));
      expect(name).not.toMatch(/[,"\r\n]/);
      expect(/[\uD800-\uDFFF]/.test(name)).toBe(false);
    }
  });
});

describe("CSV files", () => {
  test("writeCsv writes both files with headers, identical to the streams", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pbms-bench-"));
    try {
      const result = await writeCsv(dir, SMALL);
      expect(result.find((m) => m.step === "households.csv")?.rows).toBe(SMALL.households);
      expect(result.find((m) => m.step === "individuals.csv")?.rows).toBe(4 * SMALL.households);
      const h = await readFile(join(dir, "households.csv"), "utf8");
      const i = await readFile(join(dir, "individuals.csv"), "utf8");
      expect(h).toBe(HOUSEHOLD_COLUMNS.join(",") + "\n" + householdText);
      expect(i).toBe(INDIVIDUAL_COLUMNS.join(",") + "\n" + individualText);
      const g = lines(await readFile(join(dir, "gazetteer.csv"), "utf8"));
      expect(g).toHaveLength(1 + 20 + 400);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
