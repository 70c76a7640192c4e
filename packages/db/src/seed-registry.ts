// Demo registry data: reference data for every department, and a few
// households with members, identifiers and phones in department `demo`.
// Set-based inserts keyed on natural keys, so a second run adds nothing.
import type pg from "pg";

const ZONES = [
  { code: "NAI", name: "Nairobi", parent: null },
  { code: "KSM", name: "Kisumu", parent: null },
  { code: "MSA", name: "Mombasa", parent: null },
  { code: "NAI-KIB", name: "Kibera", parent: "NAI" },
  { code: "NAI-MTR", name: "Mathare", parent: "NAI" },
  { code: "KSM-NYA", name: "Nyalenda", parent: "KSM" },
  { code: "KSM-MAN", name: "Manyatta", parent: "KSM" },
  { code: "MSA-LIK", name: "Likoni", parent: "MSA" },
  { code: "MSA-KIS", name: "Kisauni", parent: "MSA" },
];

const ATTRIBUTES = [
  {
    code: "monthly_income",
    label: "Monthly income",
    type: "NUMBER",
    appliesTo: null,
    enumValues: [],
    min: 0,
    max: null,
  },
  {
    code: "roof_material",
    label: "Roof material",
    type: "ENUM",
    appliesTo: "GROUP",
    enumValues: ["concrete", "tin", "thatch", "tiles"],
    min: null,
    max: null,
  },
  {
    code: "has_electricity",
    label: "Has electricity",
    type: "BOOLEAN",
    appliesTo: "GROUP",
    enumValues: [],
    min: null,
    max: null,
  },
  {
    code: "disability",
    label: "Living with a disability",
    type: "BOOLEAN",
    appliesTo: "INDIVIDUAL",
    enumValues: [],
    min: null,
    max: null,
  },
];

const FAMILY = [
  "Wanjiru",
  "Otieno",
  "Mwangi",
  "Achieng",
  "Kamau",
  "Njoroge",
  "Odhiambo",
  "Mutua",
  "Chebet",
  "Kiprono",
  "Wambui",
  "Omondi",
];
const WOMEN = [
  "Amina",
  "Grace",
  "Faith",
  "Mercy",
  "Joy",
  "Esther",
  "Halima",
  "Wanjiku",
  "Akinyi",
  "Zawadi",
  "Neema",
  "Rehema",
];
const MEN = [
  "John",
  "Peter",
  "Samuel",
  "Daniel",
  "Brian",
  "Kevin",
  "Hassan",
  "Otieno",
  "Kiptoo",
  "Baraka",
  "Juma",
  "Musa",
];
const ROOFS = ["concrete", "tin", "thatch", "tiles"];
const SMALL = ZONES.filter((z) => z.parent);

/** Appends a Luhn check digit to `digits`. */
export function withLuhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

interface Person {
  externalId: string;
  household: string;
  kind: "HEAD" | "SPOUSE" | "CHILD";
  given: string;
  family: string;
  sex: "FEMALE" | "MALE";
  birthDate: string;
  nationalId: string | null;
  phone: string | null;
}

function demoPeople(): {
  households: {
    externalId: string;
    name: string;
    zone: string;
    roof: string;
    electricity: boolean;
    income: number;
  }[];
  people: Person[];
} {
  const households = [];
  const people: Person[] = [];
  for (let h = 0; h < FAMILY.length; h++) {
    const family = FAMILY[h]!;
    const externalId = `HH-DEMO-${String(h + 1).padStart(3, "0")}`;
    households.push({
      externalId,
      name: `${family} household`,
      zone: SMALL[h % SMALL.length]!.code,
      roof: ROOFS[h % ROOFS.length]!,
      electricity: h % 3 !== 0,
      income: 3000 + ((h * 7919) % 25000),
    });
    const size = 2 + (h % 4);
    for (let m = 0; m < size; m++) {
      const n = people.length + 1;
      const female = (h + m) % 2 === 0;
      const kind = m === 0 ? "HEAD" : m === 1 ? "SPOUSE" : "CHILD";
      const adult = m < 2;
      const year = adult ? 1965 + ((h * 3 + m) % 30) : 2008 + ((h + m) % 15);
      people.push({
        externalId: `IND-DEMO-${String(n).padStart(3, "0")}`,
        household: externalId,
        kind,
        given: (female ? WOMEN : MEN)[(h + m * 5) % 12]!,
        family,
        sex: female ? "FEMALE" : "MALE",
        birthDate: `${year}-${String(1 + ((h + m) % 12)).padStart(2, "0")}-${String(1 + ((h * 7 + m) % 28)).padStart(2, "0")}`,
        nationalId: adult ? withLuhnDigit(String(230000000 + n * 7331)) : null,
        phone: adult ? `+2547${String(10000000 + n * 104729).slice(-8)}` : null,
      });
    }
  }
  return { households, people };
}

