import { describe, expect, it } from "vitest";
import {
  attributeInputKind,
  attributeValues,
  attributesFor,
  registrantFormValues,
  registrantInput,
} from "./registrantForm";
import { attributeProblem, registrantValidator, today } from "./registrantValidation";

const definitions = [
  {
    code: "monthly_income",
    appliesTo: null,
    type: "NUMBER",
    required: false,
    min: 0,
    max: null,
    enumValues: [],
  },
  {
    code: "roof_material",
    appliesTo: "GROUP",
    type: "ENUM",
    required: true,
    min: null,
    max: null,
    enumValues: ["concrete", "tin", "thatch"],
  },
  {
    code: "disability",
    appliesTo: "INDIVIDUAL",
    type: "BOOLEAN",
    required: false,
    min: null,
    max: null,
    enumValues: [],
  },
  { code: "children", appliesTo: "GROUP", type: "INTEGER", required: false, min: 0, max: 30, enumValues: [] },
] as const;

describe("attribute inputs", () => {
  it("picks the input for each attribute type", () => {
    expect(attributeInputKind({ type: "NUMBER" })).toBe("number");
    expect(attributeInputKind({ type: "INTEGER" })).toBe("integer");
    expect(attributeInputKind({ type: "BOOLEAN" })).toBe("boolean");
    expect(attributeInputKind({ type: "TEXT" })).toBe("text");
    expect(attributeInputKind({ type: "ENUM" })).toBe("select");
    expect(attributeInputKind({ type: "DATE" })).toBe("date");
    expect(attributeInputKind({ type: "SOMETHING_NEW" as "TEXT" })).toBe("text");
  });

  it("offers the attributes of the registrant's kind and those of both kinds", () => {
    expect(attributesFor(definitions, "INDIVIDUAL").map((d) => d.code)).toEqual([
      "monthly_income",
      "disability",
    ]);
    expect(attributesFor(definitions, "GROUP").map((d) => d.code)).toEqual([
      "monthly_income",
      "roof_material",
      "children",
    ]);
    expect(attributesFor(undefined, "GROUP")).toEqual([]);
  });

  it("sends the values of the kind's attributes only, blanks left out", () => {
    expect(
      attributeValues(
        { monthly_income: 1200, disability: false, roof_material: "tin", children: null, stray: "x" },
        definitions,
        "INDIVIDUAL",
      ),
    ).toEqual({ monthly_income: 1200, disability: false });
    expect(attributeValues({ roof_material: " tin ", monthly_income: "" }, definitions, "GROUP")).toEqual({
      roof_material: "tin",
    });
  });
});

describe("registrant form values", () => {
  it("edits phones by their number, read back as e164", () => {
    const values = registrantFormValues({
      id: "r1",
      kind: "INDIVIDUAL",
      phones: [{ id: "p1", e164: "+254712345678", country: "KE", isPrimary: true }],
    });
    expect(values.phones).toEqual([{ id: "p1", number: "+254712345678", country: "KE", isPrimary: true }]);
    expect(values.attributes).toEqual({});
  });
});

