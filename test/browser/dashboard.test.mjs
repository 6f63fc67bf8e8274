// The dashboard and the pages around it in a real browser: consumption by fuel from every meter in
// scope (electricity and gas never added together), health checks that tell jobs not built yet from
// working ones and stay hidden from viewers, placeholder pages that say plainly a feature is coming,
// and a wide table that scrolls inside its frame on a phone instead of widening the page.
// Needs the app at BASE_URL (scripts/browser-tests.mjs starts one) with the demo data seeded.
import assert from "node:assert/strict";
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

test("the dashboard totals electricity and gas apart, over every meter the user can see", async () => {
  await signIn("admin@eclectyc.energy");
  // The expected totals, added up the same way from the API: every meter, its last 30 days.
  const to = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  const from = addDays(to, -29);
  const meters = (await api("/api/meters?pageSize=1000")).data;
  const totals = { electricity: 0, gas: 0 };
  const counts = { electricity: 0, gas: 0 };
  for (const m of meters) {
    counts[m.fuel]++;
    const days = (await api(`/api/meters/${m.mpan}/readings?from=${from}&to=${to}&granularity=day`)).data;
    for (const d of days) totals[m.fuel] += d.kwh;
  }
  // The demo estate: five electricity meters and one gas meter, all with readings.
  assert.deepEqual(counts, { electricity: 5, gas: 1 });

  const electricity = page.getByTestId("total-electricity");
  await electricity.waitFor();
  assert.equal(
    await electricity.innerText(),
    `Electricity\n${kwh(totals.electricity)}\n5 of 5 meters with readings`,
  );
  assert.equal(
    await page.getByTestId("total-gas").innerText(),
    `Gas\n${kwh(totals.gas)}\n1 of 1 meter with readings`,
  );
  await page.getByRole("img", { name: "Daily consumption by fuel, kWh" }).locator("canvas").waitFor();
  assert.equal(await page.getByTestId("stat-meters").locator(".stat-value").innerText(), "6");
});

test("health checks show jobs not built yet as not configured, and only to administrators", async () => {
  await signIn("admin@eclectyc.energy");
  const checks = page.getByTestId("health-checks");
  const carbon = checks.locator("li", { hasText: "cron.carbon" });
  await carbon.waitFor();
  assert.deepEqual(await carbon.locator("span").allTextContents(), [
    "not configured",
    "cron.carbon",
    "carbon-intensity polling: not built yet",
  ]);
  // Carbon and data quality; aggregation is built (src/analytics).
  assert.equal(await checks.locator("li", { hasText: "not configured" }).count(), 2);
  assert.equal(await page.getByTestId("stat-health").getByText("healthy", { exact: true }).count(), 1);

  await signIn("viewer@eclectyc.energy");
  await page.getByTestId("total-electricity").waitFor();
  assert.equal(await page.getByTestId("health-checks").count(), 0);
  assert.equal(await page.getByRole("heading", { name: "Health checks" }).count(), 0);
});

test("reports and carbon say plainly that they are coming, and ask nothing of the user", async () => {
  await signIn("manager@eclectyc.energy");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Reports", "Carbon"]) {
    await nav.getByRole("link", { name }).click();
    await page.getByRole("heading", { name: `${name}: coming soon` }).waitFor();
    const empty = page.getByTestId("empty-state");
    assert.doesNotMatch(await empty.innerText(), /import readings first|need imported readings/i);
    assert.equal(await empty.getByRole("link").count(), 0);
    assert.equal(await empty.getByRole("button").count(), 0);
  }
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
