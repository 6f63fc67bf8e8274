// Imports in a real browser: an admin uploads a small narrow CSV for the seeded demo meter through the
// file input, follows the job's live progress to 100 %, sees the one refused row with its line number
// and reason, then finds the imported day on the meter's page.
// Needs the app at BASE_URL (scripts/browser-tests.mjs starts one) with the demo users and meters seeded.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, test } from "node:test";
import { launchChromium } from "./support.mjs";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";
const PASSWORD = "admin123";
// Seeded demo meter "Main incomer" (scripts/seed.mjs); demo readings cover the last 60 days and the same days a year earlier.
const MPAN = "1200000000011";
// A winter day (GMT, so UTC = London time and the settlement day is 48 half-hours) the demo data and
// test/e2e/live-progress.test.mjs (2026-01-05) leave alone.
const DAY = "2026-01-07";
// The bad row comes after this many good rows: header is line 1, so it is line BAD_AFTER + 2.
const BAD_AFTER = 20;
const BAD_LINE = BAD_AFTER + 2;

/** 48 half-hours of 0.5 kWh on DAY (24 kWh), with one negative reading for the next day in between. */
function csv() {
  const rows = Array.from({ length: 48 }, (_, i) => {
    const t = new Date(Date.parse(`${DAY}T00:00:00Z`) + i * 1_800_000).toISOString().slice(0, 19);
    return `${MPAN},${t}Z,0.5`;
  });
  rows.splice(BAD_AFTER, 0, `${MPAN},2026-01-08T00:00:00Z,-1`);
  return ["MPAN,ReadDateTime,kWh", ...rows].join("\n") + "\n";
}

let browser;
let page;

before(async () => {
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
});

/** The value shown beside a <dt> label in a facts list. */
function fact(scope, label) {
  return scope.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");
}

test("an admin imports a CSV, follows it live to 100 %, sees the refused row and the readings", async (t) => {
  await page.goto(`${BASE}/`);
  await page.getByLabel("Email").fill("admin@eclectyc.energy");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Imports" }).click();
  await page.getByRole("heading", { name: "Imports", level: 1 }).waitFor();

  const fileName = `browser-import-${Date.now()}.csv`;
  const form = page.getByTestId("import-form");
  await form.getByLabel("Readings file").setInputFiles({
    name: fileName,
    mimeType: "text/csv",
    buffer: Buffer.from(csv()),
  });
  assert.equal(await form.getByTestId("chosen-file").innerText(), fileName);
  // The preview shows the first lines, header first.
  const preview = form.getByLabel("First lines of the file");
  await preview.waitFor();
  assert.match(
    await preview.innerText(),
    new RegExp(`^MPAN,ReadDateTime,kWh\\n${MPAN},${DAY}T00:00:00Z,0.5`),
  );

  // Watch for the job's live socket from here on: the job page opens it while the job still runs.
  const sockets = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));

  await form.getByRole("button", { name: "Upload and import" }).click();
  // The job page, titled by the file name.
  await page.getByRole("heading", { name: fileName, level: 1 }).waitFor();
  const batchId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  assert.match(page.url(), /\/imports\/[^/]+$/);

  // Progress climbs to 100 %: sample the bar until it gets there.
  const bar = page.getByRole("progressbar", { name: "Import progress" });
  const seen = [];
  const deadline = Date.now() + 90_000;
  for (;;) {
    const now = Number(await bar.getAttribute("aria-valuenow"));
    if (seen.at(-1) !== now) seen.push(now);
    if (now === 100) break;
    assert.ok(Date.now() < deadline, `progress stuck; saw ${seen.join(", ")} %`);
    await page.waitForTimeout(100);
  }
  assert.deepEqual(
    seen,
    [...seen].sort((a, b) => a - b),
    `progress never goes back: ${seen.join(", ")}`,
  );
  assert.equal(await bar.innerText(), "100%");

  const progress = page.getByTestId("job-progress");
  await progress.getByText("completed with errors", { exact: true }).waitFor();
  await progress.getByText(/^Finished /).waitFor();
  assert.equal(await fact(progress, "Rows read").innerText(), "49");
  assert.equal(await fact(progress, "Rows imported").innerText(), "48");
  assert.equal(await fact(progress, "Rows refused").innerText(), "1");
  assert.equal(await fact(progress, "Half-hours written").innerText(), "48");
  assert.equal(await fact(progress, "Layout").innerText(), "narrow");

  // If the job was still running when its page opened, progress came over its WebSocket.
  for (const url of sockets) assert.match(url, new RegExp(`/api/import/jobs/${batchId}/live$`));
  t.diagnostic(`progress seen: ${seen.join(", ")} %; live socket opened: ${sockets.length > 0}`);

  // The refused row: its line in the file and why.
  const errors = page.getByTestId("job-errors");
  await errors.waitFor();
  const errorRows = errors.locator("tbody tr");
  assert.equal(await errorRows.count(), 1);
  assert.deepEqual(await errorRows.first().locator("td").allInnerTexts(), [
    String(BAD_LINE),
    "value: -1 is negative",
  ]);
  const download = page.getByRole("link", { name: "Download all as errors.csv" });
  assert.equal(
    await download.getAttribute("href"),
    `/api/import/jobs/${encodeURIComponent(batchId)}/errors.csv`,
  );

  // The job in the list below the upload form, with the same counts.
  await page.getByRole("link", { name: "← Imports" }).click();
  await page.getByLabel("Search jobs").fill(fileName);
  const jobRow = page.getByTestId("jobs-table").locator("tbody tr", { hasText: fileName });
  await jobRow.waitFor();
  await page.getByTestId("jobs-table").locator("tbody tr").nth(1).waitFor({ state: "detached" });
  assert.deepEqual((await jobRow.locator("td").allInnerTexts()).slice(1, 5), [
    "completed with errors",
    "100%",
    "48",
    "1",
  ]);

  // The meter's page: pick the day for the half-hourly profile.
  await nav.getByRole("link", { name: "Meters" }).click();
  await page.getByLabel("Search meters").fill(MPAN);
  await page.locator(`tr[data-mpan="${MPAN}"]`).getByRole("link", { name: MPAN }).click();
  await page.getByRole("heading", { name: "Main incomer", level: 1 }).waitFor();
  await page.getByLabel("Day", { exact: true }).fill(DAY);
  const summary = page.getByText(/ over \d+ half-hours; peak /);
  await summary.waitFor();
  // 48 × 0.5 kWh = 24 kWh; every half-hour is equal, so the peak is the first, at 00:00 GMT.
  assert.equal(await summary.innerText(), "24 kWh over 48 half-hours; peak 0.5 kWh at 00:00");
  await page.getByRole("img", { name: `Half-hourly kWh on ${DAY}` }).waitFor();
});