/** Reference data for one department (call inside a transaction scoped to it). */
async function seedReference(c: pg.ClientBase, tenantId: string): Promise<void> {
  await c.query(
    `INSERT INTO id_type (id, tenant_id, code, name, pattern, checksum) VALUES
       (gen_random_uuid(), $1, 'NATIONAL_ID', 'National ID', '\\d{10}', 'LUHN'),
       (gen_random_uuid(), $1, 'PASSPORT', 'Passport', '[A-Z]{1,2}\\d{6,8}', 'NONE')
     ON CONFLICT (tenant_id, code) DO NOTHING`,
    [tenantId],
  );
  await c.query(
    `INSERT INTO membership_kind (id, tenant_id, code, name, unique_per_group) VALUES
       (gen_random_uuid(), $1, 'HEAD', 'Head', true),
       (gen_random_uuid(), $1, 'SPOUSE', 'Spouse', false),
       (gen_random_uuid(), $1, 'CHILD', 'Child', false),
       (gen_random_uuid(), $1, 'OTHER', 'Other member', false)
     ON CONFLICT (tenant_id, code) DO NOTHING`,
    [tenantId],
  );
  const large = ZONES.filter((z) => !z.parent);
  await c.query(
    `INSERT INTO geo_zone (id, tenant_id, code, name, level)
     SELECT gen_random_uuid(), $1, code, name, 'LARGE' FROM unnest($2::text[], $3::text[]) AS z(code, name)
     ON CONFLICT (tenant_id, code) DO NOTHING`,
    [tenantId, large.map((z) => z.code), large.map((z) => z.name)],
  );
  await c.query(
    `INSERT INTO geo_zone (id, tenant_id, code, name, level, parent_id)
     SELECT gen_random_uuid(), $1, z.code, z.name, 'SMALL', p.id
       FROM unnest($2::text[], $3::text[], $4::text[]) AS z(code, name, parent)
       JOIN geo_zone p ON p.tenant_id = $1 AND p.code = z.parent
     ON CONFLICT (tenant_id, code) DO NOTHING`,
    [tenantId, SMALL.map((z) => z.code), SMALL.map((z) => z.name), SMALL.map((z) => z.parent)],
  );
  await c.query(
    `INSERT INTO attribute_definition (id, tenant_id, code, label, type, applies_to, enum_values, min, max)
     SELECT gen_random_uuid(), $1, a.code, a.label, a.type::"AttributeType", a.applies::"RegistrantKind",
            CASE WHEN a.vals = '' THEN '{}'::text[] ELSE string_to_array(a.vals, ',') END, a.min, a.max
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[])
            AS a(code, label, type, applies, vals, min, max)
     ON CONFLICT (tenant_id, code) DO NOTHING`,
    [
      tenantId,
      ATTRIBUTES.map((a) => a.code),
      ATTRIBUTES.map((a) => a.label),
      ATTRIBUTES.map((a) => a.type),
      ATTRIBUTES.map((a) => a.appliesTo),
      ATTRIBUTES.map((a) => a.enumValues.join(",")),
      ATTRIBUTES.map((a) => a.min),
      ATTRIBUTES.map((a) => a.max),
    ],
  );
}

