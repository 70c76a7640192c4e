import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_URL, launch, screenshot, signIn, withLuhnDigit } from "./browser.ts";

let browser: Browser;
let page: Page;

const SAMPLES = fileURLToPath(new URL("../../../docs/samples/", import.meta.url));
const HOUSEHOLDS = join(SAMPLES, "households.csv");
const HOUSEHOLDS_XLSX = join(SAMPLES, "households.xlsx");
const INDIVIDUALS = join(SAMPLES, "individuals.csv");

// The seed's first person (IND-DEMO-001) is Amina Wanjiru; her national ID (packages/db seed).
const SEEDED_AMINA_ID = withLuhnDigit(String(230000000 + 1 * 7331));

let seededAminaId = "";
let duplicateId = "";

/** The import page's counts once the job has finished. */
async function count(name: string): Promise<string> {
  const text = await page.getByTestId(`import-count-${name}`).innerText();
  return text.split("\n").pop()?.trim() ?? "";
}

/** Picks a file on the import page, optionally as individuals, and runs the import to its result. */
async function importFile(path: string, entity: "Households / groups" | "Individuals", shot: string) {
  await page.getByRole("radio", { name: entity }).check();
  await page.getByTestId("import-file").setInputFiles(path);
  await page.getByTestId("import-mapping").waitFor();
  await screenshot(page, `${shot}-mapping`);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  try {
    await page.getByTestId("import-result").waitFor({ timeout: 60_000 });
  } catch (error) {
    await screenshot(page, `${shot}-failed`);
    throw new Error(`no import result; the page shows: ${await page.locator("main").innerText()}`, {
      cause: error,
    });
  }
  await page.locator('[role="progressbar"][aria-valuenow="100"]').first().waitFor();
  await page.waitForTimeout(500); // let the progress bar's transition finish for the screenshot
}

/** The mapping select of a column (its displayed value). */
async function mappedTo(column: string): Promise<string> {
  const select = page
    .getByTestId("import-mapping")
    .getByRole("combobox", { name: new RegExp(`^${column}\\b`) });
  return (await select.innerText()).trim();
}

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
});

