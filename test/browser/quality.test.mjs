// The data-quality page in a real browser: an administrator acknowledges an open issue of the demo data
// with a note (the API then says so), finds it under "acknowledged" and opens its meter's chart at its
// days. Needs the app at BASE_URL (scripts/browser-tests.mjs starts one) with the demo data seeded and
// checked (npm start fires the nightly data-quality job once). The issue is the demo's missing half-hours
// (two half-hours of a 50-period clock-change day), so the meter page highlights them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, signedInPage } from "./support.mjs";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";

let browser;
let page;

before(async () => {
  browser = await launchChromium();
  page = await signedInPage(browser, BASE, { timeout: 15_000, timezoneId: null });
});

after(async () => {
  await browser?.close();
});

const api = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);

test("acknowledge an issue with a note, then open its meter's chart at its days", async () => {
  // The dashboard counts the open issues and links to them.
  await page.getByTestId("stat-quality").click();
  await page.getByRole("heading", { name: "Data quality", level: 1 }).waitFor();
  assert.match(page.url(), /\/quality\?status=open$/);
  await page.getByRole("combobox", { name: "Type" }).selectOption("missing_periods");

  // The seed's gap (DEMO_GAP_PERIODS: periods 29 and 30 of the last autumn clock-change day); other
  // missing half-hours may be open too, depending on the day the demo data ends.
  const open = (await api(`/api/quality/issues?status=open&type=missing_periods&pageSize=500`)).data;
  const before = open.find((i) => i.periods?.length === 2 && i.periods[0] === 29 && i.periods[1] === 30);
  assert.ok(before, `the seeded gap is open: ${JSON.stringify(open.map((i) => [i.from, i.periods]))}`);
  const id = before.id;
  await page.locator(`[data-issue="${id}"]`).waitFor();
  assert.equal(before.status, "open");
  assert.equal(before.type, "missing_periods");

  await page.getByRole("button", { name: `Acknowledge issue ${id}` }).click();
  const dialog = page.getByRole("dialog", { name: "Acknowledge issue" });
  await dialog.getByLabel("Note").fill("Known: the logger was swapped");
  await dialog.getByRole("button", { name: "Acknowledge", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  // The open list no longer has it; the API has it acknowledged with the note and who did it.
  await page.locator(`[data-issue="${id}"]`).waitFor({ state: "detached" });
  const after = (await api(`/api/quality/issues?status=acknowledged&pageSize=500`)).data.find(
    (i) => i.id === id,
  );
  assert.equal(after.note, "Known: the logger was swapped");
  assert.equal(after.changedBy, "admin@eclectyc.energy");

  await page.getByRole("combobox", { name: "Status" }).selectOption("acknowledged");
  const acknowledged = page.locator(`[data-issue="${id}"]`);
  await acknowledged.getByText("Known: the logger was swapped").waitFor();
  await acknowledged.getByRole("link", { name: `Open the chart of ${after.mpan} at ${after.from}` }).click();
  await page.waitForURL((url) => url.pathname === `/meters/${after.mpan}`);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("day"), after.from);
  assert.ok(url.searchParams.get("from") < after.from && url.searchParams.get("to") > after.to);
  // The meter page is up, with its quality badge.
  await page.getByTestId("quality-badge").waitFor();
  // The range picker shows the link's days (a day either side of the issue's), as a custom range.
  const range = page.getByRole("group", { name: "Date range" });
  assert.equal(await range.getByLabel("From").inputValue(), url.searchParams.get("from"));
  assert.equal(await range.getByLabel("To").inputValue(), url.searchParams.get("to"));
  // The profile opens on the issue's day and names its half-hours above the shaded chart. The demo's
  // issue is periods 29 and 30 of the last autumn clock-change day (the seed's DEMO_GAP_PERIODS): 50
  // periods, 01:00-02:00 twice, so period 29 starts 26 half-hours after 01:00 GMT, at 13:00 GMT, and 30
  // ends at 14:00 GMT (the zone is named on a clock-change day).
  assert.equal(await page.getByLabel("Day", { exact: true }).inputValue(), after.from);
  assert.deepEqual(after.periods, [29, 30]);
  const note = page.getByTestId("highlight-note");
  await note.waitFor();
  assert.match(
    await note.innerText(),
    /^Highlighted: 13:00–14:00 GMT, the half-hours named by the data-quality issue that linked here\.$/,
  );
});
