// The meter page's charts in a real browser: hovering shows a day's value, dragging zooms in and a
// double-click zooms out (on the same uPlot instance), clicking a day opens its half-hours, and the
// demo's clock-change days show 50 and 46 half-hours with the missing ones as gaps and the last one
// (23:30–24:00) drawn. Also: the sign-in page does not download uPlot.
// Needs the app at BASE_URL (scripts/browser-tests.mjs starts one) with the demo data seeded; the
// expected values come from the API itself, formatted the way the page formats kWh.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium } from "./support.mjs";
import { DEMO_GAP_PERIODS, lastClockChanges } from "../../scripts/seed.mjs";
import { addDays, daysBetween, londonLocalToUtc, settlementDayStartUtc } from "../../src/time/settlement.ts";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";
// Seeded demo meter "Main incomer" with readings for the last 28 days and the last clock-change days.
const MPAN = "1200000000011";
// uPlot's own class name for the cursor line: in uPlot's code and in no other script of the app.
const UPLOT_MARK = "u-cursor-x";

let browser;
let page;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

async function freshPage() {
  await page?.context().close();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}

async function signIn() {
  await page.goto(`${BASE}/`);
  await page.getByLabel("Email").fill("admin@eclectyc.energy");
  await page.getByLabel("Password").fill("admin123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
}

/** The page's kWh format: two decimals under 10, one under 1,000, none above. */
function kwh(v) {
  const digits = Math.abs(v) < 10 ? 2 : Math.abs(v) < 1000 ? 1 : 0;
  return `${new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits }).format(v)} kWh`;
}

/** "Sun 25 Oct 2026", as the tooltip heads a day. */
function dayLabel(date) {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  })
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .filter((p) => p.type !== "literal")
    .map((p) => p.value)
    .join(" ");
}

async function readings(from, to, granularity) {
  const res = await page.request.get(
    `${BASE}/api/meters/${MPAN}/readings?from=${from}&to=${to}&granularity=${granularity}`,
  );
  assert.equal(res.status(), 200);
  return (await res.json()).data;
}

/** The plot area of the chart named `name`, and the x of slot i's middle when `slots` fill it. */
async function plot(name) {
  const chart = page.getByRole("img", { name });
  const over = chart.locator(".u-over");
  await over.waitFor();
  await over.scrollIntoViewIfNeeded();
  // The page may still be scrolling (smoothly, to a day's profile): measure once it has settled.
  let box = await over.boundingBox();
  for (let last = null; JSON.stringify(box) !== JSON.stringify(last);) {
    last = box;
    await page.waitForTimeout(150);
    box = await over.boundingBox();
  }
  return {
    chart,
    over,
    box,
    tooltip: chart.getByTestId("chart-tooltip"),
    /** The x of a point `at` (0–1, middle by default) across slot i of `slots` filling the plot. */
    slotX: (i, slots, at = 0.5) => box.x + (box.width * (i + at)) / slots,
    midY: box.y + box.height / 2,
  };
}

async function openMeter() {
  await page.goto(`${BASE}/meters/${MPAN}`);
  await page.getByRole("heading", { name: "Main incomer", level: 1 }).waitFor();
}

/** The 30-day range the meter page opens on, as the page computes it (London's today). */
function defaultRange() {
  const to = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  return { from: addDays(to, -29), to };
}

