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

/**
 * A page signed in as a demo user (the admin by default), on the dashboard: 1280 × 900, in `timezoneId`
 * (UTC by default; null keeps the machine's), waiting up to `timeout` ms for each step.
 */
export async function signedInPage(
  browser,
  base,
  { email = "admin@eclectyc.energy", timeout = 20_000, timezoneId = "UTC" } = {},
) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    ...(timezoneId ? { timezoneId } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(`${base}/`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("admin123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  return page;
}