describe("registrantInput", () => {
  it("sends a new person with the input shapes of its lists", () => {
    const data = registrantInput(
      {
        kind: "INDIVIDUAL",
        givenName: " Amina ",
        familyName: "Wanjiru",
        additionalName: "",
        birthDate: "1990-04-12",
        sex: "FEMALE",
        name: "left over from a group",
        status: "ACTIVE",
        statusReason: "not inactive",
        deceasedDate: "2020-01-01",
        tags: ["pilot", " pilot ", ""],
        attributes: { monthly_income: 1200, roof_material: "tin" },
        identifiers: [{ idTypeId: "t1", value: " 1234567897 ", issuedOn: "" }],
        phones: [{ number: "0712345678", country: "ke", isPrimary: false }],
        financialAddresses: [
          { kind: "MOBILE_WALLET", msisdn: "+254712345678", walletProvider: "mpesa", iban: "stale" },
        ],
        members: [{ individualId: "x", kindId: "k" }],
      },
      definitions,
      { creating: true },
    );
    expect(data).toEqual({
      kind: "INDIVIDUAL",
      givenName: "Amina",
      familyName: "Wanjiru",
      additionalName: null,
      birthDate: "1990-04-12",
      birthDateNotExact: false,
      sex: "FEMALE",
      status: "ACTIVE",
      statusReason: null,
      deceasedDate: null,
      gazLargeId: null,
      gazSmallId: null,
      addressText: null,
      tags: ["pilot"],
      attributes: { monthly_income: 1200 },
      identifiers: [
        { idTypeId: "t1", value: "1234567897", issuedOn: null, expiresOn: null, status: "VALID" },
      ],
      phones: [{ number: "0712345678", country: "KE", isPrimary: true }],
      financialAddresses: [
        {
          kind: "MOBILE_WALLET",
          accountHolder: null,
          iban: null,
          bic: null,
          walletProvider: "mpesa",
          msisdn: "+254712345678",
          isPrimary: true,
        },
      ],
    });
  });

  it("sends a new group with its members and without personal fields", () => {
    const data = registrantInput(
      {
        kind: "GROUP",
        name: "Wanjiru household",
        givenName: "Amina",
        birthDate: "1990-04-12",
        sex: "FEMALE",
        status: "INACTIVE",
        statusReason: " moved away ",
        attributes: { roof_material: "tin", disability: true },
        members: [{ individualId: "r1", kindId: "head", startDate: "" }],
      },
      definitions,
      { creating: true },
    );
    expect(data).toMatchObject({
      kind: "GROUP",
      name: "Wanjiru household",
      status: "INACTIVE",
      statusReason: "moved away",
      attributes: { roof_material: "tin" },
      members: [{ individualId: "r1", kindId: "head", startDate: null }],
    });
    for (const field of ["givenName", "familyName", "birthDate", "sex"])
      expect(data).not.toHaveProperty(field);
  });

  it("sends each member of a new group as an existing individual or a new person", () => {
    const data = registrantInput(
      {
        kind: "GROUP",
        name: "Chege household",
        members: [
          { entry: "existing", individualId: "r1", kindId: "spouse", individual: { givenName: "Stale" } },
          {
            entry: "new",
            individualId: "r9",
            kindId: "head",
            startDate: "2024-03-01",
            individual: {
              givenName: " Njeri ",
              familyName: "Chege",
              birthDate: "1984-07-01",
              sex: "FEMALE",
              identifiers: [{ idTypeId: "t1", value: " 7700000018 " }],
              phones: [{ number: "+254722000333", country: "ke" }],
            },
          },
          {
            entry: "new",
            kindId: "child",
            individual: { familyName: "Chege", identifiers: [{}], phones: [{}] },
          },
          { individualId: "r2", kindId: "child" },
        ],
      },
      definitions,
      { creating: true },
    );
    const members = data.members as Record<string, unknown>[];
    expect(members[0]).toEqual({ individualId: "r1", kindId: "spouse", startDate: null });
    expect(members[1]).toEqual({
      individual: {
        givenName: "Njeri",
        familyName: "Chege",
        additionalName: null,
        birthDate: "1984-07-01",
        birthDateNotExact: false,
        sex: "FEMALE",
        status: "ACTIVE",
        statusReason: null,
        deceasedDate: null,
        gazLargeId: null,
        gazSmallId: null,
        addressText: null,
        tags: [],
        attributes: {},
        identifiers: [
          { idTypeId: "t1", value: "7700000018", issuedOn: null, expiresOn: null, status: "VALID" },
        ],
        phones: [{ number: "+254722000333", country: "KE", isPrimary: true }],
        financialAddresses: [],
      },
      kindId: "head",
      startDate: "2024-03-01",
    });
    // Empty identifier and phone rows are left out; a row without `entry` names an existing individual.
    expect(members[2]).toMatchObject({ individual: { familyName: "Chege", identifiers: [], phones: [] } });
    expect(members[2]?.individual).not.toHaveProperty("kind");
    expect(members[3]).toEqual({ individualId: "r2", kindId: "child", startDate: null });
  });

  it("updates with the version read, keeps row ids, and sends no kind or members", () => {
    const data = registrantInput(
      {
        id: "r1",
        kind: "INDIVIDUAL",
        version: 7,
        givenName: "Amina",
        status: "DECEASED",
        deceasedDate: "2026-01-02",
        registrationDate: "2026-01-15",
        identifiers: [{ id: "i1", idTypeId: "t1", value: "1", status: "EXPIRED" }],
        phones: [
          { id: "p1", number: "+254700000001", isPrimary: false },
          { number: "+254700000002", isPrimary: true },
        ],
        members: [{ individualId: "x", kindId: "k" }],
      },
      definitions,
      { creating: false },
    );
    expect(data).toMatchObject({
      version: 7,
      status: "DECEASED",
      deceasedDate: "2026-01-02",
      registrationDate: "2026-01-15",
      identifiers: [{ id: "i1", idTypeId: "t1", value: "1", status: "EXPIRED" }],
      phones: [
        { id: "p1", number: "+254700000001", isPrimary: false },
        { number: "+254700000002", isPrimary: true },
      ],
    });
    expect(data).not.toHaveProperty("kind");
    expect(data).not.toHaveProperty("members");
  });
});

