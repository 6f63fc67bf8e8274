// npm run bench:import [-- --meters 1000 --days 365 --only wide|narrow --floor-runs 3]
// Generates a wide and a narrow half-hourly file, runs each through the real pipeline locally in workerd
// (R2 → Queue → ranges → D1) and prints readings/s, wall time and peak memory, beside two references
// measured in the same run on the same data: (a) one INSERT per reading through a D1 binding (sampled,
// scaled), (b) the sqlite3 command line's .import of the same file into a plain table (the median of
// --floor-runs runs).
import { execFileSync } from "node:child_process";
import {
  closeSync,
  openSync,
  readSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { once } from "node:events";
import WebSocket from "ws";
import { mpan, readingsIn, writeNarrow, writeWide } from "./files.mjs";
import { median, parseArgs, signInAsDemoAdmin, sleep, startAppOnFreePort, startServer } from "./server.mjs";
import { api, runPipeline } from "./upload.mjs";

const args = parseArgs();
const METERS = Number(args.meters ?? 1000);
const DAYS = Number(args.days ?? 365);
const ONLY = args.only;
const OUT = join(process.cwd(), "bench-out");
const NAIVE_SAMPLE = Number(args.sample ?? 100_000);
const FLOOR_RUNS = Number(args["floor-runs"] ?? 3);

mkdirSync(OUT, { recursive: true });

async function generate() {
  const wide = join(OUT, `wide-${METERS}x${DAYS}.csv`);
  const narrow = join(OUT, `narrow-${METERS}x${DAYS}.csv`);
  if (!existsSync(wide)) await writeWide(wide, METERS, DAYS);
  if (!existsSync(narrow)) await writeNarrow(narrow, METERS, DAYS);
  return { wide, narrow, readings: readingsIn(METERS, DAYS) };
}

/** Peak resident memory of the workerd processes while `fn` runs (an upper bound for any one isolate). */
async function withPeakMemory(fn) {
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
          const status = readFileSync(`/proc/${pid}/status`, "utf8");
          if (!/^Name:\s+workerd/m.test(status)) continue;
          const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
          peak = Math.max(peak, rss);
        } catch {}
      }
      await sleep(200);
    }
  })();
  try {
    return { result: await fn(), peak: () => peak };
  } finally {
    running = false;
    await sampler;
  }
}

/**
 * The app's Worker isolate (the one that runs the API, the queue consumers and the job Durable Objects),
 * watched through wrangler's inspector while `fn` runs: the peak of Runtime.getHeapUsage (V8's used heap,
 * which includes garbage not yet collected: V8 collects lazily when nothing presses it) and, with
 * --live-heap SECONDS, the peak live heap from a heap snapshot (taken after a full GC) every SECONDS.
 * Snapshots pause the isolate, so they slow the run. With --cpu-profile FILE, V8's sampling profiler runs
 * meanwhile and FILE gets the .cpuprofile (open it in Chrome DevTools) and FILE.txt the functions by self time. Local D1 and R2 run in simulator isolates of their
 * own, which Cloudflare runs as services, so only this isolate is held to the 128 MB limit.
 */