describe("registry import", () => {
  it("signs in as a registrar and opens the import page", async () => {
    await signIn(page, "registrar");
    await page.getByTestId("dashboard-stats").waitFor({ timeout: 30_000 });
    await page.getByRole("link", { name: "Import", exact: true }).click();
    await page.waitForURL(/#\/import/);
    await page.getByRole("radio", { name: "Households / groups" }).waitFor();
    await screenshot(page, "import-01-page");
  });

  it("imports the sample households and lists the rejected row", async () => {
    await page.getByTestId("import-file").setInputFiles(HOUSEHOLDS);
    await page.getByTestId("import-mapping").waitFor();
    await expect.poll(() => mappedTo("household_id")).toBe("external_id");
    await expect.poll(() => mappedTo("roof_material")).toBe("attr.roof_material");
    await importFile(HOUSEHOLDS, "Households / groups", "import-02-households");
    expect(await count("rows")).toBe("6");
    expect(await count("rejected")).toBe("1");
    expect(await count("inserted")).toBe("5");
    const rows = page.getByTestId("import-errors").locator("tbody tr");
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator("td").allInnerTexts();
    // HH-S-004 is the file's fifth line (after the header).
    expect(cells[0]).toBe("5");
    expect(cells[1]).toBe("roof_material");
    expect(cells[2]).not.toBe("");
    await page.getByRole("button", { name: "Download" }).waitFor();
    await screenshot(page, "import-03-households-rejected");
  });

  it("re-imports the corrected file: the fixed row is added, the others unchanged", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pbms-import-"));
    const fixed = join(dir, "households.csv");
    await writeFile(fixed, (await readFile(HOUSEHOLDS, "utf8")).replace(",glass,", ",tin,"));
    await page.getByRole("button", { name: "Import another file / re-import" }).click();
    await importFile(fixed, "Households / groups", "import-04-households-fixed");
    expect(await count("rejected")).toBe("0");
    expect(await count("inserted")).toBe("1");
    expect(await count("unchanged")).toBe("5");
    expect(await page.getByTestId("import-errors").count()).toBe(0);
    await screenshot(page, "import-05-households-fixed-result");
  });

  it("imports the same households from an XLSX workbook: nothing changes, the same row is rejected", async () => {
    await page.getByRole("button", { name: "Import another file / re-import" }).click();
    await page.getByRole("radio", { name: "Households / groups" }).check();
    await page.getByTestId("import-file").setInputFiles(HOUSEHOLDS_XLSX);
    await page.getByTestId("import-mapping").waitFor();
    await expect.poll(() => mappedTo("household_id")).toBe("external_id");
    await importFile(HOUSEHOLDS_XLSX, "Households / groups", "import-05b-households-xlsx");
    expect(await count("rows")).toBe("6");
    expect(await count("rejected")).toBe("1");
    expect(await count("inserted")).toBe("0");
    expect(await count("unchanged")).toBe("5");
  });

  it("imports the sample individuals into their households", async () => {
    await page.getByRole("button", { name: "Import another file / re-import" }).click();
    await page.getByRole("radio", { name: "Individuals" }).check();
    await page.getByTestId("import-file").setInputFiles(INDIVIDUALS);
    await page.getByTestId("import-mapping").waitFor();
    await expect.poll(() => mappedTo("individual_id")).toBe("external_id");
    await expect.poll(() => mappedTo("household_id")).toBe("group_external_id");
    await expect.poll(() => mappedTo("member_kind")).toBe("membership_kind");
    await expect.poll(() => mappedTo("national_id")).toBe("id.NATIONAL_ID");
    await importFile(INDIVIDUALS, "Individuals", "import-06-individuals");
    expect(await count("rows")).toBe("8");
    expect(await count("rejected")).toBe("0");
    expect(await count("inserted")).toBe("8");
    await screenshot(page, "import-07-individuals-result");
  });

  it("finds an imported person by a misspelled name", async () => {
    await page.getByRole("link", { name: "Registrants" }).click();
    await page.waitForURL(/#\/Registrant(\?|$)/);
    await page.getByLabel("Search by name").fill("Jospeh Mwangi");
    await page.waitForURL(/Jospeh/);
    const row = page.locator("tbody tr").filter({ hasText: "Joseph Mwangi" });
    await row.first().waitFor({ timeout: 30_000 });
    await screenshot(page, "import-08-search-misspelled");
    await row.first().click();
    await page.waitForURL(/#\/Registrant\/[^/]+\/show/);
    await page.getByTestId("registrant-details").getByText("Joseph Mwangi").first().waitFor();
    await page.getByTestId("registrant-details").getByText("IND-S-003").waitFor();
    await screenshot(page, "import-09-imported-person");
  });

  it("attaches a document to him and lists it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pbms-document-"));
    const photo = join(dir, "joseph-id-card.png");
    // A 1×1 transparent PNG.
    await writeFile(
      photo,
      Buffer.from(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
        "base64",
      ),
    );
    await page.getByRole("tab", { name: "Documents" }).click();
    const documents = page.getByTestId("registrant-documents");
    await documents.waitFor();
    await page.getByLabel("Document file").setInputFiles(photo);
    await documents.locator("tbody tr").filter({ hasText: "ID card" }).first().waitFor({ timeout: 30_000 });
    await documents.getByRole("button", { name: "Download" }).first().waitFor();
    await screenshot(page, "import-10-documents");
  });

  it("exports the registry list as a background job", async () => {
    await page.getByRole("link", { name: "Registrants" }).click();
    await page.waitForURL(/#\/Registrant(\?|$)/);
    await page.getByRole("button", { name: "Export" }).click();
    await page.waitForURL(/#\/Job\/[^/]+\/show/, { timeout: 30_000 });
    await page.getByText("Succeeded").first().waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Download" }).waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, "import-11-export-job");
  });
});

describe("duplicates", () => {
  it("registers a near-duplicate of the seeded Amina Wanjiru", async () => {
    // The seeded Amina Wanjiru, by her national ID (the registry test registers another one).
    const filter = encodeURIComponent(JSON.stringify({ identifier: SEEDED_AMINA_ID }));
    await page.goto(`${ADMIN_URL}/#/Registrant?filter=${filter}`);
    const row = page.locator("tbody tr").filter({ hasText: "Amina Wanjiru" });
    await row.first().waitFor({ timeout: 30_000 });
    expect(await page.locator("tbody tr").count()).toBe(1);
    await row.first().click();
    await page.waitForURL(/#\/Registrant\/[^/]+\/show/);
    seededAminaId = /#\/Registrant\/([^/]+)\/show/.exec(page.url())?.[1] ?? "";
    expect(seededAminaId).not.toBe("");
    await page.getByTestId("registrant-details").getByText("Amina Wanjiru").first().waitFor();
    await screenshot(page, "dedup-01-seeded-amina");
    // Her birth date as the form holds it (YYYY-MM-DD), from the edit page.
    await page.getByRole("link", { name: "Edit" }).click();
    const birth = page.getByLabel("Birth date", { exact: true });
    await expect.poll(async () => birth.inputValue(), { timeout: 30_000 }).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const birthDate = await birth.inputValue();

    await page.goto(`${ADMIN_URL}/#/Registrant/create`);
    await page.getByLabel("Given name").fill("Amina");
    await page.getByLabel("Family name").fill("Wanjru");
    await page.getByLabel("Birth date", { exact: true }).fill(birthDate);
    await page.getByRole("combobox", { name: "Sex" }).click();
    await page.getByRole("option", { name: "Female" }).click();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/#\/Registrant\/[^/]+\/show/, { timeout: 30_000 });
    duplicateId = /#\/Registrant\/([^/]+)\/show/.exec(page.url())?.[1] ?? "";
    expect(duplicateId).not.toBe("");
    expect(duplicateId).not.toBe(seededAminaId);
    await page.getByTestId("registrant-details").getByText("Amina Wanjru").first().waitFor();
    await screenshot(page, "dedup-02-near-duplicate");
  });

  it("finds duplicates in a background job", async () => {
    await page.getByRole("link", { name: "Duplicates" }).click();
    await page.waitForURL(/#\/DuplicateSet/);
    await page.getByRole("button", { name: "Find duplicates" }).click();
    await page.waitForURL(/#\/Job\/[^/]+\/show/, { timeout: 30_000 });
    await page.getByText("Succeeded").first().waitFor({ timeout: 60_000 });
    await page.locator('[role="progressbar"][aria-valuenow="100"]').first().waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, "dedup-03-job");
  });

  it("reviews the set side by side and merges the duplicate into the original", async () => {
    await page.getByRole("link", { name: "Duplicates" }).click();
    await page.waitForURL(/#\/DuplicateSet/);
    await page.locator("tbody tr").first().waitFor({ timeout: 30_000 });
    await screenshot(page, "dedup-04-open-sets");
    // The open set of the new registrant (whatever the page of the list).
    const filter = encodeURIComponent(JSON.stringify({ status: "OPEN", registrantId: duplicateId }));
    await page.goto(`${ADMIN_URL}/#/DuplicateSet?filter=${filter}`);
    const row = page
      .locator("tbody tr")
      .filter({ hasText: "Amina Wanjru" })
      .filter({ hasText: "Amina Wanjiru" });
    await row.first().waitFor({ timeout: 30_000 });
    await row.first().click();
    await page.waitForURL(/#\/DuplicateSet\/[^/]+\/show/);
    const members = page.getByTestId("duplicate-member");
    await expect.poll(async () => members.count(), { timeout: 30_000 }).toBe(2);
    const original = members.filter({ has: page.getByRole("link", { name: "Amina Wanjiru", exact: true }) });
    await original.waitFor();
    await screenshot(page, "dedup-05-review");
    await original.getByRole("button", { name: "Merge into this one" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    await page.getByTestId("duplicate-set-status").filter({ hasText: "Merged" }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Revert merge" }).waitFor();
    await screenshot(page, "dedup-06-merged");
  });

  it("shows the duplicate inactive, with the reason", async () => {
    await page.goto(`${ADMIN_URL}/#/Registrant/${duplicateId}/show`);
    const details = page.getByTestId("registrant-details");
    await details.getByText("Inactive").first().waitFor({ timeout: 30_000 });
    await details.getByText(/Merged into Amina Wanjiru/).waitFor();
    await screenshot(page, "dedup-07-duplicate-inactive");
  });
});
