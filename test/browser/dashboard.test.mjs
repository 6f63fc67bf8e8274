// The dashboard and the pages around it in a real browser: the portfolio's consumption by fuel
// (electricity and gas never added together) with trend arrows, health checks that tell jobs not built yet from
// working ones and stay hidden from viewers, placeholder pages that say plainly a feature is coming,
// and a wide table that scrolls inside its frame on a phone instead of widening the page.
// Needs the app at BASE_URL (scripts/browser-tests.mjs starts one) with the demo data seeded.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { launchChromium } from "./support.mjs";
import { addDays } from "../../src/time/settlement.ts";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";

let browser;
let page;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

async function signIn(email, viewport = { width: 1280, height: 900 }) {
  await page?.context().close();
  page = await (await browser.newContext({ viewport })).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${BASE}/`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("admin123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
}

async function api(path) {
  const res = await page.request.get(`${BASE}${path}`);
  assert.equal(res.status(), 200, path);
  return res.json();
}

/** The page's kWh format: two decimals under 10, one under 1,000, none above. */
function kwh(v) {
  const digits = Math.abs(v) < 10 ? 2 : Math.abs(v) < 1000 ? 1 : 0;
  return `${new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits }).format(v)} kWh`;
}

/** The page's trend arrow: ▲ or ▼ with the change rounded to 0.1 %, "=" when that rounds to nothing. */
function arrow(pct) {
  if (pct === null) return "—";
  const shown = Math.round(pct * 10) / 10;
  const format = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1, signDisplay: "never" });
  return `${shown > 0 ? "▲" : shown < 0 ? "▼" : "="} ${format.format(shown)}%`;
}

test("the dashboard shows electricity and gas apart, each with arrows against the previous span and last year", async () => {
  await signIn("admin@eclectyc.energy");
  // The expected figures come from the portfolio API for the dashboard's default range (the last 30 days).
  const to = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  const from = addDays(to, -29);
  const portfolio = await api(`/api/portfolio/consumption?from=${from}&to=${to}&granularity=day`);
  // The demo estate: five electricity meters and one gas meter, all with readings.
  assert.deepEqual(Object.keys(portfolio.fuels).sort(), ["electricity", "gas"]);
  assert.equal(portfolio.meters.filter((m) => m.fuel === "electricity").length, 5);

  for (const fuel of ["electricity", "gas"]) {
    const f = portfolio.fuels[fuel];
    const card = page.getByTestId(`total-${fuel}`);
    await card.waitFor();
    assert.equal(await card.locator(".big-number").innerText(), kwh(f.kwh));
    const changes = card.getByTestId("change");
    assert.deepEqual(await changes.locator(".change-value").allInnerTexts(), [
      arrow(f.previous.changePct),
      arrow(f.lastYear.changePct),
    ]);
    assert.deepEqual(await changes.locator(".change-label").allInnerTexts(), [
      "vs previous span",
      "vs last year",
    ]);
    // A comparison with an incomplete span is greyed and says so.
    assert.deepEqual(await changes.evaluateAll((els) => els.map((e) => e.dataset.partial === "true")), [
      f.previous.partial,
      f.lastYear.partial,
    ]);
    await page
      .getByRole("img", { name: `Daily ${fuel} kWh, ${from} to ${to}` })
      .locator("canvas")
      .waitFor();
  }
  // Top sites in the API's order, each with its sparkline; the baseload trend; the latest imports.
  const top = page.getByTestId("top-sites");
  await top.getByRole("img", { name: `${portfolio.sites[0].name}: daily kWh` }).waitFor();
  assert.deepEqual(
    await top.locator("tbody tr td:first-child").allInnerTexts(),
    portfolio.sites.slice(0, 5).map((s) => s.name),
  );
  await page
    .getByRole("img", { name: `Baseload by fuel, kW, ${from} to ${to}` })
    .locator("canvas")
    .waitFor();
  await page.getByTestId("recent-imports").waitFor();
  assert.match(await page.getByTestId("updated-at").innerText(), /^Figures last updated \d/);
  assert.equal(await page.getByTestId("stat-meters").locator(".stat-value").innerText(), "6");
});

test("health checks list every scheduled job, none unconfigured now, and only to administrators", async () => {
  await signIn("admin@eclectyc.energy");
  const checks = page.getByTestId("health-checks");
  for (const job of ["aggregation", "carbon", "data-quality", "cleanup", "import-watchdog"]) {
    await checks.locator("li", { hasText: `cron.${job}` }).waitFor();
  }
  assert.equal(await checks.locator("li", { hasText: "not configured" }).count(), 0);
  assert.equal(await page.getByTestId("stat-health").getByText("healthy", { exact: true }).count(), 1);

  await signIn("viewer@eclectyc.energy");
  await page.getByTestId("total-electricity").waitFor();
  assert.equal(await page.getByTestId("health-checks").count(), 0);
  assert.equal(await page.getByRole("heading", { name: "Health checks" }).count(), 0);
});

test("on a phone a wide table scrolls inside its frame and the page does not scroll sideways", async () => {
  await signIn("admin@eclectyc.energy", { width: 375, height: 800 });
  await page.goto(`${BASE}/meters`);
  await page.getByTestId("meters-table").waitFor();
  const frame = await page.locator(".table-wrap").evaluate((el) => [el.clientWidth, el.scrollWidth]);
  const pageWidth = await page.locator("html").evaluate((el) => [el.clientWidth, el.scrollWidth]);
  const widths = { window: pageWidth[0], page: pageWidth[1], frame: frame[0], table: frame[1] };
  assert.ok(widths.table > widths.frame, `the table is wider than its frame: ${JSON.stringify(widths)}`);
  assert.equal(widths.page, widths.window, `the page does not scroll sideways: ${JSON.stringify(widths)}`);
});

/** Last calendar month in London, the report's default range. */
function lastMonth() {
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  const firstOfThis = `${today.slice(0, 8)}01`;
  const to = addDays(firstOfThis, -1);
  return { from: `${to.slice(0, 8)}01`, to };
}

test("the consumption report lists each site, sorts, and downloads the same rows as CSV", async () => {
  await signIn("manager@eclectyc.energy");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await page.getByRole("heading", { name: "Consumption report", level: 1 }).waitFor();
  const { from, to } = lastMonth();
  const report = await api(
    `/api/reports/consumption?from=${from}&to=${to}&fuel=electricity&normaliser=floorArea`,
  );
  // The demo's four sites each have an electricity meter; listed by name.
  assert.equal(report.rows.length, 4);
  const table = page.getByTestId("report-table");
  const siteNames = () => table.locator("tbody tr td:first-child").allInnerTexts();
  await table.waitFor();
  assert.deepEqual(
    await siteNames(),
    report.rows.map((r) => r.site),
  );
  await table.getByRole("button", { name: "kWh", exact: true }).click();
  assert.deepEqual(
    await siteNames(),
    [...report.rows].sort((a, b) => a.kwh - b.kwh).map((r) => r.site),
  );

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("report-csv").click(),
  ]);
  assert.equal(download.suggestedFilename(), `consumption-electricity-${from}-${to}.csv`);
  const csv = readFileSync(await download.path(), "utf8");
  // Plain names and numbers need no quoting; a change or normalised figure without a value is empty.
  const cell = (v) => (v === null ? "" : String(v));
  assert.equal(
    csv,
    [
      "site_id,site,kwh,previous_kwh,change_pct,kwh_per_m2,completeness",
      ...report.rows.map((r) =>
        [r.siteId, r.site, r.kwh, r.previousKwh, r.changePct, r.normalised, r.completeness]
          .map(cell)
          .join(","),
      ),
    ]
      .map((line) => `${line}\r\n`)
      .join(""),
  );

  // Another normaliser and fuel: the link follows them.
  await page.getByLabel("Fuel").selectOption("gas");
  await page.getByLabel("Normalise by").selectOption("staff");
  const [gas] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-csv").click()]);
  const lines = readFileSync(await gas.path(), "utf8").split("\r\n");
  assert.equal(lines[0], "site_id,site,kwh,previous_kwh,change_pct,kwh_per_staff,completeness");
  // Only Head Office has a gas meter.
  assert.match(lines[1], /^1,Head Office,/);
  assert.equal(lines.length, 3);
});

test("a site shows its fuels with the out-of-hours share, and an admin edits its normalisers and hours", async () => {
  await signIn("admin@eclectyc.energy");
  await page.goto(`${BASE}/sites/1`);
  await page.getByRole("heading", { name: "Head Office", level: 1 }).waitFor();
  const to = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  const from = addDays(to, -29);
  // Out of hours: the site's electricity meters' out-of-hours kWh over their kWh (from their summaries).
  const meters = (await api("/api/meters?siteId=1")).data.filter((m) => m.fuel === "electricity");
  let [ooh, total] = [0, 0];
  for (const m of meters) {
    const s = await api(`/api/meters/${m.mpan}/summary?from=${from}&to=${to}`);
    ooh += s.outOfHoursKwh;
    total += s.kwh;
  }
  const percent = new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 });
  await page
    .getByTestId("ooh-electricity")
    .locator(".stat-value")
    .getByText(percent.format(ooh / total))
    .waitFor();
  await page.getByTestId("total-gas").waitFor();
  // The demo gas was read as a volume: the card gives its m³ as the API sums them.
  const gas = (await api(`/api/sites/1/consumption?from=${from}&to=${to}`)).fuels.gas;
  await page
    .getByTestId("fuel-gas")
    .getByText(`${new Intl.NumberFormat("en-GB").format(Math.round(gas.m3))} m³`, { exact: true })
    .waitFor();

  await page.getByRole("button", { name: "Normalisers and hours" }).click();
  const form = page.getByTestId("site-figures-form");
  await form.getByLabel("Value").fill("400");
  await form.getByRole("group", { name: "Saturday and Sunday" }).getByLabel("Closed all day").uncheck();
  await form.getByRole("group", { name: "Saturday and Sunday" }).getByLabel("Opens").fill("09:00");
  await form.getByRole("group", { name: "Saturday and Sunday" }).getByLabel("Closes").fill("13:00");
  await form.getByRole("button", { name: "Save" }).click();
  await form.waitFor({ state: "detached" });
  await page.getByText("staff 400", { exact: true }).waitFor();
  await page.getByText("Mon–Fri 08:00–18:00; Sat–Sun 09:00–13:00", { exact: true }).waitFor();
  const site = await api(`/api/sites/1/consumption?from=${from}&to=${to}`);
  await page
    .getByTestId("fuel-electricity")
    .getByText(kwh(site.fuels.electricity.perNormaliser.staff), { exact: true })
    .waitFor();

  // Back as seeded, for the other tests.
  const res = await page.request.patch(`${BASE}/api/sites/1`, {
    data: { normalisers: [{ name: "staff", value: 350 }], workingHours: null },
  });
  assert.equal(res.status(), 200);
});
