// npm run bench:kill-restart [-- --meters 200 --days 365 --kill-after 0.3 --wait 180]
// Kills the local server in the middle of an import and starts it again, as issue 9 did by hand: serves
// the app like `npm start` with fresh state, imports a wide file of N meters × D days, sends SIGKILL to the
// whole process group --kill-after seconds after the 202, starts the server again on the same state and
// waits (up to --wait seconds) for the job to finish on its own. Then it stops the server and checks the
// stored readings against the file: rows, half-hours present and the sum of every half-hour in Wh
// (integers, so the comparison is exact). Exits 1 unless the job completed with exact counts.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addDays, FIRST_DAY, mpan, periods, readingsIn, value, writeWide } from "./files.mjs";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const METERS = Number(args.meters ?? 200);
const DAYS = Number(args.days ?? 365);
const KILL_AFTER_S = Number(args["kill-after"] ?? 0.3);
const WAIT_S = Number(args.wait ?? 180);
const OUT = join(process.cwd(), "bench-out");
const SITE_PREFIX = "Kill-restart site";

const env = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "true",
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

mkdirSync(OUT, { recursive: true });
const file = join(OUT, `wide-${METERS}x${DAYS}.csv`);
if (!existsSync(file)) await writeWide(file, METERS, DAYS);
const bytes = readFileSync(file);

// What the file holds, from the generator's own values (thousandths of a kWh, so exact integers).
let wattHours = 0;
for (let m = 0; m < METERS; m++)
  for (let d = 0; d < DAYS; d++)
    for (let p = 1; p <= periods(addDays(FIRST_DAY, d)); p++)
      wattHours += Math.round(Number(value(m, d, p)) * 1000);
const expected = { rows: METERS * DAYS, halfHours: readingsIn(METERS, DAYS), wattHours };

const state = mkdtempSync(join(tmpdir(), "eclectyc-kill-restart-"));
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;

function startServer(label) {
  const child = spawn("node", ["scripts/start.mjs"], {
    env: { ...env, PORT: String(port), ECLECTYC_STATE_DIR: state },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: node, wrangler and workerd go down together
  });
  const server = { child, log: "", label };
  const keep = (d) => {
    server.log += d;
    // The Worker's own line about what the watchdog recovered at start-up.
    for (const line of String(d).split("\n"))
      if (line.includes("import watchdog")) console.log(`  [${label}] ${line.trim()}`);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  return server;
}

async function waitUp(server) {
  const t = Date.now();
  for (let i = 0; i < 960; i++) {
    if (server.child.exitCode !== null) break;
    try {
      if ((await fetch(`${base}/api/health`)).ok) return Date.now() - t;
    } catch {}
    await sleep(125);
  }
  throw new Error(`${server.label} did not start:\n${server.log.slice(-3000)}`);
}

async function stop(server, signal) {
  try {
    process.kill(-server.child.pid, signal);
  } catch {}
  if (server.child.exitCode === null) await new Promise((r) => server.child.once("exit", r));
  // SIGKILL leaves no one to close the port: wait until nothing answers on it.
  for (let i = 0; i < 80; i++) {
    try {
      await fetch(`${base}/api/health`);
      await sleep(125);
    } catch {
      return;
    }
  }
  throw new Error(`something still answers on ${base}`);
}

async function api(cookie, method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { Cookie: cookie, Origin: base, ...headers },
    body,
  });
  if (!res.ok && res.status !== 202) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

