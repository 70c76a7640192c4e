// The PBMS reference workload: a deterministic, streaming generator of
// households and individuals with Proxy-Means-Test-style attributes.
//
// Design notes
// - Households are generated in fixed blocks of BLOCK_SIZE. Each block has its
//   own PRNG, seeded from (seed, block index), so the household stream and the
//   individual stream can be produced independently (e.g. by two concurrent
//   COPY connections) and still agree row for row.
// - Within a block, household sizes (1..9) are drawn and then nudged so that
//   the block holds exactly 4 individuals per household. Individual numbering
//   is therefore known up front: block b starts at individual 4·BLOCK_SIZE·b+1.
// - Near-duplicates ("the same person registered twice") point at an earlier,
//   non-duplicate individual of another household in the same block.
// - The hot path uses only integer and basic IEEE arithmetic (no Math.exp/log,
//   no Date objects): dates come from a precomputed day → "YYYY-MM-DD" table
//   and money is kept in integer cents, so output is byte-identical for a seed.

import { Readable } from "node:stream";
import {
  NAME_CULTURES,
  PLACE_MIDDLES,
  PLACE_PREFIXES,
  PLACE_SUFFIXES,
  STREET_KINDS,
  STREET_NAMES,
} from "./names";

// ---------------------------------------------------------------------------
// Public constants

/** Households per generation block (part of the output definition). */
export const BLOCK_SIZE = 1024;
/** Individuals per household, exactly, over the whole workload. */
export const MEAN_HOUSEHOLD_SIZE = 4;
export const MIN_HOUSEHOLD_SIZE = 1;
export const MAX_HOUSEHOLD_SIZE = 9;
/** Ages and "today" are relative to this fixed date, never the wall clock. */
export const REFERENCE_DATE = "2025-01-01";
export const DEFAULT_HOUSEHOLDS = 250_000;
export const DEFAULT_SEED = 42;

export const HOUSEHOLD_COLUMNS = [
  "household_id",
  "name",
  "gaz_large",
  "gaz_small",
  "address",
  "registration_date",
  "roof_material",
  "water_source",
  "has_electricity",
  "land_hectares",
  "livestock_count",
  "monthly_income",
] as const;

export const INDIVIDUAL_COLUMNS = [
  "individual_id",
  "household_id",
  "member_kind",
  "family_name",
  "given_name",
  "birth_date",
  "sex",
  "national_id",
  "phone",
  "disability",
  "school_enrolled",
  "occupation",
  "monthly_income",
  "dup_of",
] as const;

export const ROOF_MATERIALS = ["concrete", "tin", "thatch", "tiles"] as const;
export const WATER_SOURCES = ["piped", "well", "river", "tanker"] as const;
export const MEMBER_KINDS = ["head", "spouse", "child", "other"] as const;
export const SEXES = ["female", "male"] as const;
export const OCCUPATIONS = [
  "none",
  "student",
  "farmer",
  "casual_labourer",
  "trader",
  "self_employed",
  "salaried",
  "homemaker",
  "unemployed",
  "retired",
] as const;

export type WorkloadTable = "household" | "individual";

export interface WorkloadOptions {
  /** Number of households; individuals are exactly 4× this. */
  households: number;
  /** PRNG seed (non-negative integer up to 2^53). */
  seed: number;
}

export function workloadTotals(households: number): { households: number; individuals: number } {
  return { households, individuals: households * MEAN_HOUSEHOLD_SIZE };
}

export function validateOptions(opts: WorkloadOptions): void {
  if (!Number.isSafeInteger(opts.households) || opts.households < 1) {
    throw new RangeError(`households must be a positive integer, got ${opts.households}`);
  }
  // National ids are a permutation of [0, 9e8): stay well inside that space.
  if (opts.households * MEAN_HOUSEHOLD_SIZE > 900_000_000) {
    throw new RangeError(`too many households for 9-digit national ids: ${opts.households}`);
  }
  if (!Number.isSafeInteger(opts.seed) || opts.seed < 0) {
    throw new RangeError(`seed must be a non-negative integer, got ${opts.seed}`);
  }
}

// ---------------------------------------------------------------------------
// PRNG: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 32-bit).

export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d = 1) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    const c = (this.c << 21) | (this.c >>> 11);
    this.c = (c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }
}

