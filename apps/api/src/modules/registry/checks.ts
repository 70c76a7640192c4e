// Pure validation of registry values: identifier checksums and patterns,
// phone numbers, bank accounts and the G2P Connect "fa" string.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools";

/** Luhn (mod 10) check digit validation. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff check digit validation (used e.g. by Aadhaar). */
export function verhoeffValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let c = 0;
  const reversed = [...digits].reverse().map(Number);
  for (let i = 0; i < reversed.length; i++) c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![reversed[i]!]!]!;
  return c === 0;
}

export type Checksum = "NONE" | "LUHN" | "VERHOEFF";

/** Why `value` is not a valid identifier of a type with this pattern and checksum, or undefined. */
export function identifierProblem(
  value: string,
  pattern: string | null,
  checksum: Checksum,
): string | undefined {
  if (!value.trim()) return "must not be empty";
  if (pattern && !new RegExp(`^(?:${pattern})$`).test(value)) return `does not match the format ${pattern}`;
  if (checksum === "LUHN" && !luhnValid(value)) return "has a wrong check digit (Luhn)";
  if (checksum === "VERHOEFF" && !verhoeffValid(value)) return "has a wrong check digit (Verhoeff)";
  return undefined;
}

/** Normalises a phone number to E.164, or returns undefined when it is not a valid number. */
export function normalisePhone(
  number: string,
  country?: string | null,
): { e164: string; country: string | null } | undefined {
  const parsed = parsePhoneNumberFromString(
    number,
    (country?.toUpperCase() as CountryCode | undefined) ?? undefined,
  );
  if (!parsed?.isValid()) return undefined;
  return { e164: parsed.number, country: parsed.country ?? country?.toUpperCase() ?? null };
}

export interface FinancialAddressValue {
  kind: "BANK_ACCOUNT" | "MOBILE_WALLET";
  iban?: string | null;
  bic?: string | null;
  walletProvider?: string | null;
  msisdn?: string | null;
}

/**
 * Validates a bank account (IBAN + optional BIC) or mobile wallet (E.164 number
 * + provider) and builds the ID-account-mapper "fa" string. Returns the
 * normalised fields, or `{ field, message }` for the first problem.
 */
export function financialAddress(input: FinancialAddressValue):
  | {
      iban: string | null;
      bic: string | null;
      msisdn: string | null;
      walletProvider: string | null;
      fa: string;
    }
  | { field: string; message: string } {
  if (input.kind === "BANK_ACCOUNT") {
    const iban = electronicFormatIBAN(input.iban ?? "") ?? "";
    if (!isValidIBAN(iban)) return { field: "iban", message: "is not a valid IBAN" };
    const bic = input.bic?.replace(/\s/g, "").toUpperCase() || null;
    if (bic && !isValidBIC(bic)) return { field: "bic", message: "is not a valid BIC" };
    return { iban, bic, msisdn: null, walletProvider: null, fa: `iban:${iban}${bic ? `@${bic}` : ""}` };
  }
  const phone = normalisePhone(input.msisdn ?? "");
  if (!phone) return { field: "msisdn", message: "is not a valid phone number in international format" };
  const provider = input.walletProvider?.trim().toLowerCase();
  if (!provider || !/^[a-z0-9][a-z0-9._-]*$/.test(provider)) {
    return { field: "walletProvider", message: "is required (letters, digits, . _ -)" };
  }
  return {
    iban: null,
    bic: null,
    msisdn: phone.e164,
    walletProvider: provider,
    fa: `mobile:${phone.e164}@${provider}`,
  };
}