test("an admin adds a webhook source, copies its secret once, and a signed delivery shows up as an import", async () => {
  // Still signed in as admin from the test above.
  await page.goto(`${BASE}/admin/webhooks`);
  await page
    .getByRole("navigation", { name: "Admin" })
    .getByRole("link", { name: "Webhook sources" })
    .waitFor();
  await page.getByRole("button", { name: "New webhook source" }).click();
  const dialog = page.getByRole("dialog", { name: "New webhook source" });
  const name = `Portal ${Date.now()}`;
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Default meter").fill(MPAN);
  await dialog.getByRole("button", { name: "Create source" }).click();

  const secret = (await page.getByTestId("new-webhook-secret").locator("code").textContent()).trim();
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);
  await page.getByRole("button", { name: "I have copied it" }).click();
  const row = page.getByTestId("webhooks-table").getByRole("row", { name: new RegExp(name) });
  await row.waitFor();
  const rowText = await row.textContent();
  assert.ok(rowText.includes(`${secret.slice(0, 12)}…`), rowText);
  assert.ok(!rowText.includes(secret), "the full secret is never listed");
  const url = (await row.locator("td").nth(1).textContent()).replace(/Copy.*$/, "").trim();
  assert.match(url, /^\/api\/webhooks\/imports\/\d+$/);

  // The supplier portal signs t + "." + key + "." + body with the secret, as the dialog says.
  // 2026-01-09: two half-hours, 1.5 kWh.
  const body = "ReadDateTime,kWh\n2026-01-09T00:00:00Z,1\n2026-01-09T00:30:00Z,0.5\n";
  const t = Math.floor(Date.now() / 1000);
  const key = `delivery-${t}`;
  const v1 = createHmac("sha256", secret).update(`${t}.${key}.${body}`).digest("hex");
  const res = await fetch(`${BASE}${url}`, {
    method: "POST",
    headers: { "X-Signature": `t=${t},v1=${v1}`, "Idempotency-Key": key },
    body,
  });
  assert.equal(res.status, 202);
  const { batchId } = await res.json();

  await page.goto(`${BASE}/imports/${batchId}`);
  await page.getByText("completed", { exact: true }).waitFor({ timeout: 60_000 });
  assert.equal((await fact(page, "Rows imported").textContent()).trim(), "2");
});