describe("registrant validation", () => {
  const validate = registrantValidator(definitions as never);

  it("asks a person for a name and a group for its name", () => {
    expect(validate({ kind: "INDIVIDUAL" })).toEqual({ givenName: "app.registrant.validation.personName" });
    expect(validate({ kind: "INDIVIDUAL", familyName: "Wanjiru" })).toEqual({});
    expect(validate({ kind: "GROUP", attributes: { roof_material: "tin" } })).toEqual({
      name: "ra.validation.required",
    });
  });

  it("checks dates, status reasons and list rows in the form's shape", () => {
    const errors = validate({
      kind: "INDIVIDUAL",
      givenName: "Amina",
      birthDate: "2999-01-01",
      status: "INACTIVE",
      identifiers: [
        { idTypeId: "t1", value: "1" },
        { value: "", issuedOn: "2024-01-02", expiresOn: "2024-01-01" },
      ],
      phones: [{ number: "" }],
      financialAddresses: [{ kind: "BANK_ACCOUNT" }, { kind: "MOBILE_WALLET", msisdn: "+2547" }],
    });
    expect(errors).toEqual({
      birthDate: "app.registrant.validation.future",
      statusReason: "ra.validation.required",
      identifiers: [
        {},
        {
          idTypeId: "ra.validation.required",
          value: "ra.validation.required",
          expiresOn: "app.registrant.validation.expiresBeforeIssued",
        },
      ],
      phones: [{ number: "ra.validation.required" }],
      financialAddresses: [{ iban: "ra.validation.required" }, { walletProvider: "ra.validation.required" }],
    });
  });

  it("checks the attributes of the kind by their definitions", () => {
    expect(
      validate({ kind: "GROUP", name: "H", attributes: { roof_material: "straw", children: 2.5 } }),
    ).toEqual({
      attributes: {
        roof_material: "app.registrant.validation.choice",
        children: "app.registrant.validation.integer",
      },
    });
    expect(validate({ kind: "GROUP", name: "H", attributes: {} })).toEqual({
      attributes: { roof_material: "ra.validation.required" },
    });
    expect(
      validate({
        kind: "GROUP",
        name: "H",
        members: [{ individualId: "r1" }],
        attributes: { roof_material: "tin" },
      }),
    ).toEqual({
      members: [{ kindId: "ra.validation.required" }],
    });
  });

  it("asks each member row for its person: an individual picked, or a new person's name and full identifier", () => {
    expect(
      validate({
        kind: "GROUP",
        name: "H",
        attributes: { roof_material: "tin" },
        members: [
          { entry: "existing", kindId: "head" },
          { entry: "new", kindId: "spouse", individual: { birthDate: "2999-01-01" } },
          {
            entry: "new",
            kindId: "child",
            individual: { familyName: "Chege", identifiers: [{ value: "1" }] },
          },
          { entry: "new", individual: { givenName: "Njeri", identifiers: [{ idTypeId: "t1" }] } },
          { entry: "new", kindId: "child", individual: { givenName: "Wangui", identifiers: [{}] } },
        ],
      }),
    ).toEqual({
      members: [
        { individualId: "ra.validation.required" },
        {
          individual: {
            givenName: "app.registrant.validation.personName",
            birthDate: "app.registrant.validation.future",
          },
        },
        { individual: { identifiers: [{ idTypeId: "ra.validation.required" }] } },
        {
          individual: { identifiers: [{ value: "ra.validation.required" }] },
          kindId: "ra.validation.required",
        },
        {},
      ],
    });
  });

  it("reports numbers out of range with their bound", () => {
    const income = definitions[0];
    expect(attributeProblem(income, -1)).toEqual({ message: "ra.validation.minValue", args: { min: 0 } });
    expect(attributeProblem({ ...income, max: 10 }, 11)).toEqual({
      message: "ra.validation.maxValue",
      args: { max: 10 },
    });
    expect(attributeProblem(income, "abc")).toBe("ra.validation.number");
    expect(attributeProblem(income, null)).toBeUndefined();
    expect(attributeProblem({ ...definitions[2], required: true }, null)).toBeUndefined();
  });

  it("formats today as a local day", () => {
    expect(today(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});

describe("formatByteSize", () => {
  it("uses binary units with one decimal", async () => {
    const { formatByteSize } = await import("./documents");
    expect(formatByteSize(512)).toBe("512 B");
    expect(formatByteSize(1536)).toBe("1.5 KB");
    expect(formatByteSize(2 * 1024 * 1024)).toBe("2 MB");
  });
});
