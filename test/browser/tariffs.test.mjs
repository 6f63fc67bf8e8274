// Tariffs in a real browser: an admin builds a tariff from the Octopus Go template (the band bar shows
// its bands, including the clock-change days), runs the quick 90-day analysis from a meter page, and
// sees the ranked table with the new tariff in it. Needs the app at BASE_URL with the demo data seeded
// (scripts/seed.mjs: the "Main incomer" meter is on Business Fixed 2026).
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

test("builds a tariff from a template, runs a quick analysis and sees the ranked table", async () => {
  await page.goto(`${BASE}/tariffs`);
  await page.getByRole("button", { name: "New tariff" }).click();
  const form = page.getByTestId("tariff-form");
  await form.getByLabel("Start from a template").selectOption({ label: "Octopus Go" });
  await form.getByTestId("tariff-name").fill("Browser Go");
  // The band bar draws the template's bands on a weekday, a weekend day and both clock-change days.
  const bar = form.getByTestId("band-bar");
  await bar.getByText("Go", { exact: true }).first().waitFor();
  assert.equal(await bar.locator(".band-bar-row").count(), 4);
  assert.match(await bar.locator(".band-bar-row").nth(2).innerText(), /46 half-hours/);
  await form.getByRole("button", { name: "Create tariff" }).click();
  await page.getByTestId("tariff-detail").getByRole("heading", { name: "Browser Go" }).waitFor();

  await page.goto(`${BASE}/meters/${MPAN}`);
  await page.getByTestId("quick-analysis").click();
  const result = page.getByTestId("analysis-result");
  await result.waitFor();
  const table = result.getByTestId("ranked-table");
  await table.getByRole("cell", { name: "Browser Go" }).waitFor();
  const rows = await table.locator("tbody tr").allInnerTexts();
  // Every active electricity tariff but the meter's current one, ranked cheapest first; never the gas one.
  assert.ok(rows.length >= 4, rows.join("\n"));
  assert.ok(!rows.some((r) => r.includes("Gas Fixed")), rows.join("\n"));
  assert.match(rows[0], /^1\t/);
  // Money in pounds, with the exact pence in the tooltip.
  const bill = table.locator("tbody tr").first().locator(".money").first();
  assert.match(await bill.innerText(), /^£[\d,]+\.\d\d$/);
  assert.match(await bill.getAttribute("title"), /^[\d,]+\.\d\d p$/);
  // The analysis was stored: it is in the history.
  await page.getByRole("heading", { name: "Past analyses" }).waitFor();
  assert.ok((await page.locator("text=Meter " + MPAN).count()) >= 1);
});

test("the site page shows its meters' costs stacked by part, with pence on hover and a row per meter", async () => {
  // Demo site 1 holds "Main incomer" and "Data centre" (electricity) and a gas meter, all with tariffs.
  await page.goto(`${BASE}/sites/1`);
  const costs = page.getByTestId("site-costs");
  const electricity = costs.getByTestId("site-costs-electricity");
  await electricity.locator("canvas").first().waitFor();
  const total = electricity.locator("h3 .money");
  assert.match(await total.innerText(), /^£[\d,]+\.\d\d$/);
  assert.match(await total.getAttribute("title"), /^[\d,]+\.\d\d p$/);
  const rows = await costs.locator("tbody tr").allInnerTexts();
  assert.deepEqual(
    rows.map((r) => r.split("\t").slice(0, 2).join(" ")),
    ["1200000000011 Electricity", "1200000000020 Electricity", "3212345678 Gas"],
  );
  // The tooltip names each part in pence.
  const over = electricity.locator(".u-over");
  await over.scrollIntoViewIfNeeded();
  const box = await over.boundingBox();
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
  const tip = electricity.getByTestId("chart-tooltip");
  await tip.waitFor();
  assert.match(
    await tip.innerText(),
    // Units per band ("Units: Night: …") when a meter's tariff has several; "Units: …" for one.
    /Units(: [^:\n]+)?: [\d,]+\.\d\d p[\s\S]*Standing charge: [\d,]+\.\d\d p[\s\S]*CCL: [\s\S]*VAT: /,
  );
});
