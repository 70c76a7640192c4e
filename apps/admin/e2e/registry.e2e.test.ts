import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, screenshot, signIn } from "./browser.ts";

let browser: Browser;
let page: Page;

/** Appends the Luhn check digit to `digits` (the demo NATIONAL_ID type checks it). */
function withLuhnDigit(digits: string): string {
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

function luhnValid(value: string): boolean {
  return withLuhnDigit(value.slice(0, -1)) === value;
}

// A 10-digit national ID no seeded person has (they start with 23…), and the same
// number with a wrong check digit.
const prefix = `9${String(Date.now()).slice(-8)}`;
const validId = withLuhnDigit(prefix);
const invalidId = `${prefix}${(Number(validId.slice(-1)) + 1) % 10}`;

const BIRTH_DATE = "1990-04-12";
function ageOn(birthDate: string, today = new Date()): number {
  const [year, month, day] = birthDate.split("-").map(Number) as [number, number, number];
  const hadBirthday =
    today.getMonth() + 1 > month || (today.getMonth() + 1 === month && today.getDate() >= day);
  return today.getFullYear() - year - (hadBirthday ? 0 : 1);
}

let registrantId = "";

/** The helper text an input is described by (where react-admin shows its error). */
async function helperTextOf(input: Locator): Promise<string> {
  const describedBy = await input.getAttribute("aria-describedby");
  if (!describedBy) return "";
  const helper = page.locator(`[id="${describedBy}"]`);
  return (await helper.count()) > 0 ? helper.innerText() : "";
}

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
});

describe("the registry", () => {
  it("computes national IDs with a valid and a wrong check digit", () => {
    expect(validId).toMatch(/^\d{10}$/);
    expect(luhnValid(validId)).toBe(true);
    expect(luhnValid(invalidId)).toBe(false);
    expect(luhnValid("79927398713")).toBe(true); // the textbook Luhn example
  });

  it("signs in as a registrar and opens the registry", async () => {
    await signIn(page, "registrar");
    await page.getByTestId("dashboard-stats").waitFor({ timeout: 30_000 });
    await page.getByRole("link", { name: "Registrants" }).click();
    await page.waitForURL(/#\/Registrant/);
    await page.getByLabel("Search by name").waitFor();
    await page.locator("tbody tr").first().waitFor({ timeout: 30_000 });
    await screenshot(page, "registry-01-list");
  });

  it("shows the server's refusal of an invalid national ID under the identifier's input", async () => {
    await page.getByRole("link", { name: "Create" }).click();
    await page.waitForURL(/#\/Registrant\/create/);
    await page.getByLabel("Given name").fill("Amina");
    await page.getByLabel("Family name").fill("Wanjiru");
    await page.getByLabel("Birth date", { exact: true }).fill(BIRTH_DATE);
    await page.getByRole("combobox", { name: "Sex" }).click();
    await page.getByRole("option", { name: "Female" }).click();

    await page.locator(".ra-input-identifiers").getByRole("button", { name: "Add" }).click();
    await page.getByRole("combobox", { name: "ID type" }).click();
    await page.getByRole("option", { name: "National ID" }).click();
    const value = page.locator('input[name="identifiers.0.value"]');
    await value.fill(invalidId);
    await page.getByRole("button", { name: "Save" }).click();

    // The API's message, on the first identifier's value input (its described-by helper text).
    await expect
      .poll(async () => helperTextOf(value), { timeout: 30_000 })
      .toMatch(/National ID has a wrong check digit/i);
    await expect.poll(async () => value.getAttribute("aria-invalid")).toBe("true");
    expect(page.url()).toMatch(/#\/Registrant\/create/);
    await screenshot(page, "registry-02-identifier-refused");

    await value.fill(validId);
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/#\/Registrant\/[^/]+\/show/, { timeout: 30_000 });
    registrantId = /#\/Registrant\/([^/]+)\/show/.exec(page.url())?.[1] ?? "";
    expect(registrantId).not.toBe("");
    await page.getByTestId("registrant-details").getByText("Amina Wanjiru").first().waitFor();
    await screenshot(page, "registry-03-registered");
  });

  it("finds her in the list by a misspelled name and opens her record", async () => {
    await page.getByRole("link", { name: "Registrants" }).click();
    await page.waitForURL(/#\/Registrant(\?|$)/);
    await page.getByLabel("Search by name").fill("Amina Wanjru");
    await page.waitForURL(/Wanjru/);
    // The list shows only close names once the search has run (not the unfiltered first page).
    await expect
      .poll(
        async () => {
          const names = await page.locator("tbody tr td:first-child").allInnerTexts();
          return names.length > 0 && names.every((name) => /Amina|Wanjiru/.test(name));
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const age = String(ageOn(BIRTH_DATE));
    const row = page
      .locator("tbody tr")
      .filter({ hasText: "Amina Wanjiru" })
      .filter({ has: page.getByRole("cell", { name: age, exact: true }) });
    await row.first().waitFor({ timeout: 30_000 });
    await screenshot(page, "registry-04-search-misspelled");
    await row.first().click();
    await page.waitForURL(new RegExp(`#/Registrant/${registrantId}/show`));
    await page.getByRole("tab", { name: "Identifiers" }).click();
    await page.getByText(validId).waitFor();
    await screenshot(page, "registry-05-identifiers");
  });
});
