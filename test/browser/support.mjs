// What every browser test file starts with: Debian's Chromium, headless, offline, driven by playwright-core.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A page signed in as the demo admin, on the dashboard (1280 × 900, UTC). */
export async function signedInPage(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${base}/`);
  await page.getByLabel("Email").fill("admin@eclectyc.energy");
  await page.getByLabel("Password").fill("admin123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  return page;
}
