import { describe, expect, it } from "vitest";
import { validateCurrency, validateTimeZone } from "./departmentValidation";

describe("department settings validation", () => {
  it("accepts ISO 4217 style currency codes only", () => {
    expect(validateCurrency("XOF")).toBeUndefined();
    expect(validateCurrency("usd")).toBe("app.department.validation.currency");
    expect(validateCurrency("EURO")).toBe("app.department.validation.currency");
  });

  it("accepts IANA time zones", () => {
    expect(validateTimeZone("Africa/Nairobi")).toBeUndefined();
    expect(validateTimeZone("UTC")).toBeUndefined();
    expect(validateTimeZone("Mars/Olympus")).toBe("app.department.validation.timezone");
  });

  it("leaves empty values to `required`", () => {
    expect(validateCurrency("")).toBeUndefined();
    expect(validateTimeZone(null)).toBeUndefined();
  });
});
