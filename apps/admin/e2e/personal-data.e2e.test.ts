import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_URL, launch, screenshot, signIn, withLuhnDigit } from "./browser.ts";

let browser: Browser;

// A person no seeded one resembles (seeded national IDs start with 23…, phones with +2547…).
const stamp = String(Date.now()).slice(-8);
const NATIONAL_ID = withLuhnDigit(`8${stamp}`);
const PHONE = `+254110${stamp.slice(-6)}`;
const IBAN = "DE89370400440532013000";
const BIC = "COBADEFFXXX";
const HOLDER = "Neema Chebet";
const NAME = `Neema Masked${stamp}`;

const masked = (value: string) => "•".repeat(value.length - 4) + value.slice(-4);

let registrantId = "";

/** A fresh browser context (its own session) signed in as `username`. */
async function pageOf(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, username);
  await page.getByTestId("dashboard-stats").waitFor({ timeout: 30_000 });
  return page;
}

/** The filters the registry list's "Add filter" menu offers (the menu stays open). */
async function offeredFilters(page: Page): Promise<string[]> {
  await page.getByRole("link", { name: "Registrants" }).click();
  await page.waitForURL(/#\/Registrant(\?|$)/);
  await page.locator("tbody tr").first().waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Add filter" }).click();
  const menu = page.getByRole("menu");
  await menu.getByRole("menuitemcheckbox", { name: "Tag" }).waitFor();
  await page.waitForTimeout(300); // let the menu's transition finish for the screenshot
  return (await menu.getByRole("menuitemcheckbox").allInnerTexts()).map((text) => text.trim());
}

/**
 * The text of a tab's table on the show page, once it shows `shown` (a text every role
 * sees, so the previous tab's table is not read instead).
 */
async function tabText(page: Page, tab: string, shown: string | RegExp): Promise<string> {
  await page.getByRole("tab", { name: tab }).click();
  const body = page.locator(".RaTabbedShowLayout-content tbody", { hasText: shown }).first();
  await body.waitFor({ timeout: 30_000 });
  return body.innerText();
}

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("personal data for viewers", () => {
  it("a registrar registers a person with a national ID, a phone and a bank account", async () => {
    const page = await pageOf("registrar");
    await page.goto(`${ADMIN_URL}/#/Registrant/create`);
    await page.getByLabel("Given name").fill("Neema");
    await page.getByLabel("Family name").fill(`Masked${stamp}`);

    await page.locator(".ra-input-identifiers").getByRole("button", { name: "Add" }).click();
    await page.getByRole("combobox", { name: "ID type" }).click();
    await page.getByRole("option", { name: "National ID" }).click();
    await page.locator('input[name="identifiers.0.value"]').fill(NATIONAL_ID);

    await page.locator(".ra-input-phones").getByRole("button", { name: "Add" }).click();
    await page.locator('input[name="phones.0.number"]').fill(PHONE);

    await page.locator(".ra-input-financialAddresses").getByRole("button", { name: "Add" }).click();
    await page.getByRole("combobox", { name: "Account type" }).click();
    await page.getByRole("option", { name: "Bank account" }).click();
    await page.locator('input[name="financialAddresses.0.accountHolder"]').fill(HOLDER);
    await page.locator('input[name="financialAddresses.0.iban"]').fill(IBAN);
    await page.locator('input[name="financialAddresses.0.bic"]').fill(BIC);

    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/#\/Registrant\/[^/]+\/show/, { timeout: 30_000 });
    registrantId = /#\/Registrant\/([^/]+)\/show/.exec(page.url())?.[1] ?? "";
    expect(registrantId).not.toBe("");
    // The registrar sees the values in clear.
    expect(await tabText(page, "Identifiers", NATIONAL_ID.slice(-4))).toContain(NATIONAL_ID);
    expect(await tabText(page, "Phones", new RegExp(`${PHONE.slice(-4)}\\s*KE`))).toContain(PHONE);
    const accounts = await tabText(page, "Accounts", BIC);
    expect(accounts).toContain(IBAN);
    expect(accounts).toContain(HOLDER);
    await screenshot(page, "personal-data-01-registrar-accounts");
    // …and may search by identifier and phone number.
    const offered = await offeredFilters(page);
    expect(offered).toContain("Identifier");
    expect(offered).toContain("Phone number");
    await page.context().close();
  });

  it("a viewer is not offered the identifier and phone filters of the registry", async () => {
    const page = await pageOf("viewer");
    const offered = await offeredFilters(page);
    expect(offered).toContain("Age from");
    expect(offered).not.toContain("Identifier");
    expect(offered).not.toContain("Phone number");
    await screenshot(page, "personal-data-02-viewer-filters");
    await page.keyboard.press("Escape");
    await page.context().close();
  });

  it("a viewer opens the person and sees the identifier, phone and account masked", async () => {
    const page = await pageOf("viewer");
    await page.getByRole("link", { name: "Registrants" }).click();
    await page.waitForURL(/#\/Registrant/);
    await page.getByLabel("Search by name").fill(NAME);
    const row = page.locator("tbody tr").filter({ hasText: NAME });
    await row.first().waitFor({ timeout: 30_000 });
    await row.first().click();
    await page.waitForURL(new RegExp(`#/Registrant/${registrantId}/show`));
    await page.getByTestId("registrant-details").getByText(NAME).first().waitFor();

    const identifiers = await tabText(page, "Identifiers", NATIONAL_ID.slice(-4));
    expect(identifiers).toContain(masked(NATIONAL_ID));
    expect(identifiers).not.toContain(NATIONAL_ID);
    await screenshot(page, "personal-data-03-viewer-identifiers");

    const phones = await tabText(page, "Phones", new RegExp(`${PHONE.slice(-4)}\\s*KE`));
    expect(phones).toContain(masked(PHONE));
    expect(phones).not.toContain(PHONE.slice(0, -4));

    const accounts = await tabText(page, "Accounts", BIC);
    expect(accounts).toContain(masked(IBAN));
    expect(accounts).toContain("•".repeat(HOLDER.length));
    expect(accounts).not.toContain(IBAN.slice(0, -4));
    expect(accounts).not.toMatch(/Neema|Chebet/);
    // The bank (BIC) names no person and stays readable.
    expect(accounts).toContain(BIC);
    await screenshot(page, "personal-data-04-viewer-accounts");
    await page.context().close();
  });
});