/** A dozen households with their members (department `demo` only). */
async function seedHouseholds(c: pg.ClientBase, tenantId: string): Promise<void> {
  const { households, people } = demoPeople();
  await c.query(
    `INSERT INTO registrant (id, tenant_id, kind, external_id, name, gaz_large_id, gaz_small_id, attributes, registration_date)
     SELECT gen_random_uuid(), $1, 'GROUP', h.ext, h.name, z.parent_id, z.id,
            jsonb_build_object('roof_material', h.roof, 'has_electricity', h.elec, 'monthly_income', h.income),
            DATE '2026-01-15'
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::numeric[]) AS h(ext, name, zone, roof, elec, income)
       JOIN geo_zone z ON z.tenant_id = $1 AND z.code = h.zone
     ON CONFLICT (tenant_id, external_id) DO NOTHING`,
    [
      tenantId,
      households.map((h) => h.externalId),
      households.map((h) => h.name),
      households.map((h) => h.zone),
      households.map((h) => h.roof),
      households.map((h) => h.electricity),
      households.map((h) => h.income),
    ],
  );
  await c.query(
    `INSERT INTO registrant (id, tenant_id, kind, external_id, name, given_name, family_name, sex, birth_date,
                             gaz_large_id, gaz_small_id, registration_date)
     SELECT gen_random_uuid(), $1, 'INDIVIDUAL', p.ext, p.given || ' ' || p.family, p.given, p.family, p.sex::"Sex", p.birth::date,
            g.gaz_large_id, g.gaz_small_id, DATE '2026-01-15'
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS p(ext, hh, given, family, sex, birth)
       JOIN registrant g ON g.tenant_id = $1 AND g.external_id = p.hh
     ON CONFLICT (tenant_id, external_id) DO NOTHING`,
    [
      tenantId,
      people.map((p) => p.externalId),
      people.map((p) => p.household),
      people.map((p) => p.given),
      people.map((p) => p.family),
      people.map((p) => p.sex),
      people.map((p) => p.birthDate),
    ],
  );
  await c.query(
    `INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id, start_date)
     SELECT gen_random_uuid(), $1, g.id, i.id, k.id, DATE '2026-01-15'
       FROM unnest($2::text[], $3::text[], $4::text[]) AS p(ext, hh, kind)
       JOIN registrant i ON i.tenant_id = $1 AND i.external_id = p.ext
       JOIN registrant g ON g.tenant_id = $1 AND g.external_id = p.hh
       JOIN membership_kind k ON k.tenant_id = $1 AND k.code = p.kind
      WHERE NOT EXISTS (SELECT 1 FROM group_membership m WHERE m.group_id = g.id AND m.individual_id = i.id)`,
    [tenantId, people.map((p) => p.externalId), people.map((p) => p.household), people.map((p) => p.kind)],
  );
  const adults = people.filter((p) => p.nationalId);
  await c.query(
    `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
     SELECT gen_random_uuid(), $1, i.id, t.id, p.nid
       FROM unnest($2::text[], $3::text[]) AS p(ext, nid)
       JOIN registrant i ON i.tenant_id = $1 AND i.external_id = p.ext
       JOIN id_type t ON t.tenant_id = $1 AND t.code = 'NATIONAL_ID'
     ON CONFLICT (tenant_id, id_type_id, value) DO NOTHING`,
    [tenantId, adults.map((p) => p.externalId), adults.map((p) => p.nationalId)],
  );
  await c.query(
    `INSERT INTO phone (id, tenant_id, registrant_id, e164, country, is_primary)
     SELECT gen_random_uuid(), $1, i.id, p.phone, 'KE', true
       FROM unnest($2::text[], $3::text[]) AS p(ext, phone)
       JOIN registrant i ON i.tenant_id = $1 AND i.external_id = p.ext
      WHERE NOT EXISTS (SELECT 1 FROM phone x WHERE x.registrant_id = i.id AND x.e164 = p.phone)`,
    [tenantId, adults.map((p) => p.externalId), adults.map((p) => p.phone)],
  );
}

/**
 * The four deduplication rules of a department, as the API's DEFAULT_RULES:
 * identifier, phone and financial address enabled, and similar name with the same
 * birth date (threshold 0.6, 0 days). Existing rules are left as they are.
 */
export async function seedDedupRules(c: pg.ClientBase, tenantId: string): Promise<void> {
  await c.query(
    `INSERT INTO dedup_rule (id, tenant_id, kind, enabled, name_threshold, birth_date_days)
     SELECT gen_random_uuid(), $1, k::"DedupRuleKind", true, 0.6, 0
       FROM unnest(ARRAY['SAME_IDENTIFIER', 'SAME_PHONE', 'SAME_FINANCIAL_ADDRESS', 'SIMILAR_NAME_BIRTH_DATE']) AS k
     ON CONFLICT (tenant_id, kind) DO NOTHING`,
    [tenantId],
  );
}

/** Seeds the registry of every department (inside one transaction per department). */
export async function seedRegistry(c: pg.ClientBase): Promise<void> {
  const { rows } = await c.query<{ id: string; code: string }>(
    "SELECT id, code FROM department ORDER BY code",
  );
  for (const d of rows) {
    await c.query("BEGIN");
    try {
      await c.query("SELECT set_config('app.tenant_id', $1, true)", [d.id]);
      await seedReference(c, d.id);
      await seedDedupRules(c, d.id);
      if (d.code === "demo") await seedHouseholds(c, d.id);
      await c.query("COMMIT");
    } catch (error) {
      await c.query("ROLLBACK");
      throw error;
    }
  }
}
