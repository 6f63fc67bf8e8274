// The benchmark's reading files: N meters × D days of half-hourly kWh from 1 January 2025 (the year holds
// both clock changes, 30 March and 26 October), wide (one row per meter-day) or narrow (one per half-hour).
// The values are a fixed function of meter, day and period, so a run can check what was stored.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

export const FIRST_DAY = "2025-01-01";
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
export function periods(date) {
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

export function readingsIn(meters, days) {
  let readings = 0;
  for (let d = 0; d < days; d++) readings += periods(addDays(FIRST_DAY, d)) * meters;
  return readings;
}

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

/** `firstDay` > 0 continues the series: a file of the days after an earlier one (bench:aggregate's new day). */
export function writeWide(path, meters, days, firstDay = 0) {
  return writeLines(path, function* () {
    yield `MPAN,Date,${Array.from({ length: 50 }, (_, i) => `HH${String(i + 1).padStart(2, "0")}`).join(",")}\n`;
    for (let m = 0; m < meters; m++) {
      const id = mpan(m);
      for (let d = firstDay; d < firstDay + days; d++) {
        const date = addDays(FIRST_DAY, d);
        const n = periods(date);
        const cells = [];
        for (let p = 1; p <= 50; p++) cells.push(p <= n ? value(m, d, p) : "");
        yield `${id},${date},${cells.join(",")}\n`;
      }
    }
  });
}

export function writeNarrow(path, meters, days) {
  return writeLines(path, function* () {
    yield "MPAN,ReadDateTime,kWh\n";
    for (let m = 0; m < meters; m++) {
      const id = mpan(m);
      let lines = "";
      for (let d = 0; d < days; d++) {
        const date = addDays(FIRST_DAY, d);
        const start = dayStartUtc(date);
        const n = periods(date);
        for (let p = 1; p <= n; p++) {
          lines += `${id},${new Date(start + (p - 1) * 1_800_000).toISOString().slice(0, 19)}Z,${value(m, d, p)}\n`;
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
