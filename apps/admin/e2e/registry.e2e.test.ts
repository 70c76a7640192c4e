import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, screenshot, signIn, withLuhnDigit } from "./browser.ts";

let browser: Browser;
let page: Page;

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

  it("filters the list by an attribute value, by household and by a person's groups", async () => {
    /** The names in the list once it shows exactly `expected` (in the list's order, by name). */
    const expectNames = (expected: string[]) =>
      expect
        .poll(async () => page.locator("tbody tr td:first-child").allInnerTexts(), { timeout: 30_000 })
        .toEqual(expected);
    /**
     * The list shows every household of `shown` and none of `hidden` (the seeded households;
     * other tests may add households of their own, e.g. the sample import's Mwangi household).
     */
    const expectHouseholds = (shown: string[], hidden: string[]) =>
      expect
        .poll(
          async () => {
            const names = await page.locator("tbody tr td:first-child").allInnerTexts();
            return {
              missing: shown.filter((n) => !names.includes(`${n} household`)),
              unexpected: hidden.filter((n) => names.includes(`${n} household`)),
            };
          },
          { timeout: 30_000 },
        )
        .toEqual({ missing: [], unexpected: [] });
    const addFilter = async (label: string) => {
      await page.getByRole("button", { name: "Add filter" }).click();
      await page.getByRole("menuitemcheckbox", { name: label }).click();
    };
    /** Removes a filter from the bar and waits for the list's URL to drop it. */
    const removeFilter = async (source: string) => {
      await page.locator(`[data-source="${source}"] .hide-filter`).click();
      await page.waitForURL((url) => !decodeURIComponent(url.href).includes(`"${source}"`));
    };

    await page.getByRole("link", { name: "Registrants" }).click();
    await page.waitForURL(/#\/Registrant(\?|$)/);
    // The list comes back with the last search; clear it before filtering.
    await page.getByLabel("Search by name").fill("");
    await page.waitForURL((url) => !decodeURIComponent(url.href).includes("Wanjru"));
    await page.locator("tbody tr").first().waitFor({ timeout: 30_000 });

    // The demo households' roofs go concrete, tin, thatch, tiles in turn (thatch for the 3rd, 7th
    // and 11th), and every third has no electricity (the 1st, 4th, 7th and 10th).
    await addFilter("Attribute");
    await page.getByRole("combobox", { name: "Attribute" }).click();
    await page.getByRole("option", { name: "Roof material" }).click();
    await page.getByRole("combobox", { name: "Value" }).click();
    await page.getByRole("option", { name: "thatch", exact: true }).click();
    await expectHouseholds(
      ["Mwangi", "Odhiambo", "Wambui"],
      ["Wanjiru", "Otieno", "Achieng", "Kamau", "Njoroge", "Mutua", "Chebet", "Kiprono", "Omondi"],
    );
    expect(decodeURIComponent(page.url())).toContain('"attribute":{"code":"roof_material","value":"thatch"}');
    await screenshot(page, "registry-06-filter-attribute");

    // A yes/no attribute is picked from Yes/No and sent as a boolean.
    await page.getByRole("combobox", { name: "Attribute" }).click();
    await page.getByRole("option", { name: "Has electricity" }).click();
    await page.getByRole("combobox", { name: "Value" }).click();
    await page.getByRole("option", { name: "No", exact: true }).click();
    await expectHouseholds(
      ["Achieng", "Kiprono", "Odhiambo", "Wanjiru"],
      ["Otieno", "Kamau", "Njoroge", "Mutua", "Chebet", "Wambui", "Omondi"],
    );
    expect(decodeURIComponent(page.url())).toContain('"attribute":{"code":"has_electricity","value":false}');

    await removeFilter("attribute");
    await addFilter("Member of household");
    // (Not the Mwangi household: the sample import adds one of the same name.)
    await page.getByRole("combobox", { name: "Member of household" }).fill("Otieno");
    await page.getByRole("option", { name: "Otieno household" }).click();
    await expectNames(["Halima Otieno", "Musa Otieno", "Peter Otieno"]);
    await screenshot(page, "registry-07-filter-household");

    await removeFilter("groupId");
    await addFilter("Groups of person");
    await page.getByRole("combobox", { name: "Groups of person" }).fill("Faith Mwangi");
    await page.getByRole("option", { name: "Faith Mwangi", exact: true }).click();
    await expectNames(["Mwangi household"]);
  });

  it("registers a household with a registered and a new member, and lists both as its members", async () => {
    // Another new national ID, for the new person once the wrong one is refused.
    const memberId = withLuhnDigit(`8${prefix.slice(1)}`);
    await page.getByRole("link", { name: "Registrants" }).click();
    await page.waitForURL(/#\/Registrant(\?|$)/);
    await page.getByRole("link", { name: "Create" }).click();
    await page.waitForURL(/#\/Registrant\/create/);
    await page.getByRole("radio", { name: "Group" }).check();
    await page.locator('input[name="name"]').fill("Kimani household");

    const members = page.locator(".ra-input-members");
    const row = (index: number) => members.locator(".RaSimpleFormIterator-line").nth(index);
    // A person already registered…
    await members.getByRole("button", { name: "Add" }).click();
    await row(0).getByRole("combobox", { name: "Individual" }).fill("Faith Mwangi");
    await page.getByRole("option", { name: "Faith Mwangi", exact: true }).click();
    await row(0).getByRole("combobox", { name: "Role" }).click();
    await page.getByRole("option", { name: "Spouse" }).click();
    // …and a new one, entered in the row.
    await members.getByRole("button", { name: "Add" }).click();
    await row(1).getByRole("radio", { name: "New person" }).check();
    await page.locator('input[name="members.1.individual.givenName"]').fill("Zawadi");
    await page.locator('input[name="members.1.individual.familyName"]').fill("Kimani");
    await page.locator('input[name="members.1.individual.birthDate"]').fill("1984-07-01");
    await row(1).getByRole("combobox", { name: "Sex" }).click();
    await page.getByRole("option", { name: "Female" }).click();
    await row(1).getByRole("combobox", { name: "ID type" }).click();
    await page.getByRole("option", { name: "National ID" }).click();
    const value = page.locator('input[name="members.1.individual.identifiers.0.value"]');
    await value.fill(invalidId);
    await page.locator('input[name="members.1.individual.phones.0.number"]').fill("+254722000333");
    await row(1).getByRole("combobox", { name: "Role" }).click();
    await page.getByRole("option", { name: "Head" }).click();
    await page.getByRole("button", { name: "Save" }).click();

    // The API refuses the whole household; its message shows under the new person's ID number.
    await expect
      .poll(async () => helperTextOf(value), { timeout: 30_000 })
      .toMatch(/National ID has a wrong check digit/i);
    await expect.poll(async () => value.getAttribute("aria-invalid")).toBe("true");
    expect(page.url()).toMatch(/#\/Registrant\/create/);
    await screenshot(page, "registry-08-household-member-refused");

    await value.fill(memberId);
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/#\/Registrant\/[^/]+\/show/, { timeout: 30_000 });
    await page.getByTestId("registrant-details").getByText("Kimani household").first().waitFor();
    await page.getByRole("tab", { name: "Members" }).click();
    const current = page.getByTestId("current-members");
    await current.getByText("Faith Mwangi").waitFor({ timeout: 30_000 });
    await current.getByText("Zawadi Kimani").waitFor({ timeout: 30_000 });
    await expect.poll(async () => current.locator("tbody tr").count()).toBe(2);
    await screenshot(page, "registry-09-household-members");
  });
});