test("the sign-in page does not download uPlot; the first chart does", async () => {
  await freshPage();
  const scripts = [];
  page.on("response", async (res) => {
    if (res.request().resourceType() !== "script") return;
    scripts.push({ url: res.url(), body: await res.text().catch(() => "") });
  });
  await page.goto(`${BASE}/`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.waitForLoadState("networkidle");
  assert.ok(scripts.length > 0, "the sign-in page loads the app's script");
  for (const s of scripts) {
    assert.ok(!/uplot/i.test(s.url), `sign-in requested ${s.url}`);
    assert.ok(!s.body.includes(UPLOT_MARK), `sign-in loaded uPlot's code in ${s.url}`);
  }
  const before = scripts.length;

  await page.getByLabel("Email").fill("admin@eclectyc.energy");
  await page.getByLabel("Password").fill("admin123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await openMeter();
  await (await plot(/^Daily kWh, /)).over.waitFor();
  const chunks = scripts.slice(before).filter((s) => s.body.includes(UPLOT_MARK));
  assert.equal(chunks.length, 1, "uPlot arrives in one chunk of its own with the first chart");
});

test("hovering a day of the meter's chart shows the day, its kWh, the previous span's and the baseload, with units", async () => {
  await freshPage();
  await signIn();
  await openMeter();
  const { from, to } = defaultRange();
  const slots = daysBetween(from, to) + 1;
  const days = await readings(from, to, "day");
  // A day with readings in the middle of the range, and the day as far into the previous span.
  const day = days[Math.floor(days.length / 2)];
  const i = daysBetween(from, day.date);
  // The previous span as the API defines it (the 30 days before, or the month before when the range is one).
  const res = await page.request.get(`${BASE}/api/meters/${MPAN}/summary?from=${from}&to=${to}`);
  const previous = (await res.json()).previous;
  const before = (await readings(previous.from, previous.to, "day")).find(
    (d) => d.date === addDays(previous.from, i),
  );

  const p = await plot(`Daily kWh, ${from} to ${to}`);
  await page.mouse.move(p.slotX(i, slots), p.midY);
  await p.tooltip.waitFor();
  assert.equal(
    await p.tooltip.innerText(),
    [
      dayLabel(day.date),
      `This span: ${kwh(day.kwh)}`,
      `Previous span: ${before ? kwh(before.kwh) : "no reading"}`,
      `Baseload: ${kwh(day.baseloadKw).replace(" kWh", " kW")}`,
    ].join("\n"),
  );
});

test("dragging across days zooms in, a double-click zooms out, on the same uPlot instance", async () => {
  await freshPage();
  await signIn();
  await openMeter();
  const { from, to } = defaultRange();
  const slots = daysBetween(from, to) + 1;
  const p = await plot(`Daily kWh, ${from} to ${to}`);
  const canvas = await p.chart.locator("canvas").elementHandle();
  const dayInput = page.getByLabel("Day", { exact: true });
  const shownDay = await dayInput.inputValue();
  const reset = page.getByRole("button", { name: "Reset zoom" });
  assert.equal(await reset.count(), 0);

  // Drag from a quarter into day 5 to three quarters into day 14: those become the chart's edges.
  await page.mouse.move(p.slotX(5, slots, 0.25), p.midY);
  await page.mouse.down();
  await page.mouse.move(p.slotX(10, slots), p.midY, { steps: 5 });
  await page.mouse.move(p.slotX(14, slots, 0.75), p.midY, { steps: 5 });
  // uPlot takes the drag's end from the last mouse move it has handled (once per frame).
  await page.waitForTimeout(100);
  await page.mouse.up();
  await reset.waitFor();
  // The left edge is now day 5, the right edge day 14.
  await page.mouse.move(p.box.x + 2, p.midY);
  await p.tooltip.getByText(dayLabel(addDays(from, 5)), { exact: true }).waitFor();
  await page.mouse.move(p.box.x + p.box.width - 2, p.midY);
  await p.tooltip.getByText(dayLabel(addDays(from, 14)), { exact: true }).waitFor();

  await page.mouse.dblclick(p.slotX(10, slots), p.midY);
  await reset.waitFor({ state: "detached" });
  await page.mouse.move(p.box.x + 2, p.midY);
  await p.tooltip.getByText(dayLabel(from), { exact: true }).waitFor();
  // The double-click did not also drill into a day (a click waits 250 ms for a second one).
  await page.waitForTimeout(500);
  assert.equal(await dayInput.inputValue(), shownDay);
  // Neither zooming rebuilt the chart.
  assert.equal(await canvas.evaluate((c) => c.isConnected), true);

  // A new range is new data for the same instance.
  await page.getByRole("button", { name: "7 d", exact: true }).click();
  await page.getByRole("img", { name: `Daily kWh, ${addDays(to, -6)} to ${to}` }).waitFor();
  assert.equal(await canvas.evaluate((c) => c.isConnected), true);
});

test("clicking a day's bar opens that day's half-hours", async () => {
  await freshPage();
  await signIn();
  await openMeter();
  const { from, to } = defaultRange();
  const slots = daysBetween(from, to) + 1;
  const days = await readings(from, to, "day");
  const day = days[3].date;
  const halfHours = await readings(day, day, "hh");
  const total = halfHours.reduce((a, r) => a + r.kwh, 0);
  const peak = halfHours.reduce((a, r) => (a && a.kwh >= r.kwh ? a : r), null);
  const peakAt = new Date(peak.start).toLocaleTimeString("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/London",
  });

  const p = await plot(`Daily kWh, ${from} to ${to}`);
  await page.mouse.click(p.slotX(daysBetween(from, day), slots), p.midY);
  await page.getByRole("img", { name: `Half-hourly kWh on ${day}` }).waitFor();
  assert.equal(await page.getByLabel("Day", { exact: true }).inputValue(), day);
  assert.equal(halfHours.length, 48);
  await page
    .getByText(`${kwh(total)} over 48 half-hours; peak ${kwh(peak.kwh)} at ${peakAt}`, { exact: true })
    .waitFor();
});

test("a clock-change day shows its 50 or 46 half-hours, gaps where readings are missing, and 23:30–24:00", async () => {
  await freshPage();
  await signIn();
  await openMeter();
  const { spring, autumn } = lastClockChanges(new Date().toISOString().slice(0, 10));

  // A custom range around the autumn change; its bar drills into the day.
  await page.getByRole("button", { name: "Custom", exact: true }).click();
  await page.getByLabel("From", { exact: true }).fill(addDays(autumn, -5));
  await page.getByLabel("To", { exact: true }).fill(addDays(autumn, 5));
  const days = await plot(`Daily kWh, ${addDays(autumn, -5)} to ${addDays(autumn, 5)}`);
  await page.mouse.click(days.slotX(5, 11), days.midY);
  const autumnChart = await plot(`Half-hourly kWh on ${autumn}`);
  const present = await readings(autumn, autumn, "hh");
  assert.equal(present.length, 50 - DEMO_GAP_PERIODS.length);
  const total = present.reduce((a, r) => a + r.kwh, 0);
  await page.getByText(new RegExp(`^${kwh(total)} over 48 of 50 half-hours; peak `)).waitFor();
  await page.getByText("The clocks went back on this day, so it has 50 half-hours.").waitFor();

  // 50 slots across the plot: the last is drawn and labelled to 24:00; the missing ones are gaps.
  await page.mouse.move(autumnChart.slotX(49, 50), autumnChart.midY);
  await autumnChart.tooltip.getByText("23:30–24:00 GMT", { exact: true }).waitFor();
  const last = present.at(-1);
  assert.equal(last.period, 50);
  assert.equal(await autumnChart.tooltip.innerText(), `23:30–24:00 GMT\n${kwh(last.kwh)}`);
  const gap = DEMO_GAP_PERIODS[0];
  await page.mouse.move(autumnChart.slotX(gap - 1, 50), autumnChart.midY);
  await autumnChart.tooltip.getByText("no reading", { exact: true }).waitFor();
  // 01:00–02:00 comes twice: BST, then GMT after the clocks go back.
  await page.mouse.move(autumnChart.slotX(2, 50), autumnChart.midY);
  await autumnChart.tooltip.getByText("01:00–01:30 BST", { exact: true }).waitFor();
  await page.mouse.move(autumnChart.slotX(4, 50), autumnChart.midY);
  await autumnChart.tooltip.getByText("01:00–01:30 GMT", { exact: true }).waitFor();

  // The spring change: 46 half-hours, 01:00–02:00 never happens, the last is 23:30–24:00 BST.
  await page.getByLabel("Day", { exact: true }).fill(spring);
  const springChart = await plot(`Half-hourly kWh on ${spring}`);
  await page.getByText(/ over 46 half-hours; peak /).waitFor();
  await page.mouse.move(springChart.slotX(45, 46), springChart.midY);
  await springChart.tooltip.getByText("23:30–24:00 BST", { exact: true }).waitFor();
  await page.mouse.move(springChart.slotX(2, 46), springChart.midY);
  await springChart.tooltip.getByText("02:00–02:30 BST", { exact: true }).waitFor();
});

/** The meter page's 12-month range: from the day after this date a year ago (as web/src/ui/date-range.ts). */
function yearRange() {
  const to = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  const y = Number(to.slice(0, 4)) - 1;
  const yearAgo = to.slice(5) === "02-29" ? `${y}-02-28` : `${y}${to.slice(4)}`;
  return { from: addDays(yearAgo, 1), to };
}

const clock = (ms) =>
  new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" });

/** A half-hour as the page heads it: "Sat 21 Nov 2026 13:00–13:30" (the last one ends at 24:00). */
const halfHourLabel = (r, last) =>
  `${dayLabel(r.date)} ${clock(Date.parse(r.start))}–${last ? "24:00" : clock(Date.parse(r.end))}`;

test("a year of half-hours zooms in to one day, and hovering shows a half-hour's kWh", async () => {
  await freshPage();
  await signIn();
  await openMeter();
  await page.getByRole("button", { name: "12 months", exact: true }).click();
  const { from, to } = yearRange();
  const p = await plot(`Half-hourly kWh, ${from} to ${to}`);
  const canvas = await p.chart.locator("canvas").elementHandle();
  const reset = p.chart.locator("..").getByRole("button", { name: "Reset zoom" });
  // The whole year across the plot: x(t) for an instant t (ms).
  const [min, max] = [settlementDayStartUtc(from), settlementDayStartUtc(addDays(to, 1))];
  const yearX = (t) => p.box.x + ((t - min) / (max - min)) * p.box.width;
  const day = addDays(to, -10);
  const dayStart = settlementDayStartUtc(day);
  const drag = async (x1, x2) => {
    await page.mouse.move(x1, p.midY);
    await page.mouse.down();
    await page.mouse.move((x1 + x2) / 2, p.midY, { steps: 5 });
    await page.mouse.move(x2, p.midY, { steps: 5 });
    // uPlot takes the drag's end from the last mouse move it has handled (once per frame).
    await page.waitForTimeout(100);
    await page.mouse.up();
  };
  // The instant the tooltip names at x: the start of the half-hour it heads (days near `day` only).
  const labels = new Map(
    Array.from({ length: 15 }, (_, i) => addDays(day, i - 7)).map((d) => [dayLabel(d), d]),
  );
  const instantAt = async (x) => {
    await page.mouse.move(x, p.midY);
    const heading = await p.tooltip.locator("strong").innerText();
    const [, label, hh, mm] = heading.match(/^(.+) (\d\d):(\d\d)–/);
    return londonLocalToUtc(labels.get(label), Number(hh) * 60 + Number(mm));
  };

  // A week around the day, then from a quarter to three quarters into it by the week's own scale.
  await drag(yearX(dayStart - 3 * 86_400_000), yearX(dayStart + 4 * 86_400_000));
  await reset.waitFor();
  const [left, right] = [p.box.x + 1, p.box.x + p.box.width - 1];
  const [tLeft, tRight] = [await instantAt(left), await instantAt(right)];
  const weekX = (t) => left + ((t - tLeft) / (tRight - tLeft)) * (right - left);
  await drag(weekX(dayStart + 6 * 3_600_000), weekX(dayStart + 18 * 3_600_000));
  await page.waitForTimeout(200);
  // Both edges are now in that one day; the same uPlot instance drew it.
  for (const x of [left, right]) {
    await page.mouse.move(x, p.midY);
    assert.ok((await p.tooltip.locator("strong").innerText()).startsWith(`${dayLabel(day)} `));
  }
  assert.equal(await canvas.evaluate((c) => c.isConnected), true);

  // The half-hour under the middle of the plot shows its reading and unit.
  const halfHours = await readings(day, day, "hh");
  await page.mouse.move(p.box.x + p.box.width / 2, p.midY);
  const heading = await p.tooltip.locator("strong").innerText();
  const i = halfHours.findIndex((r, k) => halfHourLabel(r, k === halfHours.length - 1) === heading);
  assert.ok(i >= 0, `a reading is headed ${heading}`);
  assert.equal(await p.tooltip.innerText(), `${heading}\n${kwh(halfHours[i].kwh)}`);
});

test("the heatmap has a row per day and a cell per half-hour: the autumn clock change has 50, with its gaps", async () => {
  await freshPage();
  await signIn();
  await openMeter();
  await page.getByRole("button", { name: "12 months", exact: true }).click();
  const { from, to } = yearRange();
  const { autumn } = lastClockChanges(new Date().toISOString().slice(0, 10));
  const heatmap = page.getByRole("img", { name: `Heatmap of half-hourly kWh, ${from} to ${to}` });
  await heatmap.scrollIntoViewIfNeeded();
  const box = await heatmap.boundingBox();
  // Layout (web/src/ui/heatmap.tsx): a 56 px gutter of dates, then the day's cells across the rest; a
  // year of rows is 2 px each.
  const rows = daysBetween(from, to) + 1;
  assert.equal(Math.round(box.height), rows * 2 + 18);
  const cell = (date, period, n) => ({
    x: box.x + 56 + ((period - 0.5) / n) * (box.width - 56),
    y: box.y + daysBetween(from, date) * 2 + 1,
  });
  const tooltip = page.getByTestId("heatmap-tooltip");
  const present = await readings(autumn, autumn, "hh");
  const last = present.at(-1);
  assert.equal(last.period, 50);

  let at = cell(autumn, 50, 50);
  await page.mouse.move(at.x, at.y);
  assert.equal(await tooltip.innerText(), `${dayLabel(autumn)} 23:30–24:00 GMT\n${kwh(last.kwh)}`);
  at = cell(autumn, DEMO_GAP_PERIODS[0], 50);
  await page.mouse.move(at.x, at.y);
  assert.match(await tooltip.innerText(), /\nno reading$/);
  // 01:00–01:30 comes twice that day: BST (period 3), then GMT (period 5).
  at = cell(autumn, 3, 50);
  await page.mouse.move(at.x, at.y);
  assert.match(await tooltip.innerText(), new RegExp(`^${dayLabel(autumn)} 01:00–01:30 BST\n`));
  at = cell(autumn, 5, 50);
  await page.mouse.move(at.x, at.y);
  assert.match(await tooltip.innerText(), new RegExp(`^${dayLabel(autumn)} 01:00–01:30 GMT\n`));
});