async function withIsolateHeap(inspectorPort, fn) {
  const ws = new WebSocket(`ws://127.0.0.1:${inspectorPort}/ws`);
  await once(ws, "open");
  const waiting = new Map();
  let chunks = [];
  let id = 0;
  ws.on("message", (data) => {
    const message = JSON.parse(String(data));
    if (message.method === "HeapProfiler.addHeapSnapshotChunk") chunks.push(message.params.chunk);
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const n = ++id;
      waiting.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  const liveHeap = async () => {
    chunks = [];
    await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    const { snapshot, nodes } = JSON.parse(chunks.join(""));
    const fields = snapshot.meta.node_fields;
    const selfSize = fields.indexOf("self_size");
    let live = 0;
    for (let i = selfSize; i < nodes.length; i += fields.length) live += nodes[i];
    return live;
  };
  const snapshotEvery = Number(args["live-heap"] ?? 0) * 1000;
  const peak = { usedSize: 0, totalSize: 0, live: 0, samples: 0, snapshots: 0 };
  let running = true;
  const sampler = (async () => {
    let lastSnapshot = 0;
    while (running) {
      const h = await send("Runtime.getHeapUsage");
      peak.samples++;
      peak.usedSize = Math.max(peak.usedSize, h.usedSize);
      peak.totalSize = Math.max(peak.totalSize, h.totalSize);
      if (snapshotEvery && performance.now() - lastSnapshot >= snapshotEvery) {
        peak.live = Math.max(peak.live, await liveHeap());
        peak.snapshots++;
        lastSnapshot = performance.now();
      }
      await sleep(50);
    }
  })();
  const profileTo = args["cpu-profile"];
  if (profileTo) {
    await send("Profiler.enable");
    await send("Profiler.start");
  }
  try {
    return { result: await fn(), heap: () => ({ ...peak }) };
  } finally {
    if (profileTo) {
      const { profile } = await send("Profiler.stop");
      writeFileSync(profileTo, JSON.stringify(profile));
      writeFileSync(`${profileTo}.txt`, selfTimes(profile));
    }
    running = false;
    await Promise.race([sampler, sleep(5000)]);
    ws.close();
  }
}

/**
 * A profile's functions by self time, the heaviest first. A sample stands for the time since the one
 * before, up to 2 ms: a longer gap is time the isolate did not run (its thread served D1, R2 or the
 * queue, or waited), shown as a line of its own.
 */
function selfTimes(profile) {
  const names = new Map(
    profile.nodes.map(({ id, callFrame: { functionName, url, lineNumber } }) => [
      id,
      `${functionName || "(anonymous)"} ${url.split("/").pop()}:${lineNumber + 1}`,
    ]),
  );
  const byFunction = new Map();
  let outside = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i];
    const counted = Math.min(us, 2000);
    outside += us - counted;
    byFunction.set(names.get(id), (byFunction.get(names.get(id)) ?? 0) + counted);
  });
  const inside = [...byFunction.values()].reduce((a, b) => a + b, 0);
  const line = (us, what) => `${(us / 1000).toFixed(0).padStart(7)} ms  ${what}`;
  return [
    line(inside, "in this isolate"),
    line(outside, "outside it (gaps between samples over 2 ms)"),
    "",
    ...[...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 60)
      .map(([name, us]) => line(us, `${((100 * us) / inside).toFixed(1).padStart(5)} %  ${name}`)),
  ].join("\n");
}

function sqliteImport(file, shape) {
  const db = join(OUT, `ref-${shape}.sqlite`);
  rmSync(db, { force: true });
  const create =
    shape === "wide"
      ? `CREATE TABLE t (mpan TEXT, date TEXT, ${Array.from({ length: 50 }, (_, i) => `p${i + 1} REAL`).join(", ")}, PRIMARY KEY (mpan, date)) WITHOUT ROWID;`
      : "CREATE TABLE t (mpan TEXT, read_at TEXT, kwh REAL, PRIMARY KEY (mpan, read_at)) WITHOUT ROWID;";
  const t0 = performance.now();
  execFileSync("sqlite3", [db, create, ".mode csv", `.import --skip 1 ${file} t`], { stdio: "inherit" });
  const s = (performance.now() - t0) / 1000;
  rmSync(db, { force: true });
  return s;
}

async function naiveReference(narrowFile, port) {
  const state = join(OUT, "naive-state");
  rmSync(state, { recursive: true, force: true });
  const server = await startServer({
    port,
    state,
    readyPath: "/setup",
    label: "naive",
    argv: [
      "npx",
      "wrangler",
      "dev",
      "-c",
      "bench/naive/wrangler.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
    ],
  });
  try {
    // The first NAIVE_SAMPLE readings of the narrow file, inserted one statement each.
    const head = Buffer.alloc(Math.min(statSync(narrowFile).size, (NAIVE_SAMPLE + 1) * 80));
    const fd = openSync(narrowFile, "r");
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const lines = head
      .toString("utf8")
      .split("\n", NAIVE_SAMPLE + 1)
      .slice(1, NAIVE_SAMPLE + 1);
    const rows = lines.filter(Boolean).map((l) => {
      const [m, t, v] = l.split(",");
      return [m, t, Number(v)];
    });
    let ms = 0;
    for (let i = 0; i < rows.length; i += 10_000) {
      const res = await fetch(`http://127.0.0.1:${port}/insert`, {
        method: "POST",
        body: JSON.stringify(rows.slice(i, i + 10_000)),
      });
      ms += (await res.json()).ms;
    }
    return { rows: rows.length, readingsPerSecond: rows.length / (ms / 1000) };
  } finally {
    server.stop();
    await sleep(1000);
  }
}

const { wide, narrow, readings } = await generate();
console.log(`files: ${METERS} meters × ${DAYS} days = ${readings.toLocaleString()} readings`);
console.log(`  wide   ${(statSync(wide).size / 1e6).toFixed(1)} MB  ${wide}`);
console.log(`  narrow ${(statSync(narrow).size / 1e6).toFixed(1)} MB  ${narrow}`);

const naivePort = 20000 + Math.floor(Math.random() * 20000);
const naive =
  NAIVE_SAMPLE > 0 ? await naiveReference(narrow, naivePort) : { rows: 0, readingsPerSecond: NaN };
if (NAIVE_SAMPLE > 0)
  console.log(
    `reference (a), one INSERT per reading: ${Math.round(naive.readingsPerSecond).toLocaleString()} readings/s (sample ${naive.rows.toLocaleString()})`,
  );

