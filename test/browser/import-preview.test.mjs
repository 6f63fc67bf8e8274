// The import preview in a real browser (issue 11): an admin drops a file whose dates could be either
// day- or month-first, sees what the importer detected (day-first, assumed) with the first reading on
// 3 April, switches the "Date order" dropdown to month-first, sees the reading move to 4 March, imports,
// and finds the reading stored on 4 March and nothing on 3 April; then sees the quality checks done and
// runs the stored file again in Wh, which leaves 0.007 kWh on 4 March.
// Needs the app at BASE_URL (scripts/browser-tests.mjs starts one) with the demo users and meters seeded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium } from "./support.mjs";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";
// Seeded demo meter "Main incomer" (scripts/seed.mjs); its demo readings are recent, not 2024.
const MPAN = "1200000000011";
// 03/04/2024 is 3 April day-first, 4 March month-first: 7 kWh that day.
const CSV = `MPAN,Date,kWh\n${MPAN},03/04/2024,7\n`;

let browser;
let page;

before(async () => {
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
});

const fact = (scope, label) =>
  scope.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");

test("an admin drops a file, sees what was detected, changes the date order, imports and sees the readings", async () => {
  await page.goto(`${BASE}/`);
  await page.getByLabel("Email").fill("admin@eclectyc.energy");
  await page.getByLabel("Password").fill("admin123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }).click();
  await page.getByRole("heading", { name: "Imports", level: 1 }).waitFor();

  const form = page.getByTestId("import-form");
  const fileName = `preview-${Date.now()}.csv`;
  // Dropped on the drop zone, as a user drags a file from their desktop.
  const drop = await page.evaluateHandle(
    ({ csv, name }) => {
      // Runs in the page, where DataTransfer exists.
      const transfer = new globalThis.DataTransfer();
      transfer.items.add(new File([csv], name, { type: "text/csv" }));
      return transfer;
    },
    { csv: CSV, name: fileName },
  );
  await form.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer: drop });
  assert.equal(await form.getByTestId("chosen-file").innerText(), fileName);

  // Detected: a daily layout, dates day-first by assumption; the first reading on 3 April.
  const panel = form.getByTestId("import-preview");
  const readings = panel.getByTestId("preview-readings").locator("tbody tr");
  await readings.first().filter({ hasText: "2024-04-03" }).waitFor();
  const dateOrder = panel.getByLabel("Date order");
  assert.equal(await dateOrder.locator("option:checked").innerText(), "Day first (31/12/2026) (assumed)");
  assert.equal(await panel.getByLabel("Layout").locator("option:checked").innerText(), "daily (detected)");
  assert.equal(
    await panel.getByLabel("Value column").locator("option:checked").innerText(),
    "kWh (detected)",
  );
  assert.deepEqual((await readings.first().locator("td").allInnerTexts()).slice(0, 5), [
    MPAN,
    "2024-04-03",
    "day",
    "2024-04-02 23:00",
    "7",
  ]);

  // Month-first: the preview asks again and the reading moves to 4 March.
  await dateOrder.selectOption("mdy");
  await readings.first().filter({ hasText: "2024-03-04" }).waitFor();

  await form.getByRole("button", { name: "Upload and import" }).click();
  await page.getByRole("heading", { name: fileName, level: 1 }).waitFor();
  const progress = page.getByTestId("job-progress");
  await progress.getByText("completed", { exact: true }).waitFor({ timeout: 60_000 });
  assert.equal(await fact(progress, "Rows imported").innerText(), "1");
  assert.equal(await fact(progress, "Dates").innerText(), "mdy");
  assert.equal(await progress.locator("dt", { hasText: /^Attempts$/ }).count(), 0);

  // The readings, as the meter's API gives them to its page.
  const day = async (date) =>
    page.evaluate(
      async (url) => (await (await fetch(url)).json()).data,
      `/api/meters/${MPAN}/readings?from=${date}&to=${date}`,
    );
  const march = await day("2024-03-04");
  assert.deepEqual(
    march.map((d) => [d.date, d.kwh]),
    [["2024-03-04", 7]],
  );
  assert.deepEqual(await day("2024-04-03"), []);

  // The quality checks run after the job completes, and the page says when they are done.
  await fact(progress, "Quality checks")
    .filter({ hasText: /^done / })
    .waitFor({ timeout: 30_000 });

  // The value was in Wh after all: run the stored file again with that unit; 7 Wh = 0.007 kWh on 4 March.
  const rerun = page.getByTestId("rerun");
  await rerun.locator("summary").click();
  await rerun.getByLabel("Unit").selectOption("Wh");
  await rerun.getByRole("button", { name: "Run again" }).click();
  await fact(progress, "Unit").filter({ hasText: /^Wh$/ }).waitFor({ timeout: 60_000 });
  await progress.getByText("completed", { exact: true }).waitFor({ timeout: 60_000 });
  assert.deepEqual(
    (await day("2024-03-04")).map((d) => [d.date, d.kwh]),
    [["2024-03-04", 0.007]],
  );
});
