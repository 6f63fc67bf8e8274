// Grid carbon in a real browser, on the demo seed's synthetic intensity (no network): the dashboard
// widget shows the current figure in its band's colour, and the carbon page draws the 48 h forecast.
// Needs the app at BASE_URL (scripts/browser-tests.mjs starts one) with the demo data seeded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, signedInPage } from "./support.mjs";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";

let browser;
let page;

before(async () => {
  browser = await launchChromium();
  page = await signedInPage(browser, BASE, {
    email: "manager@eclectyc.energy",
    timeout: 15_000,
    timezoneId: null,
  });
});

after(async () => {
  await browser?.close();
});

/** "#1a7f37" → "rgb(26, 127, 55)", as the browser reports a computed colour. */
const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

test("the dashboard widget shows the current intensity in its band's colour, with a refresh for managers", async () => {
  const res = await page.request.get(`${BASE}/api/carbon-intensity`);
  assert.equal(res.status(), 200);
  const current = await res.json();
  const widget = page.getByTestId("carbon-widget");
  const band = widget.getByTestId("carbon-band");
  await band.waitFor();
  assert.equal(
    await band.innerText(),
    current.intensity.index.replace(/^./, (c) => c.toUpperCase()),
  );
  // The band colours of src/carbon/domain.ts (INDEX_COLOURS), green to dark red.
  const colours = {
    "very low": "#1a7f37",
    low: "#57ab5a",
    moderate: "#d4a72c",
    high: "#e16f24",
    "very high": "#b62324",
  };
  assert.equal(current.colour, colours[current.intensity.index]);
  assert.equal(
    await band.evaluate((el) => el.ownerDocument.defaultView.getComputedStyle(el).backgroundColor),
    rgb(current.colour),
  );
  const value = Math.round(current.intensity.actual ?? current.intensity.forecast);
  assert.equal(await widget.getByTestId("carbon-value").innerText(), `${value} gCO₂/kWh`);
  assert.match(await widget.innerText(), /demo figures until the first poll/);
  assert.equal(await widget.getByRole("button", { name: "Refresh" }).count(), 1);
});

test("the carbon page draws the 48 h forecast with its bands, and the other panels", async () => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Carbon" }).click();
  await page.getByRole("heading", { name: "Carbon", level: 1 }).waitFor();
  const forecast = page.getByRole("img", { name: "Carbon intensity forecast, gCO₂/kWh, by band" });
  await forecast.locator("canvas").waitFor();
  // The bands present in the forecast are the chart's legend, each in its colour.
  const current = await (await page.request.get(`${BASE}/api/carbon-intensity`)).json();
  assert.ok(current.forecast.length >= 90, `forecast of ${current.forecast.length} half-hours`);
  await page.getByTestId("carbon-best-times").locator("li").first().waitFor();
  assert.equal(await page.getByTestId("carbon-best-times").locator("li").count(), 3);
  await page
    .getByRole("img", { name: "Mean carbon intensity by half-hour of the day, gCO₂/kWh" })
    .locator("canvas")
    .waitFor();
  await page
    .getByRole("img", { name: "Generation mix, % of generation by fuel" })
    .locator("canvas")
    .waitFor();
  await page.getByTestId("emissions-table").waitFor();
  assert.match(await page.getByTestId("emissions-table").innerText(), /Head Office/);
});

/** The panel's chart of `kind` ("daily", "half-hourly") kWh is drawn, its legend naming both series with units. */
async function seesOverlay(panel, kind) {
  await panel
    .getByRole("img", { name: `This meter: ${kind} kWh with grid intensity, gCO₂/kWh` })
    .locator("canvas")
    .waitFor();
  assert.deepEqual(await panel.locator(".chart-legend li").allInnerTexts(), [
    "Consumption, kWh",
    "Grid intensity, gCO₂/kWh",
  ]);
}

test("a meter page charts its kWh with the grid intensity overlaid, per day and per half-hour", async () => {
  // Seeded demo meter "Main incomer" (electricity, readings for the last 28 days, demo intensity over them).
  await page.goto(`${BASE}/meters/1200000000011`);
  await page.getByRole("heading", { name: "Main incomer", level: 1 }).waitFor();
  const panel = page.getByTestId("meter-emissions");
  // 30 days (the page's default range, which the panel follows) are charted per day, kWh bars on the left axis, intensity line on the right.
  await seesOverlay(panel, "daily");
  // The emissions figures stay beside the chart, both of them.
  const facts = await panel.innerText();
  assert.match(facts, /Location-based/);
  assert.match(facts, /Fixed-factor/);
  // 7 days or fewer: per half-hour, as the panel asks for them; the demo intensity meets them, so the line has points.
  const asked = page.waitForResponse(
    (r) => r.url().includes("/emissions?") && r.url().includes("granularity=hh"),
  );
  // The page has one range control; the panel follows it.
  assert.equal(await panel.getByRole("group", { name: "Date range" }).count(), 0);
  await page.getByRole("group", { name: "Date range" }).getByRole("button", { name: "7 d" }).click();
  const hh = await (await asked).json();
  assert.ok(hh.data.length > 0, "half-hours in the last 7 days");
  assert.ok(
    hh.data.some((d) => d.kwh > d.unmatchedKwh && d.gco2 > 0),
    "a half-hour met an intensity",
  );
  await seesOverlay(panel, "half-hourly");
});
