import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvHeader, parseImportErrors } from "./csv";
import { IGNORE, autoMapColumns, importResultOf, mappingParam, mappingTargets } from "./importMapping";

/** What the API's importFields(entity) answers (docs/registry.md, "Import"). */
const FIELDS = {
  GROUP: ["external_id", "name", "gaz_large", "gaz_small", "address", "registration_date", "tags"],
  INDIVIDUAL: [
    "external_id",
    "given_name",
    "family_name",
    "additional_name",
    "birth_date",
    "birth_date_not_exact",
    "sex",
    "registration_date",
    "gaz_large",
    "gaz_small",
    "address",
    "phone",
    "group_external_id",
    "membership_kind",
    "tags",
  ],
  MEMBERSHIP: ["external_id", "group_external_id", "membership_kind", "start_date"],
} as const;
const base = {
  attributes: ["roof_material", "has_electricity", "monthly_income"],
  idTypes: ["NATIONAL_ID"],
};
const targets = (entity: keyof typeof FIELDS) => ({ ...base, fields: FIELDS[entity] });

describe("parseCsvHeader", () => {
  it("reads the first line's columns", () => {
    expect(parseCsvHeader("household_id,name,gaz_large\nHH-1,A,NAI\n")).toEqual([
      "household_id",
      "name",
      "gaz_large",
    ]);
  });

  it("drops a byte order mark, trims names and handles CRLF", () => {
    expect(parseCsvHeader("\uFEFF id , name\r\nx,y")).toEqual(["id", "name"]);
  });

  it("reads quoted headers with commas, quotes and line breaks", () => {
    expect(parseCsvHeader('"a, b","say ""hi""","multi\nline",last\n1,2,3,4')).toEqual([
      "a, b",
      'say "hi"',
      "multi\nline",
      "last",
    ]);
  });

  it("gives nothing for an empty file", () => {
    expect(parseCsvHeader("")).toEqual([]);
  });
});

describe("parseCsv", () => {
  it("keeps empty fields and a last line without line break", () => {
    expect(parseCsv("a,,c\n1,2,")).toEqual([
      ["a", "", "c"],
      ["1", "2", ""],
    ]);
  });
});

describe("parseImportErrors", () => {
  it("reads line, column and message", () => {
    const report = 'line,column,message\n5,roof_material,"""glass"" is not one of concrete, tin"\n';
    expect(parseImportErrors(report)).toEqual([
      { line: 5, column: "roof_material", message: '"glass" is not one of concrete, tin' },
    ]);
  });

  it("finds the columns by name and skips blank rows", () => {
    expect(parseImportErrors("\uFEFFmessage,line,column\r\nbad,3,x\r\n\r\n")).toEqual([
      { line: 3, column: "x", message: "bad" },
    ]);
    expect(parseImportErrors("")).toEqual([]);
  });
});

describe("autoMapColumns", () => {
  it("maps households: household_id to external_id, attributes by code", () => {
    const header = ["household_id", "name", "gaz_large", "roof_material", "notes"];
    expect(autoMapColumns(header, "GROUP", targets("GROUP"))).toEqual({
      household_id: "external_id",
      name: "name",
      gaz_large: "gaz_large",
      roof_material: "attr.roof_material",
      notes: IGNORE,
    });
  });

  it("maps individuals: ids, household, membership kind and identifier types", () => {
    const header = [
      "individual_id",
      "household_id",
      "member_kind",
      "Given Name",
      "national_id",
      "id.NATIONAL_ID",
    ];
    expect(autoMapColumns(header, "INDIVIDUAL", targets("INDIVIDUAL"))).toEqual({
      individual_id: "external_id",
      household_id: "group_external_id",
      member_kind: "membership_kind",
      "Given Name": "given_name",
      national_id: "id.NATIONAL_ID",
      // the target is taken already
      "id.NATIONAL_ID": IGNORE,
    });
  });

  it("gives identifier types to individuals only", () => {
    expect(autoMapColumns(["national_id"], "GROUP", targets("GROUP"))).toEqual({ national_id: IGNORE });
    expect(mappingTargets("GROUP", targets("GROUP"))).not.toContain("id.NATIONAL_ID");
    expect(mappingTargets("INDIVIDUAL", targets("INDIVIDUAL"))).toContain("id.NATIONAL_ID");
    expect(mappingTargets("INDIVIDUAL", targets("INDIVIDUAL"))).toContain("attr.roof_material");
  });

  it("sends ignored columns as ignore", () => {
    expect(mappingParam({ a: "external_id", b: IGNORE, c: "" })).toEqual({
      a: "external_id",
      b: "ignore",
      c: "ignore",
    });
  });
});

describe("importResultOf", () => {
  it("reads the counts of the job result", () => {
    expect(importResultOf({ rows: 6, inserted: 5, updated: 0, unchanged: 0, rejected: 1 })).toMatchObject({
      rows: 6,
      inserted: 5,
      rejected: 1,
    });
    expect(importResultOf('{"rows":2,"rejected":0,"inserted":2}')).toMatchObject({ rows: 2, inserted: 2 });
    expect(importResultOf(null)).toBeUndefined();
    expect(importResultOf("not json")).toBeUndefined();
  });
});

describe("data source form helpers", () => {
  it("sends the client secret only when one was typed", async () => {
    const { dataSourcePayload } = await import("../DataSource/dataSourceForm");
    expect(dataSourcePayload({ name: "x", clientSecret: "" })).toEqual({ name: "x" });
    expect(dataSourcePayload({ name: "x", clientSecret: "  " })).toEqual({ name: "x" });
    expect(dataSourcePayload({ name: "x" })).toEqual({ name: "x" });
    expect(dataSourcePayload({ name: "x", clientSecret: "s3cret" })).toEqual({
      name: "x",
      clientSecret: "s3cret",
    });
  });

  it("reads JSON objects and keeps other text for the validator", async () => {
    const { jsonText, parseJsonText } = await import("../DataSource/dataSourceForm");
    expect(parseJsonText('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonText("")).toBeUndefined();
    expect(parseJsonText("[1]")).toBe("[1]");
    expect(parseJsonText("{oops")).toBe("{oops");
    expect(jsonText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(jsonText(undefined)).toBe("");
  });
});

describe("membership files", () => {
  it("map individual and household columns and offer no attributes", () => {
    const membership = { attributes: ["roof_material"], idTypes: ["NATIONAL_ID"], fields: FIELDS.MEMBERSHIP };
    expect(
      autoMapColumns(
        ["individual_id", "household_id", "member_kind", "roof_material"],
        "MEMBERSHIP",
        membership,
      ),
    ).toEqual({
      individual_id: "external_id",
      household_id: "group_external_id",
      member_kind: "membership_kind",
      roof_material: IGNORE,
    });
    expect(mappingTargets("MEMBERSHIP", membership)).toEqual([
      "external_id",
      "group_external_id",
      "membership_kind",
      "start_date",
    ]);
  });
});
