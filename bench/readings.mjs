// The benchmarks' readings: the generated half-hourly files (wide and narrow, N meters × D days) and sending
// a file through the app as the browser does (10 MB parts, three at a time, then the job until it settles).
import { createWriteStream, existsSync, readFileSync, statSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

export function mpan(i) {
  const body = `${10 + (i % 14)}9${String(i).padStart(9, "0")}`; // the 9 keeps clear of the demo meters
  let sum = 0;
  for (let k = 0; k < 12; k++) sum += Number(body[k]) * WEIGHTS[k];
  return body + ((sum % 11) % 10);
}

// UK clock changes for the generator (the app asks src/time; the benchmark must not share its code
// with what it measures): last Sunday of March and of October.
function lastSunday(year, month) {
  const d = new Date(Date.UTC(year, month + 1, 0));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d.toISOString().slice(0, 10);
}
function periods(date) {
  const y = Number(date.slice(0, 4));
  return date === lastSunday(y, 2) ? 46 : date === lastSunday(y, 9) ? 50 : 48;
}
function dayStartUtc(date) {
  const y = Number(date.slice(0, 4));
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const bst = date > lastSunday(y, 2) && date <= lastSunday(y, 9);
  return midnight - (bst ? 3_600_000 : 0);
}
export const addDays = (date, n) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
// kWh with three decimals, as supplier portals export them (a float's noise digits would make the files
// half as big again as real ones).
export const value = (m, d, p) => (((m * 7 + d * 13 + p * 29) % 4000) / 1000 + 0.05).toFixed(3);

async function writeLines(path, produce) {
  const out = createWriteStream(path);
  let buffer = "";
  for (const chunk of produce()) {
    buffer += chunk;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
}

/**
 * The wide and narrow files of `meters` meters × `days` days from `firstDay` (kept in `out` and reused).
 * `dayOffset` numbers the first day within the series, so a later file continues the same values.
 */
export async function generate({ meters, days, firstDay, out, dayOffset = 0, only }) {
  const tag = dayOffset ? `${meters}x${days}+${dayOffset}` : `${meters}x${days}`;
  const wide = join(out, `wide-${tag}.csv`);
  const narrow = join(out, `narrow-${tag}.csv`);
  let readings = 0;
  for (let d = 0; d < days; d++) readings += periods(addDays(firstDay, d)) * meters;
  if (only !== "narrow" && !existsSync(wide)) {
    await writeLines(wide, function* () {
      yield `MPAN,Date,${Array.from({ length: 50 }, (_, i) => `HH${String(i + 1).padStart(2, "0")}`).join(",")}\n`;
      for (let m = 0; m < meters; m++) {
        const id = mpan(m);
        for (let d = 0; d < days; d++) {
          const date = addDays(firstDay, d);
          const n = periods(date);
          const cells = [];
          for (let p = 1; p <= 50; p++) cells.push(p <= n ? value(m, d + dayOffset, p) : "");
          yield `${id},${date},${cells.join(",")}\n`;
        }
      }
    });
  }
  if (only !== "wide" && !existsSync(narrow)) {
    await writeLines(narrow, function* () {
      yield "MPAN,ReadDateTime,kWh\n";
      for (let m = 0; m < meters; m++) {
        const id = mpan(m);
        let lines = "";
        for (let d = 0; d < days; d++) {
          const date = addDays(firstDay, d);
          const start = dayStartUtc(date);
          const n = periods(date);
          for (let p = 1; p <= n; p++) {
            lines += `${id},${new Date(start + (p - 1) * 1_800_000).toISOString().slice(0, 19)}Z,${value(m, d + dayOffset, p)}\n`;
          }
          if (lines.length > 1 << 19) {
            yield lines;
            lines = "";
          }
        }
        yield lines;
      }
    });
  }
  return { wide, narrow, readings };
}

export async function api(base, cookie, method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      Cookie: cookie,
      Origin: base,
      ...(body && !(body instanceof Uint8Array) ? { "Content-Type": "application/json" } : {}),
      ...headers,
    },
    body: body instanceof Uint8Array ? body : body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.headers.get("Content-Type")?.includes("json") ? res.json() : res.text();
}

export async function runPipeline(base, cookie, file) {
  const size = statSync(file).size;
  const t0 = performance.now();
  const upload = await api(base, cookie, "POST", "/api/uploads", { fileName: file.split("/").pop(), size });
  const fd = readFileSync(file); // the benchmark machine has the memory; the Worker sees 10 MB parts
  // Three parts in flight, as the browser sends them.
  let next = 1;
  const sendParts = async () => {
    while (next <= upload.partCount) {
      const n = next++;
      const part = fd.subarray((n - 1) * upload.partSize, Math.min(size, n * upload.partSize));
      await api(base, cookie, "PUT", `/api/uploads/${upload.uploadId}/parts/${n}`, new Uint8Array(part), {
        "Content-Type": "application/octet-stream",
      });
    }
  };
  await Promise.all([sendParts(), sendParts(), sendParts()]);
  await api(base, cookie, "POST", `/api/uploads/${upload.uploadId}/complete`);
  const t1 = performance.now();
  const { batchId } = await api(base, cookie, "POST", "/api/import/jobs", { uploadId: upload.uploadId });
  let job;
  for (;;) {
    job = await api(base, cookie, "GET", `/api/import/jobs/${batchId}`);
    if (!["queued", "processing"].includes(job.status)) break;
    await sleep(250);
  }
  const t2 = performance.now();
  return { job, uploadS: (t1 - t0) / 1000, processS: (t2 - t1) / 1000, totalS: (t2 - t0) / 1000, size };
}