// The inspector (for the isolate's heap and --cpu-profile) listens beside the app's port.
const inspectorOf = (port) => port + 2;
const server = await startAppOnFreePort({
  state: join(OUT, "app-state"),
  extraEnv: (port) => ({ INSPECTOR_PORT: String(inspectorOf(port)) }),
  // --log FILE keeps the server's output (wrangler's request and queue lines) for a closer look.
  logTo: args.log,
});
const { base } = server;
const inspectorPort = inspectorOf(server.port);
const results = [];
try {
  const cookie = await signInAsDemoAdmin(base);
  const sites = [
    "name,mpan,fuel",
    ...Array.from({ length: METERS }, (_, m) => `Bench site ${m},${mpan(m)},electricity`),
  ].join("\n");
  const created = await api(base, cookie, "POST", "/api/sites/import", new TextEncoder().encode(sites), {
    "Content-Type": "text/csv",
  });
  if (created.metersCreated !== METERS)
    throw new Error(`created ${created.metersCreated} meters: ${JSON.stringify(created.errors.slice(0, 5))}`);

  for (const [shape, file] of [
    ["wide", wide],
    ["narrow", narrow],
  ]) {
    if (ONLY && ONLY !== shape) continue;
    if (args.mark) writeFileSync(args.mark, shape);
    const { result: measured, peak } = await withPeakMemory(() =>
      withIsolateHeap(inspectorPort, () => runPipeline(base, cookie, file)),
    );
    // The floor is the median of FLOOR_RUNS sqlite3 imports: one run varied from 3.1 to 5.6 s on the same
    // machine within minutes (shared, 2 cores), which swung the ratios by a third.
    const floors = Array.from({ length: FLOOR_RUNS }, () => sqliteImport(file, shape));
    results.push({
      shape,
      ...measured.result,
      peak: peak(),
      heap: measured.heap(),
      floor: median(floors),
      floors,
    });
  }
  const yearUrl = `${base}/api/meters/${mpan(0)}/readings?from=2025-01-01&to=2025-12-31&granularity=hh`;
  const body = await api(base, cookie, "GET", yearUrl.slice(base.length));
  console.log(`one meter-year at granularity=hh: ${body.data.length.toLocaleString()} half-hours`);
  // Time to the last byte, measured by curl (Node's fetch adds ~25 ms of its own on a 2.4 MB body).
  const times = [];
  for (let i = 0; i < 9; i++) {
    const out = execFileSync("curl", [
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{time_total}",
      "-H",
      `Cookie: ${cookie}`,
      yearUrl,
    ]);
    times.push(Number(out) * 1000);
  }
  console.log(`  median ${median(times).toFixed(1)} ms over 9 requests (curl, full body)`);
} finally {
  server.stop();
}

console.log(
  "\nfile    MB      readings     upload s  process s  total s  readings/s   ×(a)   (b) s   total/(b)  process/(b)  isolate heap used/total  workerd RSS",
);
for (const r of results) {
  const rps = r.job.readingsWritten / r.totalS;
  console.log(
    [
      r.shape.padEnd(7),
      (r.size / 1e6).toFixed(1).padStart(6),
      r.job.readingsWritten.toLocaleString().padStart(12),
      r.uploadS.toFixed(1).padStart(9),
      r.processS.toFixed(1).padStart(10),
      r.totalS.toFixed(1).padStart(8),
      Math.round(rps).toLocaleString().padStart(11),
      (rps / naive.readingsPerSecond).toFixed(0).padStart(6),
      r.floor.toFixed(1).padStart(7),
      (r.totalS / r.floor).toFixed(2).padStart(10),
      (r.processS / r.floor).toFixed(2).padStart(12),
      `${(r.heap.usedSize / 1e6).toFixed(0)} / ${(r.heap.totalSize / 1e6).toFixed(0)} MB`.padStart(24),
      `${(r.peak / 1e6).toFixed(0)} MB`.padStart(12),
    ].join(" "),
  );
  console.log(
    `  isolate heap: used/total = peak of ${r.heap.samples} samples (used includes garbage not yet collected)` +
      (r.heap.snapshots
        ? `; live: peak ${(r.heap.live / 1e6).toFixed(1)} MB over ${r.heap.snapshots} heap snapshots`
        : ""),
  );
  console.log(`  (b): median of ${r.floors.map((f) => f.toFixed(2)).join(", ")} s (sqlite3 runs)`);
  console.log(
    `  then the quality checks over its days (after completed, not in the times above): ${r.checksS.toFixed(1)} s`,
  );
  if (r.job.status !== "completed")
    console.log(
      `  job ${r.job.batchId} ended ${r.job.status}: ${r.job.error ?? ""} ${JSON.stringify(r.job.errors.slice(0, 3))}`,
    );
}
