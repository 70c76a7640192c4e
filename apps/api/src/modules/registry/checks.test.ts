import { describe, expect, it } from "vitest";
import { financialAddress, identifierProblem, luhnValid, normalisePhone, verhoeffValid } from "./checks.ts";
import { mask, maskFa } from "./pii.ts";

describe("identifier checks", () => {
  it("validates Luhn and Verhoeff check digits", () => {
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
    expect(verhoeffValid("2363")).toBe(true);
    expect(verhoeffValid("2364")).toBe(false);
  });

  it("explains why a value does not fit its type", () => {
    expect(identifierProblem("12345", "\\d{10}", "NONE")).toMatch(/format/);
    expect(identifierProblem("7992739871", "\\d{10}", "LUHN")).toMatch(/check digit/);
    expect(identifierProblem("79927398713", "\\d{11}", "LUHN")).toBeUndefined();
  });
});

describe("phones and accounts", () => {
  it("normalises phone numbers to E.164 with the country", () => {
    expect(normalisePhone("0712 345 678", "KE")).toEqual({ e164: "+254712345678", country: "KE" });
    expect(normalisePhone("+33 6 12 34 56 78")).toEqual({ e164: "+33612345678", country: "FR" });
    expect(normalisePhone("12", "KE")).toBeUndefined();
  });

  it("validates IBAN and BIC and builds the fa string", () => {
    expect(
      financialAddress({ kind: "BANK_ACCOUNT", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX" }),
    ).toMatchObject({
      iban: "DE89370400440532013000",
      fa: "iban:DE89370400440532013000@COBADEFFXXX",
    });
    expect(financialAddress({ kind: "BANK_ACCOUNT", iban: "DE89 3704 0044 0532 0130 01" })).toEqual({
      field: "iban",
      message: "is not a valid IBAN",
    });
    expect(
      financialAddress({ kind: "MOBILE_WALLET", msisdn: "+254712345678", walletProvider: "M Pesa" }),
    ).toEqual({
      field: "walletProvider",
      message: "is required (letters, digits, . _ -)",
    });
    expect(
      financialAddress({ kind: "MOBILE_WALLET", msisdn: "+254712345678", walletProvider: "M-Pesa" }),
    ).toMatchObject({
      fa: "mobile:+254712345678@m-pesa",
    });
  });

  it("masks all but the last characters", () => {
    expect(mask("1234567890")).toBe("••••••7890");
    expect(mask("abc")).toBe("•••");
    expect(mask(null)).toBeNull();
    expect(mask("Amina", 0)).toBe("•••••");
  });

  it("masks the account of an fa string as its own field is masked, keeping the institution", () => {
    expect(maskFa("iban:DE89370400440532013000@COBADEFFXXX")).toBe(
      `iban:${mask("DE89370400440532013000")}@COBADEFFXXX`,
    );
    expect(maskFa("iban:DE89370400440532013000")).toBe("iban:••••••••••••••••••3000");
    expect(maskFa("mobile:+254712345678@m-pesa")).toBe("mobile:•••••••••5678@m-pesa");
    expect(maskFa("token:abc@def@ghi")).toBe("•••••••••••••@ghi");
  });
});
