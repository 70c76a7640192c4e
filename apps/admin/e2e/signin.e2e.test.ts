import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_URL, launch, screenshot, signIn } from "./browser.ts";

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
});

describe("signing in", () => {
  it("sends an unauthenticated visitor to the identity provider's login page", async () => {
    await page.goto(ADMIN_URL);
    await page.waitForSelector("#kc-login");
    expect(page.url()).toMatch(/\/realms\/pbms\//);
    await screenshot(page, "01-login-page");
  });

  it("refuses a wrong password on the login page", async () => {
    await page.fill("#username", "admin");
    await page.fill("#password", "wrong");
    await page.click("#kc-login");
    await page.getByText("Invalid username or password.").waitFor();
  });

  it("signs in as the admin and shows the dashboard with server counts", async () => {
    await signIn(page, "admin");
    const stats = page.getByTestId("dashboard-stats");
    await stats.waitFor({ timeout: 30_000 });
    await page.getByText("Demo Admin").first().waitFor();
    await screenshot(page, "02-dashboard");
  });

  it("shows the sign-in in the audit log", async () => {
    await page.getByRole("link", { name: /audit/i }).first().click();
    await page.waitForURL(/AuditEvent/);
    const row = page.getByText("user.signed_in").first();
    await row.waitFor({ timeout: 30_000 });
    await screenshot(page, "03-audit-log");
    await row.click();
    await page.getByText("UserProfile").first().waitFor();
    await screenshot(page, "04-audit-event");
  });

  it("exports the audit log as a background job with progress", async () => {
    await page.getByRole("link", { name: /jobs/i }).first().click();
    await page.waitForURL(/Job/);
    await page.getByRole("button", { name: /export audit log/i }).click();
    await page
      .getByText(/SUCCEEDED|Succeeded/)
      .first()
      .waitFor({ timeout: 60_000 });
    await page.locator('[role="progressbar"][aria-valuenow="100"]').first().waitFor();
    await page.getByRole("button", { name: /download/i }).waitFor();
    await page.waitForTimeout(500); // let the progress bar's transition finish for the screenshot
    await screenshot(page, "05-job");
  });
});

describe("signing out", () => {
  it("ends the session and returns to the login page", async () => {
    await page.locator("header button").filter({ hasText: "Demo Admin" }).click();
    await page.getByRole("menuitem", { name: /logout/i }).click();
    await page.waitForSelector("#kc-login", { timeout: 30_000 });
    // The identity provider's session is gone too: visiting the app asks to sign in again.
    await page.goto(ADMIN_URL);
    await page.waitForSelector("#kc-login", { timeout: 30_000 });
    await screenshot(page, "06-signed-out");
  });
});
