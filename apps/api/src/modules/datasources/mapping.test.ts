import { describe, expect, it } from "vitest";
import { IdTypeResolver, mapRecord, parseFieldMapping, type LocalIdType } from "./mapping.ts";
import { decryptSecret, encryptSecret } from "./secret.ts";

const ID_TYPES: LocalIdType[] = [
  { id: "t-nid", code: "NATIONAL_ID", pattern: "\\d{10}", checksum: "LUHN" },
  { id: "t-pass", code: "PASSPORT", pattern: null, checksum: "NONE" },
  { id: "t-voter", code: "VOTER", pattern: null, checksum: "NONE" },
];
const today = new Date("2026-01-01T00:00:00Z");

describe("mapRecord", () => {
  const mapping = parseFieldMapping({});
  const resolver = () => new IdTypeResolver(ID_TYPES, {});

  it("reads a DCI-style record with an identifier list, mapping UIN to NATIONAL_ID", () => {
    const m = mapRecord(
      {
        "@type": "Person",
        "@id": "urn:uuid:1",
        identifier: [
          { identifier_type: "UIN", identifier_value: "7100000012" },
          { identifier_type: "UIN", identifier_value: "7100000013" }, // wrong Luhn digit
          { identifier_type: "DRIVING_LICENCE", identifier_value: "X" },
        ],
        name: { given_name: " Amina ", surname: "Diallo" },
        sex: "F",
        birth_date: "1950-03-12",
      },
      mapping,
      resolver(),
      today,
    );
    expect(m).toEqual({
      recordId: "urn:uuid:1",
      person: true,
      givenName: "Amina",
      familyName: "Diallo",
      additionalName: null,
      birthDate: "1950-03-12",
      sex: "FEMALE",
      identifiers: [{ idTypeId: "t-nid", value: "7100000012" }],
      skippedIdentifiers: 2,
      name: null,
      members: null,
      skippedMembers: 0,
    });
  });

  it("reads a G2P Connect record with one identifier and falls back to it as the record id", () => {
    const m = mapRecord(
      {
        identifier: "AB123",
        identifier_type: "PASSPORT_NUMBER",
        name: { sur_name: "Sow" },
        birthdate: "2030-01-01T00:00:00Z",
        sex: "2",
      },
      mapping,
      resolver(),
      today,
    );
    expect(m).toMatchObject({ recordId: "AB123", familyName: "Sow", birthDate: null, sex: "FEMALE" });
    expect(m.identifiers).toEqual([{ idTypeId: "t-pass", value: "AB123" }]);
  });

  it("recognises groups and refuses impossible dates", () => {
    const m = mapRecord(
      { "@type": "ns:pbms:Group", "@id": "g1", birthdate: "2001-02-30" },
      mapping,
      resolver(),
      today,
    );
    expect(m).toMatchObject({ person: false, birthDate: null });
  });

  it("reads a group's name and members, mapping relationships to membership kinds", () => {
    const person = (id: string, given: string) => ({
      "@type": "Person",
      "@id": id,
      name: { given_name: given },
    });
    const m = mapRecord(
      {
        "@type": "Group",
        "@id": "urn:uuid:g",
        group_identifier: [{ identifier_type: "PASSPORT", identifier_value: "H-1" }],
        additional_attributes: [{ name: "display_name", value: "Household Bello" }],
        member_list: [
          { "@type": "Member", demographic_info: person("p1", "Halima"), relationship_head: "head" },
          { household_member: { demographic_info: person("p2", "Musa"), relationship_head: "Husband" } },
          { member_id: "p3", relationship_head: "son" },
          { member_id: "p4", relationship_head: "cousin" },
          { member_id: "p4", relationship_head: "child" }, // listed twice: the first entry counts
          { relationship_head: "child" }, // no record id
        ],
      },
      mapping,
      resolver(),
      today,
    );
    expect(m).toMatchObject({
      person: false,
      name: "Household Bello",
      givenName: null,
      identifiers: [{ idTypeId: "t-pass", value: "H-1" }],
      skippedMembers: 1,
    });
    expect(m.members).toEqual([
      { recordId: "p1", kind: "HEAD", record: person("p1", "Halima") },
      { recordId: "p2", kind: "SPOUSE", record: person("p2", "Musa") },
      { recordId: "p3", kind: "CHILD", record: null },
      { recordId: "p4", kind: "OTHER", record: null },
    ]);
    const custom = parseFieldMapping({ membershipKinds: { Cousin: "relative" } });
    expect(
      mapRecord({ "@type": "Household", "@id": "h", group_size: 0 }, custom, resolver(), today),
    ).toMatchObject({ name: "h", members: [] });
    expect(
      mapRecord(
        { "@type": "Household", "@id": "h", member_list: [{ member_id: "p", relationship_head: "cousin" }] },
        custom,
        resolver(),
        today,
      ).members,
    ).toEqual([{ recordId: "p", kind: "RELATIVE", record: null }]);
    expect(mapRecord({ "@type": "Group", "@id": "h" }, mapping, resolver(), today).members).toBeNull();
  });

  it("applies the source's overrides", () => {
    const custom = parseFieldMapping({
      recordId: "meta.key",
      givenName: ["person.first", "name.given_name"],
      idTypes: { ELECTORAL: "VOTER" },
    });
    const m = mapRecord(
      {
        meta: { key: 42 },
        person: { first: "Zainab" },
        identifier: [{ identifier_type: "electoral", identifier_value: "E-1" }],
      },
      custom,
      new IdTypeResolver(ID_TYPES, custom.idTypes),
      today,
    );
    expect(m).toMatchObject({
      recordId: "42",
      givenName: "Zainab",
      identifiers: [{ idTypeId: "t-voter", value: "E-1" }],
    });
  });

  it("rejects unknown mapping keys and malformed paths", () => {
    expect(() => parseFieldMapping({ nickname: "a" })).toThrow(/nickname|Unrecognized/);
    expect(() => parseFieldMapping({ givenName: "a..b" })).toThrow(/keys separated by dots/);
  });
});

describe("client secrets", () => {
  const env = { DATA_SOURCE_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") } as NodeJS.ProcessEnv;

  it("round-trips, and only for the same department and data source", () => {
    const stored = encryptSecret("s3cret", "tenant-1", "ds-1", env);
    expect(stored).not.toContain("s3cret");
    expect(decryptSecret(stored, "tenant-1", "ds-1", env)).toBe("s3cret");
    expect(() => decryptSecret(stored, "tenant-2", "ds-1", env)).toThrow(/cannot be decrypted/);
  });

  it("says when the key changed, and requires a key in production", () => {
    const stored = encryptSecret("s3cret", "t", "d", env);
    const other = { DATA_SOURCE_SECRET_KEY: Buffer.alloc(32, 8).toString("hex") } as NodeJS.ProcessEnv;
    expect(() => decryptSecret(stored, "t", "d", other)).toThrow(/another DATA_SOURCE_SECRET_KEY/);
    expect(() => encryptSecret("x", "t", "d", { NODE_ENV: "production" } as NodeJS.ProcessEnv)).toThrow(
      /not set/,
    );
    expect(() =>
      encryptSecret("x", "t", "d", { DATA_SOURCE_SECRET_KEY: "short" } as NodeJS.ProcessEnv),
    ).toThrow(/32 bytes/);
  });
});
