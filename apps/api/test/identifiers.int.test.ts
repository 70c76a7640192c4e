// Identifier dates and validity through the API: expiry read as EXPIRED once
// passed, revocation kept, impossible dates refused on their field, and an
// edited identifier keeping its id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLuhnDigit } from "@pbms/db/testing";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;
let nationalId: string;

const FIELDS = "id version identifiers { id value status issuedOn expiresOn }";
const CREATE = `mutation ($identifiers: [IdentifierInput!]) {
  createRegistrant(kind: INDIVIDUAL, givenName: "Zawadi", familyName: "Moraa", identifiers: $identifiers) { ${FIELDS} }
}`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $identifiers: [IdentifierInput!]) {
  updateRegistrant(id: $id, version: $version, identifiers: $identifiers) { ${FIELDS} }
}`;

interface View {
  id: string;
  version: number;
  identifiers: {
    id: string;
    value: string;
    status: string;
    issuedOn: string | null;
    expiresOn: string | null;
  }[];
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startHarness();
  registrar = await h.userToken("registrar");
  const [row] = await h.sql<{ id: string }>(
    "SELECT t.id FROM id_type t JOIN department d ON d.id = t.tenant_id WHERE d.code = 'demo' AND t.code = 'NATIONAL_ID'",
  );
  nationalId = row!.id;
});
afterAll(() => h?.close());

describe("identifiers", () => {
  it("reads a valid identifier past its expiry date as expired, and keeps a revoked one revoked", async () => {
    const res = await h.gql<{ createRegistrant: View }>(
      CREATE,
      {
        identifiers: [
          { idTypeId: nationalId, value: withLuhnDigit("880000001"), expiresOn: day(-1) },
          { idTypeId: nationalId, value: withLuhnDigit("880000002"), expiresOn: day(30) },
          { idTypeId: nationalId, value: withLuhnDigit("880000003"), expiresOn: day(-1), status: "REVOKED" },
          { idTypeId: nationalId, value: withLuhnDigit("880000004") },
        ],
      },
      registrar,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createRegistrant.identifiers.map((i) => i.status)).toEqual([
      "EXPIRED",
      "VALID",
      "REVOKED",
      "VALID",
    ]);
    // What is stored stays what the registrar entered.
    const stored = await h.sql<{ status: string }>(
      "SELECT status::text FROM registrant_identifier WHERE registrant_id = $1 ORDER BY value",
      [res.data!.createRegistrant.id],
    );
    expect(stored.map((r) => r.status)).toEqual(["VALID", "VALID", "REVOKED", "VALID"]);
  });

  it("refuses an impossible date on its field and stores nothing", async () => {
    for (const [field, value] of [
      ["expiresOn", "2031-02-30"],
      ["issuedOn", "2023-04-31"],
    ] as const) {
      const res = await h.gql(
        CREATE,
        { identifiers: [{ idTypeId: nationalId, value: withLuhnDigit("880000009"), [field]: value }] },
        registrar,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(JSON.stringify(res.errors?.[0]?.extensions)).toContain(field);
    }
    const [{ n }] = (await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM registrant_identifier WHERE value = $1",
      [withLuhnDigit("880000009")],
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it("keeps the id of an edited identifier, adds new ones and removes the ones left out", async () => {
    const created = await h.gql<{ createRegistrant: View }>(
      CREATE,
      {
        identifiers: [
          { idTypeId: nationalId, value: withLuhnDigit("880000021") },
          { idTypeId: nationalId, value: withLuhnDigit("880000022") },
        ],
      },
      registrar,
    );
    const person = created.data!.createRegistrant;
    const [kept, dropped] = person.identifiers;
    const updated = await h.gql<{ updateRegistrant: View }>(
      UPDATE,
      {
        id: person.id,
        version: person.version,
        identifiers: [
          { id: kept!.id, idTypeId: nationalId, value: kept!.value, expiresOn: day(365) },
          { idTypeId: nationalId, value: withLuhnDigit("880000023") },
        ],
      },
      registrar,
    );
    expect(updated.errors).toBeUndefined();
    const after = updated.data!.updateRegistrant.identifiers;
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ id: kept!.id, value: kept!.value, expiresOn: day(365) });
    expect(after[1]!.id).not.toBe(dropped!.id);
    expect(after.map((i) => i.value)).not.toContain(dropped!.value);

    // Naming a row of another registrant, or the same row twice, is refused on its field.
    const twice = await h.gql(
      UPDATE,
      {
        id: person.id,
        version: person.version + 1,
        identifiers: [
          { id: kept!.id, idTypeId: nationalId, value: kept!.value },
          { id: kept!.id, idTypeId: nationalId, value: withLuhnDigit("880000024") },
        ],
      },
      registrar,
    );
    expect(twice.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "identifiers.1.id",
    });
  });
});