/** 32-bit integer finaliser (lowbias32), used to derive seeds. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

function blockRng(seed: number, block: number): Sfc32 {
  const [lo, hi] = seedWords(seed);
  const a = mix32(lo ^ 0x9e3779b9);
  const b = mix32(hi ^ 0x6a09e667 ^ a);
  const c = mix32(((block + 0x3c6ef372) | 0) ^ b);
  return new Sfc32(a, b, c, 1);
}

// ---------------------------------------------------------------------------
// National ids: a seeded Feistel permutation of the individual's ordinal onto
// [0, 9e8) (cycle-walking), shifted to 9 digits, plus a Luhn check digit.
// Unique by construction, not sequential-looking.

const NID_DOMAIN = 900_000_000;

class NationalIdPermutation {
  private readonly keys: Int32Array;

  constructor(seed: number) {
    const [lo, hi] = seedWords(seed);
    const rng = new Sfc32(mix32(lo ^ 0x510e527f), mix32(hi ^ 0x9b05688c), 0x1f83d9ab, 7);
    this.keys = new Int32Array(4);
    for (let i = 0; i < 4; i++) this.keys[i] = rng.next() | 0;
  }

  private encrypt30(v: number): number {
    let l = v >>> 15;
    let r = v & 0x7fff;
    for (let i = 0; i < 4; i++) {
      let f = Math.imul(r ^ (this.keys[i] as number), 0x9e3779b1);
      f ^= f >>> 15;
      f = Math.imul(f, 0x85ebca77);
      f ^= f >>> 13;
      const nl = r;
      r = (l ^ f) & 0x7fff;
      l = nl;
    }
    return (l << 15) | r;
  }

  /** Bijection on [0, 9e8). */
  permute(i: number): number {
    let v = i;
    do v = this.encrypt30(v);
    while (v >= NID_DOMAIN);
    return v;
  }
}

