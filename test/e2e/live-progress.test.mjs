// End to end against the running app (started by scripts/browser-tests.mjs, like `npm start`): upload a
// file, watch the job's WebSocket push progress up to 100 %, and read the readings back.
import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8787";
// Seeded demo meter "Main incomer" (scripts/seed.mjs).
const MPAN = "1200000000011";

async function signIn() {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "admin@eclectyc.energy", password: "admin123" }),
  });
  assert.equal(res.status, 200);
  return res.headers.get("set-cookie").split(";")[0];
}

test("live progress over the job's WebSocket reaches 100 %", async () => {
  const cookie = await signIn();
  // 2026-01-05 is a winter day: 48 half-hours of 0.5 kWh = 24 kWh.
  const rows = Array.from({ length: 48 }, (_, i) => {
    const t = new Date(Date.parse("2026-01-05T00:00:00Z") + i * 1_800_000).toISOString().slice(0, 19);
    return `${MPAN},${t}Z,0.5`;
  });
  const form = new FormData();
  form.append("notes", "live e2e");
  form.append("priority", "low"); // ranges wait 30 s in the queue: time to connect before any progress
  form.append(
    "file",
    new File([["MPAN,ReadDateTime,kWh", ...rows].join("\n")], "live.csv", { type: "text/csv" }),
  );
  const created = await fetch(`${BASE}/api/import/jobs`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: BASE },
    body: form,
  });
  assert.equal(created.status, 202);
  const { batchId, status } = await created.json();
  assert.equal(status, "queued");

  // Wait until the plan step has sized the job, then watch.
  for (let i = 0; i < 200; i++) {
    const job = await (
      await fetch(`${BASE}/api/import/jobs/${batchId}`, { headers: { Cookie: cookie } })
    ).json();
    if (job.status !== "queued") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ws = new WebSocket(`${BASE.replace("http", "ws")}/api/import/jobs/${batchId}/live`, {
    headers: { Cookie: cookie },
  });
  const seen = [];
  const final = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no 100 % within 90 s; saw ${JSON.stringify(seen)}`)),
      90_000,
    );
    ws.addEventListener("message", (event) => {
      const msg = JSON.parse(event.data);
      seen.push(msg.progress);
      if (msg.progress === 100) {
        clearTimeout(timer);
        resolve(msg);
      }
    });
    ws.addEventListener("error", (e) => reject(new Error(`websocket error ${e.message ?? ""}`)));
  });
  ws.close();
  assert.equal(final.status, "completed");
  assert.equal(final.rowsImported, 48);
  assert.equal(final.readingsWritten, 48);
  assert.equal(seen[0] < 100, true, "the first message came before the end");

  const day = await (
    await fetch(`${BASE}/api/meters/${MPAN}/readings?from=2026-01-05&to=2026-01-05&granularity=day`, {
      headers: { Cookie: cookie },
    })
  ).json();
  // Figures are current once the job says completed: every half-hour 0.5 kWh → baseload and peak 1 kW,
  // the peak the first half-hour.
  assert.deepEqual(day.data, [
    {
      date: "2026-01-05",
      kwh: 24,
      periods: 48,
      expectedPeriods: 48,
      estimated: false,
      baseloadKw: 1,
      peakKw: 1,
      peakAt: "2026-01-05T00:00:00.000Z",
      completeness: 1,
    },
  ]);
});

test("the live endpoint refuses a cross-origin WebSocket and callers without a session", async () => {
  const cookie = await signIn();
  // Its own job, so this test stands alone.
  const form = new FormData();
  form.append("file", new File([`MPAN,ReadDateTime,kWh\n${MPAN},2026-01-06T00:00:00Z,1\n`], "one.csv"));
  const created = await fetch(`${BASE}/api/import/jobs`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: BASE },
    body: form,
  });
  assert.equal(created.status, 202);
  const { batchId } = await created.json();
  // fetch cannot send an Upgrade header; a plain HTTP request can.
  const upgradeStatus = (headers) =>
    new Promise((resolve, reject) => {
      const req = request(`${BASE}/api/import/jobs/${batchId}/live`, {
        headers: {
          Connection: "Upgrade",
          Upgrade: "websocket",
          "Sec-WebSocket-Version": "13",
          "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
          ...headers,
        },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });
  assert.equal(await upgradeStatus({ Cookie: cookie, Origin: "https://evil.example" }), 403);
  assert.equal(await upgradeStatus({}), 401);
  assert.equal(await upgradeStatus({ Cookie: cookie, Origin: BASE }), 101);
});
