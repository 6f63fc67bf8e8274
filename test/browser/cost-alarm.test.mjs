// A cost alarm in a real browser: an admin picks "Cost (£, incl. VAT)", enters a threshold in pounds and
// the preview lists the days the demo "Main incomer" (on Business Fixed 2026, scripts/seed.mjs) cost more,
// in pounds. Needs the app at BASE_URL with the demo data seeded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, signedInPage } from "./support.mjs";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";
const MPAN = "1200000000011";

let browser;
let page;

before(async () => {
  browser = await launchChromium();
  page = await signedInPage(browser, BASE);
});

after(async () => {
  await browser?.close();
});

test("a cost alarm takes its threshold in pounds and previews the days over it in pounds", async () => {
  await page.goto(`${BASE}/alarms`);
  await page.getByRole("button", { name: "New alarm" }).click();
  await page.getByLabel("Meter (MPAN or MPRN)").fill(MPAN);
  await page.getByLabel("Metric").selectOption({ label: "Cost (£, incl. VAT)" });
  // £1 a day: every day with readings costs more (its standing charge alone is 52 p + VAT).
  await page.getByLabel("Threshold (£)").fill("1");
  const preview = page.getByTestId("alarm-preview");
  await preview.getByText(/It would have triggered on \d+ days?/).waitFor();
  const first = await preview.locator("li").first().innerText();
  assert.match(first, /: £[\d,]+\.\d\d \(threshold £1\.00\)$/);
});
