import { describe, expect, it } from "vitest";
import { ageRangeFilter, attributeFilter, listFilterPreparers, trimTextFilter } from "./filters";

describe("ageRangeFilter", () => {
  it("sends whole years and leaves empty ends out", () => {
    expect(ageRangeFilter({ age_gte: 18, age_lte: "" })).toEqual({ age_gte: 18 });
    expect(ageRangeFilter({ age_gte: undefined, age_lte: "64" })).toEqual({ age_lte: 64 });
    expect(ageRangeFilter({ age_gte: 17.9, age_lte: 65.2 })).toEqual({ age_gte: 17, age_lte: 65 });
    expect(ageRangeFilter({ kind: "INDIVIDUAL" })).toEqual({ kind: "INDIVIDUAL" });
  });

  it("reads a reversed range as the one meant, and drops invalid ages", () => {
    expect(ageRangeFilter({ age_gte: 60, age_lte: 18 })).toEqual({ age_gte: 18, age_lte: 60 });
    expect(ageRangeFilter({ age_gte: -1, age_lte: "abc", q: "x" })).toEqual({ q: "x" });
    expect(ageRangeFilter({ age_gte: 0 })).toEqual({ age_gte: 0 });
  });
});

describe("trimTextFilter", () => {
  it("trims text and drops emptied criteria", () => {
    expect(trimTextFilter({ q: "  Amina ", phone: " ", tag: null, age_gte: 0, ok: false })).toEqual({
      q: "Amina",
      age_gte: 0,
      ok: false,
    });
  });
});

describe("attributeFilter", () => {
  it("sends the picked attribute's value as the API's attributes criterion, typed as entered", () => {
    expect(attributeFilter({ attribute: { code: "roof_material", value: "thatch" }, kind: "GROUP" })).toEqual(
      {
        kind: "GROUP",
        attributes: { roof_material: "thatch" },
      },
    );
    expect(attributeFilter({ attribute: { code: "monthly_income", value: 2100 } })).toEqual({
      attributes: { monthly_income: 2100 },
    });
    expect(attributeFilter({ attribute: { code: "has_electricity", value: false } })).toEqual({
      attributes: { has_electricity: false },
    });
    expect(attributeFilter({ attribute: { code: "visited_on", value: "2026-01-15" } })).toEqual({
      attributes: { visited_on: "2026-01-15" },
    });
    expect(attributeFilter({ attribute: { code: "note", value: "  near the river " } })).toEqual({
      attributes: { note: "near the river" },
    });
  });

  it("leaves the criterion out until both an attribute and a value are given", () => {
    expect(attributeFilter({ attribute: { code: "roof_material", value: "" }, q: "a" })).toEqual({ q: "a" });
    expect(attributeFilter({ attribute: { code: "roof_material", value: "   " } })).toEqual({});
    expect(attributeFilter({ attribute: { code: "monthly_income", value: null } })).toEqual({});
    expect(attributeFilter({ attribute: { code: "monthly_income", value: Number.NaN } })).toEqual({});
    expect(attributeFilter({ attribute: { code: "", value: "thatch" } })).toEqual({});
    expect(attributeFilter({ attribute: { value: 0 } })).toEqual({});
    expect(attributeFilter({ attribute: "" })).toEqual({});
    expect(attributeFilter({ attribute: { code: "monthly_income", value: 0 } })).toEqual({
      attributes: { monthly_income: 0 },
    });
  });

  it("adds to attribute criteria already in the filter", () => {
    expect(
      attributeFilter({
        attributes: { roof_material: "tin" },
        attribute: { code: "has_electricity", value: true },
      }),
    ).toEqual({ attributes: { roof_material: "tin", has_electricity: true } });
  });
});

describe("listFilterPreparers", () => {
  it("prepares the registry filter", () => {
    expect(listFilterPreparers.Registrant?.({ q: " a ", age_gte: "70", age_lte: "5" })).toEqual({
      q: "a",
      age_gte: 5,
      age_lte: 70,
    });
    expect(
      listFilterPreparers.Registrant?.({
        attribute: { code: "roof_material", value: "tin " },
        groupId: "g1",
      }),
    ).toEqual({ attributes: { roof_material: "tin" }, groupId: "g1" });
  });
});