function d1(sql) {
  const out = execFileSync(
    "wrangler",
    ["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql],
    { env, encoding: "utf8" },
  );
  return JSON.parse(out)[0].results;
}

const health = async () => {
  const h = await (await fetch(`${base}/api/health`)).json();
  return `${h.status}; imports: ${h.checks.imports.detail}`;
};

let ok;
try {
  console.log(
    `file: ${METERS} meters × ${DAYS} days wide, ${(bytes.length / 1e6).toFixed(1)} MB, ${expected.rows.toLocaleString()} rows, ${expected.halfHours.toLocaleString()} half-hours`,
  );
  let server = startServer("first server");
  console.log(`first start: up after ${seconds(await waitUp(server))}`);
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ email: "admin@eclectyc.energy", password: "admin123" }),
  });
  const cookie = login.headers.get("set-cookie").split(";")[0];
  const sites = [
    "name,mpan,fuel",
    ...Array.from({ length: METERS }, (_, m) => `${SITE_PREFIX} ${m},${mpan(m)},electricity`),
  ];
  await api(cookie, "POST", "/api/sites/import", sites.join("\n"), { "Content-Type": "text/csv" });

  const form = new FormData();
  form.append("file", new Blob([bytes], { type: "text/csv" }), "kill-restart.csv");
  const posted = performance.now();
  const { batchId } = await api(cookie, "POST", "/api/import/jobs", form);
  const accepted = performance.now();
  console.log(`POST /api/import/jobs → 202 ${batchId} after ${seconds(accepted - posted)} (upload)`);
  await sleep(KILL_AFTER_S * 1000);
  await stop(server, "SIGKILL");
  console.log(`SIGKILL to the server's process group ${seconds(performance.now() - accepted)} after the 202`);
  const [atKill] = d1(
    `SELECT status, ranges_done, ranges_total, bytes_done, bytes_total FROM import_jobs WHERE batch_id = '${batchId}'`,
  );
  console.log(
    `  job row at the kill: ${atKill.status}, ${atKill.ranges_done} of ${atKill.ranges_total} ranges, ${Math.floor((100 * atKill.bytes_done) / atKill.bytes_total)} %`,
  );

  const restarted = performance.now();
  server = startServer("restarted server");
  console.log(`restart: up after ${seconds(await waitUp(server))}; health: ${await health()}`);
  let job;
  for (;;) {
    job = await api(cookie, "GET", `/api/import/jobs/${batchId}`);
    if (!["queued", "processing"].includes(job.status)) break;
    if (performance.now() - restarted > WAIT_S * 1000) {
      console.log(`  still ${job.status} ${job.progress} % after ${WAIT_S} s; health: ${await health()}`);
      break;
    }
    await sleep(250);
  }
  console.log(
    `job: ${job.status} ${seconds(performance.now() - restarted)} after the restart began; recoveries ${job.recoveries}, attempts ${job.attempts}, rows ${job.rowsImported.toLocaleString()} imported / ${job.rowsFailed} refused, ${job.readingsWritten.toLocaleString()} half-hours written${job.error ? `; error: ${job.error}` : ""}`,
  );
  console.log(`health after: ${await health()}`);
  await stop(server, "SIGTERM");

  const [stored] = d1(`SELECT COUNT(*) AS rows, SUM(r.period_count) AS halfHours,
      (SELECT SUM(CAST(ROUND(p.value * 1000) AS INTEGER)) FROM readings r2 JOIN meters m2 ON m2.id = r2.meter_id
         JOIN sites s2 ON s2.id = m2.site_id, json_each(r2.periods) p
       WHERE s2.name LIKE '${SITE_PREFIX} %' AND p.value IS NOT NULL) AS wattHours
    FROM readings r JOIN meters m ON m.id = r.meter_id JOIN sites s ON s.id = m.site_id
    WHERE s.name LIKE '${SITE_PREFIX} %'`);
  const line = (what, want, got) =>
    `  ${what.padEnd(28)} file ${want.toLocaleString().padStart(13)}   stored ${Number(got).toLocaleString().padStart(13)}   ${want === Number(got) ? "exact" : "DIFFERENT"}`;
  console.log("readings checked against the file:");
  console.log(line("meter-day rows", expected.rows, stored.rows));
  console.log(line("half-hours present", expected.halfHours, stored.halfHours));
  console.log(line("sum of half-hours (Wh)", expected.wattHours, stored.wattHours));
  ok =
    job.status === "completed" &&
    job.rowsImported === expected.rows &&
    job.readingsWritten === expected.halfHours &&
    expected.rows === Number(stored.rows) &&
    expected.halfHours === Number(stored.halfHours) &&
    expected.wattHours === Number(stored.wattHours);
  console.log(ok ? "completed on its own with exact counts" : "NOT completed with exact counts");
} finally {
  rmSync(state, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
