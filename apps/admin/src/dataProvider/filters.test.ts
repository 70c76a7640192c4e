import { describe, expect, it } from "vitest";
import { ageRangeFilter, listFilterPreparers, trimTextFilter } from "./filters";

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

describe("listFilterPreparers", () => {
  it("prepares the registry filter", () => {
    expect(listFilterPreparers.Registrant?.({ q: " a ", age_gte: "70", age_lte: "5" })).toEqual({
      q: "a",
      age_gte: 5,
      age_lte: 70,
    });
  });
});