/** Luhn check digit for a numeric payload (digits left of the check digit). */
export function luhnCheckDigit(payload: number): number {
  let sum = 0;
  let double = true;
  let p = payload;
  while (p > 0) {
    let d = p % 10;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
    p = Math.floor(p / 10);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the digit string passes the Luhn check. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// ---------------------------------------------------------------------------
// Dates: integer day numbers (days since 1970-01-01) and a lookup table.

const MS_PER_DAY = 86_400_000;
const REF_DAY = Date.parse(`${REFERENCE_DATE}T00:00:00Z`) / MS_PER_DAY;
const MIN_DAY = REF_DAY - 100 * 366;
const REG_FIRST_DAY = Date.parse("2015-01-01T00:00:00Z") / MS_PER_DAY;
const REG_SPAN = REF_DAY - REG_FIRST_DAY; // registrations up to 2024-12-31
const DAYS_PER_YEAR = 365.25;
const ADULT_DAYS = Math.ceil(18 * DAYS_PER_YEAR);

const DATE_STRINGS: string[] = (() => {
  const out: string[] = [];
  for (let d = MIN_DAY; d <= REF_DAY; d++) out.push(new Date(d * MS_PER_DAY).toISOString().slice(0, 10));
  return out;
})();

function dateString(day: number): string {
  return DATE_STRINGS[day - MIN_DAY] as string;
}

// ---------------------------------------------------------------------------
// Gazetteer: 20 districts (gaz_large) and 400 localities (gaz_small). Fixed,
// independent of the workload seed.

export interface District {
  readonly code: string;
  readonly name: string;
}

export interface Locality {
  readonly code: string;
  readonly name: string;
  readonly district: string;
  readonly urban: boolean;
  /** Relative share of households. */
  readonly weight: number;
}

export interface Gazetteer {
  readonly districts: readonly District[];
  readonly localities: readonly Locality[];
}

export const DISTRICT_COUNT = 20;
export const LOCALITY_COUNT = 400;

function buildGazetteer(): Gazetteer {
  const rng = new Sfc32(0x67617a65, 0x74746565, 0x72000001, 1);
  const used = new Set<string>();
  const placeName = (): string => {
    for (;;) {
      const p = PLACE_PREFIXES[rng.below(PLACE_PREFIXES.length)] as string;
      const m = PLACE_MIDDLES[rng.below(PLACE_MIDDLES.length)] as string;
      const s = PLACE_SUFFIXES[rng.below(PLACE_SUFFIXES.length)] as string;
      const name = p + m + s;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
  const counts: number[] = [];
  let total = 0;
  for (let i = 0; i < DISTRICT_COUNT; i++) {
    const c = 12 + rng.below(17); // 12..28
    counts.push(c);
    total += c;
  }
  while (total !== LOCALITY_COUNT) {
    const i = rng.below(DISTRICT_COUNT);
    const c = counts[i] as number;
    if (total < LOCALITY_COUNT && c < 30) {
      counts[i] = c + 1;
      total++;
    } else if (total > LOCALITY_COUNT && c > 10) {
      counts[i] = c - 1;
      total--;
    }
  }
  const districts: District[] = [];
  const localities: Locality[] = [];
  for (let i = 0; i < DISTRICT_COUNT; i++) {
    const code = `D${String(i + 1).padStart(2, "0")}`;
    districts.push({ code, name: placeName() });
    const u = rng.float();
    const districtWeight = 1 + 4 * u * u;
    const n = counts[i] as number;
    for (let j = 0; j < n; j++) {
      // The first locality of each district is its (urban) district town.
      const urban = j === 0 || rng.float() < 0.15;
      const weight = (districtWeight / n) * (urban ? 2 : 1) * (0.5 + rng.float());
      localities.push({
        code: `${code}-${String(j + 1).padStart(2, "0")}`,
        name: placeName(),
        district: code,
        urban,
        weight,
      });
    }
  }
  return { districts, localities };
}

export const GAZETTEER: Gazetteer = buildGazetteer();

// ---------------------------------------------------------------------------
// Lookup tables for the hot loop.

const LOC_CUM = new Float64Array(LOCALITY_COUNT);
{
  let acc = 0;
  GAZETTEER.localities.forEach((l, i) => {
    acc += l.weight;
    LOC_CUM[i] = acc;
  });
}
const LOC_TOTAL = LOC_CUM[LOCALITY_COUNT - 1] as number;
const LOC_PREFIX: string[] = GAZETTEER.localities.map((l) => `,${l.district},${l.code},"`);
const LOC_URBAN: Uint8Array = Uint8Array.from(GAZETTEER.localities.map((l) => (l.urban ? 1 : 0)));
const LOC_NAME: string[] = GAZETTEER.localities.map((l) => l.name);
const DISTRICT_NAME = new Map(GAZETTEER.districts.map((d) => [d.code, d.name]));
const LOC_RURAL_SUFFIX: string[] = GAZETTEER.localities.map(
  (l) => ` Village, ${DISTRICT_NAME.get(l.district) as string} District`,
);

function pickLocality(rng: Sfc32): number {
  const x = rng.float() * LOC_TOTAL;
  let lo = 0;
  let hi = LOCALITY_COUNT - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((LOC_CUM[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const CULTURE_COUNT = NAME_CULTURES.length;
const CULTURE_CUM: number[] = [];
{
  let acc = 0;
  for (const c of NAME_CULTURES) CULTURE_CUM.push((acc += c.weight));
}
const CULTURE_TOTAL = CULTURE_CUM[CULTURE_COUNT - 1] as number;

function pickCulture(rng: Sfc32): number {
  const x = rng.below(CULTURE_TOTAL);
  let i = 0;
  while (x >= (CULTURE_CUM[i] as number)) i++;
  return i;
}

// Household size distribution over 1..9, mean exactly 4.00 before adjustment.
const SIZE_WEIGHTS = [11, 15, 18, 19, 14, 10, 7, 4, 2];
const SIZE_CUM: number[] = [];
{
  let acc = 0;
  for (const w of SIZE_WEIGHTS) SIZE_CUM.push((acc += w));
}

// exp(0.9·Φ⁻¹(u)) × 1000 at u = k/64 (tails clamped at 0.2% / 99.8%): a
// log-normal income multiplier table, median 1.0, embedded so that the
// generator needs no transcendental functions.
// prettier-ignore
const LOGNORMAL_PERMILLE = [
  75, 144, 187, 221, 251, 279, 305, 331, 355, 379, 403, 427, 450, 474, 497, 521, 545, 569, 594, 619, 644,
  670, 696, 723, 751, 779, 808, 837, 868, 899, 932, 965, 1000, 1036, 1073, 1112, 1152, 1194, 1238, 1284,
  1332, 1383, 1436, 1493, 1553, 1616, 1684, 1757, 1835, 1919, 2011, 2112, 2222, 2345, 2482, 2637, 2816,
  3025, 3275, 3582, 3978, 4519, 5347, 6948, 13334,
];

function lognormalPermille(u: number): number {
  const x = u * 64;
  const k = Math.floor(x);
  if (k >= 64) return LOGNORMAL_PERMILLE[64] as number;
  const a = LOGNORMAL_PERMILLE[k] as number;
  const b = LOGNORMAL_PERMILLE[k + 1] as number;
  return a + (b - a) * (x - k);
}

/** Median monthly earnings of an adult earner with factor 1.0, in cents (KES 9,000). */
const BASE_INCOME_CENTS = 900_000;

// Occupation indices (see OCCUPATIONS).
const OCC_NONE = 0;
const OCC_STUDENT = 1;
const OCC_FARMER = 2;
const OCC_CASUAL = 3;
const OCC_TRADER = 4;
const OCC_SELF = 5;
const OCC_SALARIED = 6;
const OCC_HOMEMAKER = 7;
const OCC_UNEMPLOYED = 8;
const OCC_RETIRED = 9;

/** Earnings factor per occupation, per mille of BASE_INCOME_CENTS. */
const OCC_FACTOR = [0, 0, 700, 600, 1200, 1500, 2300, 0, 0, 450];

// Adult (18–64) occupation mix: cumulative percent → occupation.
const ADULT_OCC_RURAL: ReadonlyArray<readonly [number, number]> = [
  [44, OCC_FARMER],
  [64, OCC_CASUAL],
  [73, OCC_TRADER],
  [80, OCC_SELF],
  [85, OCC_SALARIED],
  [93, OCC_HOMEMAKER],
  [100, OCC_UNEMPLOYED],
];
const ADULT_OCC_URBAN: ReadonlyArray<readonly [number, number]> = [
  [4, OCC_FARMER],
  [29, OCC_CASUAL],
  [48, OCC_TRADER],
  [62, OCC_SELF],
  [82, OCC_SALARIED],
  [90, OCC_HOMEMAKER],
  [100, OCC_UNEMPLOYED],
];

function pickFrom(table: ReadonlyArray<readonly [number, number]>, pct: number): number {
  for (const [cum, occ] of table) if (pct < cum) return occ;
  return OCC_NONE;
}

/** Probability of a one-letter-typo re-registration, per head / per other member. */
const P_DUP_HEAD = 0.032;
const P_DUP_MEMBER = 0.0175;

const LOWER = "abcdefghijklmnopqrstuvwxyz";

/**
 * Applies one random single-character edit (substitution, deletion or
 * insertion, never at position 0) so that the Levenshtein distance is exactly 1.
 */
export function typo(rng: Sfc32, s: string): string {
  const op = rng.below(3);
  const letter = LOWER[rng.below(26)] as string;
  if (op === 0) {
    const pos = 1 + rng.below(s.length - 1);
    const ch = s[pos] === letter ? (LOWER[(LOWER.indexOf(letter) + 1) % 26] as string) : letter;
    return s.slice(0, pos) + ch + s.slice(pos + 1);
  }
  if (op === 1) {
    const pos = 1 + rng.below(s.length - 1);
    return s.slice(0, pos) + s.slice(pos + 1);
  }
  const pos = 1 + rng.below(s.length);
  return s.slice(0, pos) + letter + s.slice(pos);
}

function pad7(n: number): string {
  if (n >= 1_000_000) return String(n);
  if (n >= 100_000) return "0" + n;
  if (n >= 10_000) return "00" + n;
  if (n >= 1_000) return "000" + n;
  if (n >= 100) return "0000" + n;
  if (n >= 10) return "00000" + n;
  return "000000" + n;
}

function pad8(n: number): string {
  return n >= 10_000_000 ? String(n) : "0" + pad7(n);
}

/** Integer hundredths → "123.45". */
function hundredths(c: number): string {
  const w = Math.floor(c / 100);
  const f = c - w * 100;
  return f < 10 ? `${w}.0${f}` : `${w}.${f}`;
}

const KIND_HEAD = 0;
const KIND_SPOUSE = 1;
const KIND_CHILD = 2;
const KIND_OTHER = 3;
const KIND_FIELD = [",head,", ",spouse,", ",child,", ",other,"];
const SEX_FIELD = [",female,", ",male,"];
const OCC_FIELD = OCCUPATIONS.map((o) => `,${o},`);
const ROOF_FIELD = ROOF_MATERIALS.map((r) => `,${r},`);
const WATER_FIELD = WATER_SOURCES.map((w) => `${w},`);
const ROOF_CONCRETE = 0;
const ROOF_TIN = 1;
const ROOF_THATCH = 2;
const ROOF_TILES = 3;
const WATER_PIPED = 0;
const WATER_WELL = 1;
const WATER_RIVER = 2;
const WATER_TANKER = 3;

// ---------------------------------------------------------------------------
// Block generator

export interface BlockOutput {
  households: string;
  individuals: string;
  householdRows: number;
  individualRows: number;
}

/**
 * Generates one block of the workload. Reuses its scratch arrays; create one
 * per stream. The random draws never depend on which outputs are wanted.
 */
export class BlockGenerator {
  readonly blocks: number;
  private readonly nid: NationalIdPermutation;
  private readonly sizes = new Uint8Array(BLOCK_SIZE);
  private readonly given: string[] = new Array<string>(BLOCK_SIZE * MEAN_HOUSEHOLD_SIZE).fill("");
  private readonly family: string[] = new Array<string>(BLOCK_SIZE * MEAN_HOUSEHOLD_SIZE).fill("");
  private readonly phone: string[] = new Array<string>(BLOCK_SIZE * MEAN_HOUSEHOLD_SIZE).fill("");
  private readonly birth = new Int32Array(BLOCK_SIZE * MEAN_HOUSEHOLD_SIZE);
  private readonly sex = new Uint8Array(BLOCK_SIZE * MEAN_HOUSEHOLD_SIZE);
  private readonly culture = new Uint8Array(BLOCK_SIZE * MEAN_HOUSEHOLD_SIZE);
  private readonly disabled = new Uint8Array(BLOCK_SIZE * MEAN_HOUSEHOLD_SIZE);
  private readonly isDup = new Uint8Array(BLOCK_SIZE * MEAN_HOUSEHOLD_SIZE);

  constructor(readonly opts: WorkloadOptions) {
    validateOptions(opts);
    this.blocks = Math.ceil(opts.households / BLOCK_SIZE);
    this.nid = new NationalIdPermutation(opts.seed);
  }

  generate(block: number, wantHouseholds: boolean, wantIndividuals: boolean): BlockOutput {
    const rng = blockRng(this.opts.seed, block);
    const firstHousehold = block * BLOCK_SIZE;
    const len = Math.min(BLOCK_SIZE, this.opts.households - firstHousehold);
    const firstIndividual = firstHousehold * MEAN_HOUSEHOLD_SIZE;
    const { sizes, given, family, phone, birth, sex, culture, disabled, isDup } = this;

    // Household sizes, then nudge to exactly 4 × len individuals.
    let total = 0;
    for (let h = 0; h < len; h++) {
      const r = rng.below(100);
      let s = 0;
      while (r >= (SIZE_CUM[s] as number)) s++;
      sizes[h] = s + 1;
      total += s + 1;
    }
    let diff = len * MEAN_HOUSEHOLD_SIZE - total;
    while (diff !== 0) {
      const h = rng.below(len);
      const s = sizes[h] as number;
      if (diff > 0 && s < MAX_HOUSEHOLD_SIZE) {
        sizes[h] = s + 1;
        diff--;
      } else if (diff < 0 && s > MIN_HOUSEHOLD_SIZE) {
        sizes[h] = s - 1;
        diff++;
      }
    }

    let hhOut = "";
    let indOut = "";
    let idx = 0; // individual index within the block
    for (let h = 0; h < len; h++) {
      const size = sizes[h] as number;
      const start = idx;
      const hhId = "HH-" + pad7(firstHousehold + h + 1);
      const loc = pickLocality(rng);
      const urban = LOC_URBAN[loc] === 1;
      const wealth = rng.float();
      let hhCulture = pickCulture(rng);
      const regDay = REG_FIRST_DAY + rng.below(REG_SPAN);

      // Dwelling and assets.
      const roofScore = 0.6 * wealth + 0.4 * rng.float();
      const roof = urban
        ? roofScore < 0.02
          ? ROOF_THATCH
          : roofScore < 0.4
            ? ROOF_TIN
            : roofScore < 0.62
              ? ROOF_TILES
              : ROOF_CONCRETE
        : roofScore < 0.27
          ? ROOF_THATCH
          : roofScore < 0.8
            ? ROOF_TIN
            : roofScore < 0.9
              ? ROOF_TILES
              : ROOF_CONCRETE;
      const waterScore = 0.5 * wealth + 0.5 * rng.float();
      const water = urban
        ? waterScore < 0.12
          ? WATER_TANKER
          : waterScore < 0.25
            ? WATER_WELL
            : WATER_PIPED
        : waterScore < 0.3
          ? WATER_RIVER
          : waterScore < 0.76
            ? WATER_WELL
            : waterScore < 0.82
              ? WATER_TANKER
              : WATER_PIPED;
      const electricity = rng.float() < (urban ? 0.72 + 0.25 * wealth : 0.1 + 0.6 * wealth);
      let land = 0; // hundredths of a hectare
      const landRoll = rng.float();
      if (urban) {
        if (landRoll < 0.15) land = 5 + rng.below(45);
      } else if (landRoll < 0.02) {
        land = 2000 + rng.below(18000); // 20–200 ha
      } else if (landRoll < 0.92) {
        land = 10 + Math.floor(1200 * rng.float() * rng.float() * rng.float() * (0.5 + wealth));
      }
      let livestock = 0;
      const stockRoll = rng.float();
      if (urban) {
        if (stockRoll < 0.1) livestock = 1 + rng.below(4);
      } else if (stockRoll < 0.75) {
        livestock = 1 + Math.floor(40 * rng.float() * rng.float() * (0.3 + wealth));
      }
      const plot = 1 + rng.below(urban ? 400 : 2000);
      const street = rng.below(STREET_NAMES.length);
      const streetKind = rng.below(STREET_KINDS.length);

      // Members.
      let hhFamily = "";
      let headSex = 0;
      let headAge = 0;
      let incomeCents = 0;
      for (let m = 0; m < size; m++, idx++) {
        let kind = KIND_HEAD;
        if (m > 0)
          kind = m === 1 && rng.float() < 0.72 ? KIND_SPOUSE : rng.float() < 0.85 ? KIND_CHILD : KIND_OTHER;

        let orig = -1;
        const dupRoll = rng.float();
        if (start > 0 && dupRoll < (kind === KIND_HEAD ? P_DUP_HEAD : P_DUP_MEMBER)) {
          for (let t = 0; t < 4; t++) {
            const o = rng.below(start);
            if (isDup[o] === 0 && (kind !== KIND_HEAD || REF_DAY - (birth[o] as number) >= ADULT_DAYS)) {
              orig = o;
              break;
            }
          }
        }

        let g: string;
        let f: string;
        let bd: number;
        let sx: number;
        let dis: boolean;
        if (orig >= 0) {
          // Re-registration of an earlier person: one-letter typo, same birth date.
          if (kind !== KIND_HEAD) kind = KIND_OTHER;
          sx = sex[orig] as number;
          bd = birth[orig] as number;
          culture[idx] = culture[orig] as number;
          if (rng.float() < 0.7) {
            g = typo(rng, given[orig] as string);
            f = family[orig] as string;
          } else {
            g = given[orig] as string;
            f = typo(rng, family[orig] as string);
          }
          dis = disabled[orig] === 1;
          isDup[idx] = 1;
          if (kind === KIND_HEAD) hhCulture = culture[orig] as number;
        } else {
          const c = NAME_CULTURES[hhCulture] as (typeof NAME_CULTURES)[number];
          culture[idx] = hhCulture;
          let ageYears: number;
          if (kind === KIND_HEAD) {
            sx = rng.float() < 0.62 ? 1 : 0;
            ageYears = 18 + Math.floor(((rng.float() + rng.float()) / 2) * 52);
            if (rng.float() < 0.12) ageYears += rng.below(20);
          } else if (kind === KIND_SPOUSE) {
            sx = 1 - headSex;
            ageYears = Math.max(16, headAge - 8 + rng.below(14));
          } else if (kind === KIND_CHILD) {
            sx = rng.below(2);
            const cap = Math.min(headAge - 16, rng.float() < 0.85 ? 17 : 24);
            ageYears = rng.below(cap + 1);
          } else {
            sx = rng.float() < 0.55 ? 0 : 1;
            ageYears = rng.float() < 0.45 ? 50 + rng.below(40) : rng.below(35);
          }
          bd = REF_DAY - Math.floor(ageYears * DAYS_PER_YEAR) - rng.below(365);
          const names = sx === 0 ? c.female : c.male;
          g = names[rng.below(names.length)] as string;
          if (kind === KIND_HEAD) {
            f = c.family[rng.below(c.family.length)] as string;
          } else if (kind === KIND_SPOUSE) {
            f = rng.float() < c.spouseOwnName ? (c.family[rng.below(c.family.length)] as string) : hhFamily;
          } else if (kind === KIND_CHILD) {
            f = hhFamily;
          } else {
            f = rng.float() < 0.5 ? hhFamily : (c.family[rng.below(c.family.length)] as string);
          }
          isDup[idx] = 0;
          dis = false; // decided below, after age is known
        }
        const age = Math.floor((REF_DAY - bd) / DAYS_PER_YEAR);
        if (orig < 0) dis = rng.float() < (age >= 60 ? 0.13 : 0.045);
        if (kind === KIND_HEAD) {
          hhFamily = f;
          headSex = sx;
          headAge = age;
        }
        given[idx] = g;
        family[idx] = f;
        birth[idx] = bd;
        sex[idx] = sx;
        disabled[idx] = dis ? 1 : 0;

        // Schooling: recorded for children of the household and anyone under 18.
        let school = 0; // 0 = not applicable (NULL), 1 = false, 2 = true
        if (kind === KIND_CHILD || age < 18) {
          const p = age < 4 ? 0 : age < 6 ? 0.3 : age < 18 ? (urban ? 0.93 : 0.82) : age < 25 ? 0.15 : 0.02;
          school = rng.float() < p ? 2 : 1;
        }

        // Occupation and own earnings.
        let occ: number;
        const occRoll = rng.below(100);
        if (school === 2) occ = OCC_STUDENT;
        else if (age < 6) occ = OCC_NONE;
        else if (age < 18)
          occ = occRoll < 30 ? OCC_CASUAL : occRoll < 45 ? (urban ? OCC_TRADER : OCC_FARMER) : OCC_NONE;
        else if (age >= 65)
          occ = occRoll < 35 ? OCC_RETIRED : occRoll < 60 ? (urban ? OCC_TRADER : OCC_FARMER) : OCC_NONE;
        else if (kind === KIND_SPOUSE && sx === 0 && occRoll < 25) occ = OCC_HOMEMAKER;
        else occ = pickFrom(urban ? ADULT_OCC_URBAN : ADULT_OCC_RURAL, rng.below(100));
        let income = 0;
        let factor = OCC_FACTOR[occ] as number;
        if (occ === OCC_RETIRED && rng.float() >= 0.3) factor = 0; // most have no pension
        if (factor > 0) {
          const u = 0.4 * wealth + 0.6 * rng.float();
          let cents = (BASE_INCOME_CENTS * lognormalPermille(u) * factor) / 1_000_000;
          if (urban) cents *= 1.35;
          if (age < 18) cents *= 0.35;
          income = Math.round(cents);
        }
        incomeCents += income;

        // Phone: most adults have their own; minors often get the head's number
        // as a contact; re-registrations often give the same number again.
        let ph: string;
        const phoneRoll = rng.float();
        if (orig >= 0 && phoneRoll < 0.4 && (phone[orig] as string) !== "") {
          ph = phone[orig] as string;
        } else if (phoneRoll < (age < 12 ? 0.02 : age < 18 ? 0.35 : 0.92)) {
          ph = "+2547" + pad8(rng.below(100_000_000));
        } else if (age < 18 && rng.float() < 0.45) {
          ph = phone[start] as string;
        } else {
          ph = "";
        }
        phone[idx] = ph;

        if (wantIndividuals) {
          const ordinal = firstIndividual + idx;
          const payload = 100_000_000 + this.nid.permute(ordinal);
          indOut +=
            "IND-" +
            pad7(ordinal + 1) +
            "," +
            hhId +
            KIND_FIELD[kind] +
            f +
            "," +
            g +
            "," +
            dateString(bd) +
            SEX_FIELD[sx] +
            payload +
            luhnCheckDigit(payload) +
            "," +
            ph +
            (dis ? ",true," : ",false,") +
            (school === 0 ? "" : school === 2 ? "true" : "false") +
            OCC_FIELD[occ] +
            hundredths(income) +
            (orig >= 0 ? ",IND-" + pad7(firstIndividual + orig + 1) + "\n" : ",\n");
        }
      }

      if (wantHouseholds) {
        const address = urban
          ? `House ${plot}, ${STREET_NAMES[street] as string} ${STREET_KINDS[streetKind] as string}, ${LOC_NAME[loc] as string}`
          : `Plot ${plot}, ${LOC_NAME[loc] as string}${LOC_RURAL_SUFFIX[loc] as string}`;
        hhOut +=
          hhId +
          "," +
          hhFamily +
          LOC_PREFIX[loc] +
          address +
          '",' +
          dateString(regDay) +
          ROOF_FIELD[roof] +
          WATER_FIELD[water] +
          (electricity ? "true," : "false,") +
          hundredths(land) +
          "," +
          livestock +
          "," +
          hundredths(incomeCents) +
          "\n";
      }
    }

    return {
      households: hhOut,
      individuals: indOut,
      householdRows: wantHouseholds ? len : 0,
      individualRows: wantIndividuals ? idx : 0,
    };
  }
}

// ---------------------------------------------------------------------------
// Streams

export function csvHeader(table: WorkloadTable): string {
  return (table === "household" ? HOUSEHOLD_COLUMNS : INDIVIDUAL_COLUMNS).join(",") + "\n";
}

export interface StreamOptions {
  /** Emit a CSV header row first (for files; COPY uses HEADER then). */
  header?: boolean;
  /** Blocks per pushed chunk. */
  blocksPerChunk?: number;
}

/** Lazily yields CSV text chunks for one table (one chunk per block). */
export function* csvChunks(
  opts: WorkloadOptions,
  table: WorkloadTable,
  streamOpts: StreamOptions = {},
): Generator<string, number> {
  const gen = new BlockGenerator(opts);
  const wantH = table === "household";
  let rows = 0;
  if (streamOpts.header) yield csvHeader(table);
  for (let b = 0; b < gen.blocks; b++) {
    const out = gen.generate(b, wantH, !wantH);
    rows += wantH ? out.householdRows : out.individualRows;
    yield wantH ? out.households : out.individuals;
  }
  return rows;
}

/**
 * A byte stream of CSV for one table. Generation happens in _read, one block
 * at a time, so memory stays flat and the consumer's backpressure applies.
 */
export class WorkloadStream extends Readable {
  /** Data rows generated so far (excluding the header). */
  rows = 0;
  private readonly gen: BlockGenerator;
  private block = 0;
  private headerPending: boolean;
  private readonly wantHouseholds: boolean;
  private readonly blocksPerChunk: number;

  constructor(
    opts: WorkloadOptions,
    readonly table: WorkloadTable,
    streamOpts: StreamOptions = {},
  ) {
    super({ highWaterMark: 1 << 20 });
    this.gen = new BlockGenerator(opts);
    this.headerPending = streamOpts.header ?? false;
    this.wantHouseholds = table === "household";
    this.blocksPerChunk = Math.max(1, streamOpts.blocksPerChunk ?? 1);
  }

  override _read(): void {
    try {
      let more = true;
      while (more) {
        if (this.block >= this.gen.blocks) {
          this.push(null);
          return;
        }
        let text = "";
        if (this.headerPending) {
          text = csvHeader(this.table);
          this.headerPending = false;
        }
        const end = Math.min(this.gen.blocks, this.block + this.blocksPerChunk);
        for (; this.block < end; this.block++) {
          const out = this.gen.generate(this.block, this.wantHouseholds, !this.wantHouseholds);
          if (this.wantHouseholds) {
            text += out.households;
            this.rows += out.householdRows;
          } else {
            text += out.individuals;
            this.rows += out.individualRows;
          }
        }
        more = this.push(Buffer.from(text, "utf8"));
      }
    } catch (err) {
      this.destroy(err as Error);
    }
  }
}

export function workloadStream(
  opts: WorkloadOptions,
  table: WorkloadTable,
  streamOpts?: StreamOptions,
): WorkloadStream {
  return new WorkloadStream(opts, table, streamOpts);
}

/** The gazetteer as CSV (code,name,parent_code,level,urban), for importers that need areas. */
export function gazetteerCsv(): string {
  let out = "code,name,parent_code,level,urban\n";
  for (const d of GAZETTEER.districts) out += `${d.code},${d.name},,district,false\n`;
  for (const l of GAZETTEER.localities) out += `${l.code},${l.name},${l.district},locality,${l.urban}\n`;
  return out;
}
