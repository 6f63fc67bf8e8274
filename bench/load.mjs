// npm run bench:load [-- --connections 50 --duration 10 --runs 3 --also "/api/…"]
// Serves the app as `npm start` does (fresh local state on 127.0.0.1, demo data plus one meter-year of
// half-hourly readings imported through the real pipeline), then loads each route with autocannon and
// prints req/s, p50 and p99 beside the same figures for an unknown route: a 404 that touches no binding,
// so it measures the local server's own ceiling, and each route's ratio to it says what the route costs.
// Targets take turns, `--runs` rounds of `--duration` seconds each; the table shows each figure's median,
// and the ratio's median is taken over rounds (each round's req/s over the unknown route's in that round),
// so a machine whose load drifts between rounds skews it less. "CPU ms/req" is the CPU time the server's
// processes (two workerd, wrangler's node) spent per request: unlike req/s, it moves little with the load
// other programs put on the machine. "busiest" is the one process that spent most: each runs its
// JavaScript on one thread, so on an idle machine it bounds req/s at about 1000 / busiest.
import autocannon from "autocannon";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { periodsInSettlementDay } from "../src/time/settlement.ts";
import { median, parseArgs, sleep, startServer } from "./server.mjs";

const args = parseArgs();
const CONNECTIONS = Number(args.connections ?? 50);
const DURATION_S = Number(args.duration ?? 10);
const RUNS = Number(args.runs ?? 3);
const WARMUP_S = Number(args.warmup ?? 2);
const METER = "1200000000011"; // a demo meter; its demo readings are recent, so the year below is free
const YEAR = 2025;

const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const state = mkdtempSync(join(tmpdir(), "eclectyc-load-"));

/** A wide file (MPAN, Date, HH01…HH50) of every settlement day of YEAR for METER. */
function yearFile() {
  const header = `MPAN,Date,${Array.from({ length: 50 }, (_, i) => `HH${String(i + 1).padStart(2, "0")}`).join(",")}`;
  const lines = [header];
  for (let t = Date.UTC(YEAR, 0, 1); t < Date.UTC(YEAR + 1, 0, 1); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const n = periodsInSettlementDay(date);
    const cells = Array.from({ length: 50 }, (_, p) => (p < n ? ((p % 7) * 0.25 + 0.5).toFixed(3) : ""));
    lines.push(`${METER},${date},${cells.join(",")}`);
  }
  return lines.join("\n") + "\n";
}

async function signIn() {
  const res = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ email: "admin@eclectyc.energy", password: "admin123" }),
  });
  if (res.status !== 200) throw new Error(`sign-in → ${res.status} ${await res.text()}`);
  return res.headers.get("set-cookie").split(";")[0];
}

async function importYear(cookie) {
  const form = new FormData();
  form.set("file", new Blob([yearFile()], { type: "text/csv" }), `load-${METER}-${YEAR}.csv`);
  form.set("format", "wide");
  const headers = { Cookie: cookie, Origin: base };
  const res = await fetch(`${base}/api/import/jobs`, { method: "POST", headers, body: form });
  if (res.status !== 202) throw new Error(`import → ${res.status} ${await res.text()}`);
  const { batchId } = await res.json();
  for (let i = 0; i < 240; i++) {
    const job = await (await fetch(`${base}/api/import/jobs/${batchId}`, { headers })).json();
    if (job.status === "completed") return job;
    if (!["queued", "processing"].includes(job.status)) throw new Error(`import ${JSON.stringify(job)}`);
    await sleep(250);
  }
  throw new Error(`import ${batchId} did not finish`);
}

/** What a server process is: wrangler's node, or which workerd (the app's, or the one simulating bindings). */
const names = new Map();
function processName(pid) {
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const exe = argv[0].split("/").pop();
  return exe === "workerd" ? `workerd ${pid}` : exe;
}

/** CPU time (ms) of each process in the server's process group, by pid, from /proc (none without it). */
function serverCpuMs(pgid) {
  const byPid = new Map();
  for (const pid of existsSync("/proc") ? readdirSync("/proc").filter((p) => /^\d+$/.test(p)) : []) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime + stime in ticks; USER_HZ is 100 on Linux
      if (Number(fields[2]) === pgid) byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
      if (Number(fields[2]) === pgid && !names.has(pid)) names.set(pid, processName(pid));
    } catch {} // the process ended meanwhile
  }
  return byPid;
}

