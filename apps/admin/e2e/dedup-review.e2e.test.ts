import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_URL, launch, screenshot, signIn } from "./browser.ts";

let browser: Browser;
let page: Page;

// Two people of one family sharing a mobile wallet, entered with different spacing and
// case; names and numbers no other browser test or seeded person uses.
const stamp = String(Date.now()).slice(-6);
const WALLET = `+254111${stamp}`;
const WALLET_FA = `mobile:${WALLET}@mpesa`;
const FIRST = { givenName: "Wanjiku", familyName: `Shared${stamp}` };
const SECOND = { givenName: "Barasa", familyName: `Wallet${stamp}` };
const FIRST_NAME = `${FIRST.givenName} ${FIRST.familyName}`;
const SECOND_NAME = `${SECOND.givenName} ${SECOND.familyName}`;

let firstId = "";

/** Registers a person with one mobile wallet through the create form; returns the new id. */
async function registerWithWallet(
  person: { givenName: string; familyName: string },
  msisdn: string,
  provider: string,
): Promise<string> {
  await page.goto(`${ADMIN_URL}/#/Registrant/create`);
  await page.getByLabel("Given name").fill(person.givenName);
  await page.getByLabel("Family name").fill(person.familyName);
  await page.locator(".ra-input-financialAddresses").getByRole("button", { name: "Add" }).click();
  await page.getByRole("combobox", { name: "Account type" }).click();
  await page.getByRole("option", { name: "Mobile wallet" }).click();
  await page.locator('input[name="financialAddresses.0.msisdn"]').fill(msisdn);
  await page.locator('input[name="financialAddresses.0.walletProvider"]').fill(provider);
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL(/#\/Registrant\/[^/]+\/show/, { timeout: 30_000 });
  const id = /#\/Registrant\/([^/]+)\/show/.exec(page.url())?.[1] ?? "";
  expect(id).not.toBe("");
  // The record page has replaced the form (a next create page starts from an empty form).
  await page
    .getByTestId("registrant-details")
    .getByText(`${person.givenName} ${person.familyName}`)
    .first()
    .waitFor({ timeout: 30_000 });
  return id;
}

/** Opens the duplicate list filtered to the first person's sets in `status`. */
async function listOf(status: "OPEN" | "NOT_DUPLICATE"): Promise<void> {
  const filter = encodeURIComponent(JSON.stringify({ status, registrantId: firstId }));
  await page.goto(`${ADMIN_URL}/#/DuplicateSet?filter=${filter}`);
  await page.waitForURL(/#\/DuplicateSet\?/);
}

const setRow = () =>
  page.locator("tbody tr").filter({ hasText: FIRST_NAME }).filter({ hasText: SECOND_NAME });

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
});

describe("reviewing a proposed duplicate set", () => {
  it("a registrar marks two people sharing a wallet as not duplicates, and the set leaves the open ones", async () => {
    await signIn(page, "registrar");
    await page.getByTestId("dashboard-stats").waitFor({ timeout: 30_000 });
    firstId = await registerWithWallet(
      FIRST,
      `${WALLET.slice(0, 4)} ${WALLET.slice(4, 7)} ${WALLET.slice(7)}`,
      "MPESA",
    );
    const secondId = await registerWithWallet(SECOND, WALLET, "mpesa");
    expect(secondId).not.toBe(firstId);

    await page.getByRole("link", { name: "Duplicates" }).click();
    await page.waitForURL(/#\/DuplicateSet/);
    await page.getByRole("button", { name: "Find duplicates" }).click();
    await page.waitForURL(/#\/Job\/[^/]+\/show/, { timeout: 30_000 });
    await page.getByText("Succeeded").first().waitFor({ timeout: 60_000 });

    // The open set of the two, found by the shared account.
    await listOf("OPEN");
    await setRow().first().waitFor({ timeout: 30_000 });
    expect(await page.locator("tbody tr").count()).toBe(1);
    expect(await setRow().first().innerText()).toContain("Same account");
    await screenshot(page, "dedup-review-01-open-set");

    // Side by side: one column per person, each showing the same wallet.
    await setRow().first().click();
    await page.waitForURL(/#\/DuplicateSet\/[^/]+\/show/);
    const members = page.getByTestId("duplicate-member");
    await expect.poll(async () => members.count(), { timeout: 30_000 }).toBe(2);
    for (const name of [FIRST_NAME, SECOND_NAME]) {
      const column = members.filter({ has: page.getByRole("link", { name, exact: true }) });
      await column.waitFor();
      await column.getByText(WALLET_FA, { exact: true }).waitFor();
    }
    await page.getByTestId("duplicate-set-status").filter({ hasText: "Open" }).waitFor();
    await screenshot(page, "dedup-review-02-side-by-side");

    await page.getByRole("button", { name: "Not a duplicate" }).click();
    await page
      .getByTestId("duplicate-set-status")
      .filter({ hasText: "Not a duplicate" })
      .waitFor({ timeout: 30_000 });
    await page.getByText("Marked as not a duplicate").waitFor();
    expect(await page.getByRole("button", { name: "Not a duplicate" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Merge into this one" }).count()).toBe(0);
    await screenshot(page, "dedup-review-03-not-duplicate");

    // No longer among the open sets, but listed with the decided ones.
    await listOf("OPEN");
    await page.getByText(/found using the current filters/).waitFor({ timeout: 30_000 });
    expect(await setRow().count()).toBe(0);
    await screenshot(page, "dedup-review-04-open-sets-without-it");
    await listOf("NOT_DUPLICATE");
    await setRow().first().waitFor({ timeout: 30_000 });
    expect(await setRow().first().innerText()).toContain("Not a duplicate");
  });
});
