import { mkdir } from "node:fs/promises";
import { chromium, type Browser, type Page } from "playwright-core";

export const ADMIN_URL = process.env.PBMS_E2E_ADMIN_URL ?? "http://localhost:5173";
export const ARTIFACTS = new URL("../../../test-results/e2e/", import.meta.url).pathname;

/** Debian's Chromium, headless, with the flags that work as root on CI machines. */
export async function launch(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Signs in through the identity provider's real login page and waits to be back in the app. */
export async function signIn(page: Page, username: string, password = "demo"): Promise<void> {
  await page.goto(ADMIN_URL);
  await page.waitForSelector("#kc-login", { timeout: 30_000 });
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("#kc-login");
  await page.waitForURL((url) => url.href.startsWith(ADMIN_URL), { timeout: 30_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/**
 * Appends the Luhn check digit to `digits`, as the demo seed does for its
 * national IDs (the demo NATIONAL_ID type checks it).
 */
export function withLuhnDigit(digits: string): string {
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