/** Per request: the CPU all the server's processes spent, and the most that any one of them spent. */
function cpuPerRequest(before, after, requests) {
  const spent = [...after].map(([pid, ms]) => [pid, ms - (before.get(pid) ?? 0)]);
  const [busiestPid, busiestMs] = spent.reduce((a, b) => (b[1] > a[1] ? b : a), ["", 0]);
  return {
    cpu: spent.reduce((a, [, ms]) => a + ms, 0) / requests,
    busiest: busiestMs / requests,
    busiestName: names.get(busiestPid) ?? "",
  };
}

/** One autocannon run: req/s is the mean of its per-second samples; `unexpected` counts other statuses. */
async function load(target, seconds) {
  const cpuBefore = serverCpuMs(server.child.pid);
  const result = await autocannon({
    url: base + target.path,
    connections: CONNECTIONS,
    duration: seconds,
    headers: target.headers ?? {},
  });
  const unexpected =
    Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => Number(code) !== target.status)
      .reduce((n, [, { count }]) => n + count, 0) +
    result.errors +
    result.timeouts;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ...cpuPerRequest(cpuBefore, serverCpuMs(server.child.pid), result.requests.total),
    unexpected,
  };
}

const server = await startServer({
  port,
  state,
  argv: ["node", "scripts/start.mjs"],
  readyPath: "/api/health",
  label: "app",
  logTo: args.log,
});
const rows = [];
try {
  const cookie = await signIn();
  const job = await importYear(cookie);
  const yearPath = `/api/meters/${METER}/readings?from=${YEAR}-01-01&to=${YEAR}-12-31&granularity=day`;
  const year = await (await fetch(base + yearPath, { headers: { Cookie: cookie } })).json();
  console.log(
    `imported ${job.readingsWritten} readings; ${METER} in ${YEAR} at granularity=day: ${year.data.length} days`,
  );
  const session = { Cookie: cookie };
  const summaryPath = `/api/meters/${METER}/summary?from=${YEAR}-01-01&to=${YEAR}-12-31`;
  const targets = [
    { name: "unknown route (reference)", path: "/api/nope", status: 404 },
    { name: "GET /api/health", path: "/api/health", status: 200 },
    { name: "GET /api/auth/me", path: "/api/auth/me", status: 200, headers: session },
    { name: "meter-year, granularity=day", path: yearPath, status: 200, headers: session },
    { name: "meter-year summary (analytics)", path: summaryPath, status: 200, headers: session },
    ...(args.also ?? "")
      .split(",")
      .filter(Boolean)
      .map((path) => ({ name: `GET ${path}`, path, status: 200, headers: session })),
  ];
  for (const target of targets) {
    if (WARMUP_S > 0) await load(target, WARMUP_S);
    target.runs = [];
  }
  console.log(`${CONNECTIONS} connections, ${DURATION_S} s per run, ${RUNS} runs per route, in turn`);
  for (let run = 1; run <= RUNS; run++) {
    for (const target of targets) {
      const r = await load(target, DURATION_S);
      r.ratio = r.rps / (target === targets[0] ? r.rps : targets[0].runs[run - 1].rps);
      target.runs.push(r);
      console.log(
        `  run ${run} ${target.name.padEnd(30)} ${r.rps.toFixed(0).padStart(6)} req/s (×${r.ratio.toFixed(2)})` +
          `  p50 ${r.p50} ms  p99 ${r.p99} ms  CPU ${r.cpu.toFixed(2)} ms/req, busiest ${r.busiest.toFixed(2)} (${r.busiestName})` +
          (r.unexpected ? `  ${r.unexpected} unexpected responses or errors` : ""),
      );
    }
  }
  for (const target of targets) {
    const pick = (key) => median(target.runs.map((r) => r[key]));
    rows.push({
      name: target.name,
      rps: pick("rps"),
      ratio: pick("ratio"),
      p50: pick("p50"),
      p99: pick("p99"),
      cpu: pick("cpu"),
      busiest: pick("busiest"),
      unexpected: target.runs.reduce((n, r) => n + r.unexpected, 0),
    });
  }
} finally {
  server.stop();
  await sleep(500);
  rmSync(state, { recursive: true, force: true });
}

console.log(`\nmedian of ${RUNS} runs        req/s   ×unknown   p50 ms   p99 ms   CPU ms/req   busiest`);
for (const r of rows) {
  console.log(
    [
      r.name.padEnd(30),
      r.rps.toFixed(0).padStart(6),
      r.ratio.toFixed(2).padStart(10),
      String(r.p50).padStart(8),
      String(r.p99).padStart(8),
      r.cpu.toFixed(2).padStart(12),
      r.busiest.toFixed(2).padStart(9),
      r.unexpected ? `  (${r.unexpected} unexpected responses or errors)` : "",
    ].join(" "),
  );
}
if (rows.some((r) => r.unexpected)) process.exitCode = 1;
