// The wide fast split (src/imports/domain/split.ts) must give exactly what papaparse + parseRows give:
// the same counts, errors and warnings, and the same readings to the bit.
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  DayAccumulator,
  FastSplit,
  parseRows,
  sniff,
  type ImportPlan,
  type ParseResult,
} from "../../../src/imports/domain";
import { PLAIN } from "../../../src/imports/domain/split";
import { jsonChunks } from "../../../src/readings/store";

const A = "1030006718997";
const B = "2499999999991";

function planOf(text: string): ImportPlan {
  const sniffed = sniff(text, {});
  if (!sniffed.ok) throw new Error(sniffed.error.message);
  return JSON.parse(JSON.stringify(sniffed.plan)) as ImportPlan;
}

/** The rows after the header, as the pipeline hands a range's text to the parser. */
function bodyOf(text: string, plan: ImportPlan): string {
  let at = 0;
  for (let i = 0; i < plan.headerLine; i++) at = text.indexOf("\n", at) + 1;
  return text.slice(at);
}

type Outcome = { result: ParseResult; days: unknown[] };

function outcome(plan: ImportPlan, rows: string[][], split?: FastSplit): Outcome {
  const acc = new DayAccumulator();
  const result = parseRows(plan, rows, plan.headerLine + 1, acc, {}, split);
  const days = [...acc.days()].map((d) => ({
    meter: d.meter,
    date: d.date,
    kind: d.kind,
    // Object.is keeps NaN (missing) and -0 apart from 0: the same bits, not only the same values.
    periods: Array.from(d.periods, (v) => (Object.is(v, -0) ? "-0" : Number.isNaN(v) ? "NaN" : v)),
    estimatedMask: d.estimatedMask,
    total: d.total,
    json: d.periodsJson,
  }));
  return { result, days };
}

function both(text: string): { papa: Outcome; fast: Outcome; split: FastSplit; rows: string[][] } {
  const plan = planOf(text);
  const body = bodyOf(text, plan);
  const split = FastSplit.forPlan(plan)!;
  const rows = split.split(body);
  if (!rows) throw new Error("the fast split declined the text");
  const papaRows = Papa.parse<string[]>(body, { delimiter: plan.delimiter, skipEmptyLines: false }).data;
  expect(rows.map((r) => r.map((c) => (c === PLAIN ? "#" : c)))).toEqual(
    papaRows.map((r, i) => r.map((c, k) => (rows[i]?.[k] === PLAIN ? "#" : c))),
  );
  return { papa: outcome(plan, papaRows), fast: outcome(plan, rows, split), split, rows };
}

/** JSON the fast path left out must be what the papaparse path wrote, as numbers. */
function sameDays(fast: Outcome, papa: Outcome) {
  expect(fast.result).toEqual(papa.result);
  expect(fast.days.length).toBe(papa.days.length);
  fast.days.forEach((f, i) => {
    const p = papa.days[i] as { json?: string; periods: unknown[] };
    const { json, ...rest } = f as { json?: string };
    const { json: papaJson, ...papaRest } = p;
    expect(rest).toEqual(papaRest);
    if (json !== undefined) expect(json).toBe(papaJson);
  });
}

const timeHeader = Array.from({ length: 48 }, (_, i) => {
  const m = i * 30;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
});

describe("the wide fast split", () => {
  it("reads plain cells as numbers and keeps a row's period cells as its JSON", () => {
    const values = Array.from({ length: 48 }, (_, i) => (i === 3 ? "0" : `${i}.125`));
    const text = `MPAN,Date,${timeHeader.join(",")}\r\n${A},2025-01-15,${values.join(",")}\r\n`;
    const { fast, papa, split, rows } = both(text);
    expect(rows).toHaveLength(2); // the line, and papaparse's empty last row
    expect(rows[0].slice(0, 4)).toEqual([A, "2025-01-15", PLAIN, PLAIN]);
    expect(rows[1]).toEqual([""]);
    expect(split.values[split.stride * 0 + 2 + 1]).toBe(1.125);
    expect(fast.days).toHaveLength(1);
    const day = fast.days[0] as { json: string; total: number };
    expect(day.json).toBe(`[${values.join(",")}]`);
    expect(day.total).toBe((papa.days[0] as { total: number }).total);
    sameDays(fast, papa);
  });

  it("keeps a day's JSON when a file's columns for 50 periods end in blanks on shorter days", () => {
    const header = `MPAN,Date,${Array.from({ length: 50 }, (_, i) => `HH${String(i + 1).padStart(2, "0")}`).join(",")}`;
    const cells = (n: number) => Array.from({ length: n }, (_, i) => `${i}.5`);
    const line = (date: string, values: string[]) =>
      `${A},${date},${[...values, ...Array(50 - values.length).fill("")].join(",")}`;
    const gap = cells(48);
    gap[10] = "";
    const text = [
      header,
      line("2025-01-15", cells(48)),
      line("2025-03-30", cells(46)), // clocks go forward: 46 periods
      line("2025-10-26", cells(50)), // clocks go back: 50
      line("2025-01-16", gap), // a missing half-hour: no JSON from the cells
    ].join("\n");
    const { fast, papa } = both(text);
    expect(fast.days.map((d) => (d as { json?: string }).json)).toEqual([
      `[${cells(48).join(",")}]`,
      `[${cells(46).join(",")}]`,
      `[${cells(50).join(",")}]`,
      undefined,
    ]);
    sameDays(fast, papa);
  });

  it("leaves cells that are not plain JSON numbers as text, for the parser's own checks and messages", () => {
    const cells = ["1e2", " 1.5", "007", "1.", ".5", "+2", "1234567890123456", "-0.5", "abc"];
    for (const cell of cells) {
      const values = Array.from({ length: 48 }, (_, i) => (i === 5 ? cell : "1.5"));
      const text = `MPAN,Date,${timeHeader.join(",")}\n${A},2025-01-15,${values.join(",")}\n`;
      const { fast, papa, rows } = both(text);
      expect(rows[0][7]).toBe(cell);
      expect((fast.days[0] as { json?: string } | undefined)?.json).toBeUndefined();
      sameDays(fast, papa);
    }
  });

  it("declines text papaparse reads differently: quotes, and a CR that does not end a line", () => {
    const plan = planOf(`MPAN,Date,${timeHeader.join(",")}\n${A},2025-01-15,${"1,".repeat(47)}1\n`);
    const split = FastSplit.forPlan(plan)!;
    expect(split.split(`"${A}",2025-01-15,1\n`)).toBeUndefined();
    expect(split.split(`${A},2025-01-15,1\r${A},2025-01-16,1\r\n`)).toBeUndefined();
    expect(split.split(`${A},2025-01-15,1\r\n${A},2025-01-16,1\n`)).toBeUndefined();
    expect(split.split("")).toEqual([]);
    expect(FastSplit.forPlan({ ...plan, decimalComma: true })).toBeUndefined();
    expect(FastSplit.forPlan({ ...plan, format: "narrow" })).toBeUndefined();
  });

  it("gives papaparse's results on random wide files, clock-change days and bad cells included", () => {
    const cell = fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 0, max: 99999 }).map((n) => (n / 1000).toString()) },
      { weight: 2, arbitrary: fc.constant("") },
      { weight: 1, arbitrary: fc.constantFrom("0", "12", " 2", "1e1", "-1", "0.10", "00", "x", "1.", "5.0") },
    );
    const row = fc.record({
      meter: fc.constantFrom(A, B, "", "12"),
      date: fc.constantFrom("2025-01-15", "2025-03-30", "2025-10-26", "2025-13-01", "15/01/2025"),
      cells: fc.array(cell, { minLength: 44, maxLength: 52 }),
      blankLine: fc.boolean(),
    });
    const file = fc.record({
      numbered: fc.boolean(),
      total: fc.boolean(),
      crlf: fc.boolean(),
      trailing: fc.boolean(),
      rows: fc.array(row, { minLength: 1, maxLength: 12 }),
    });
    fc.assert(
      fc.property(file, (f) => {
        const labels = f.numbered ? Array.from({ length: 48 }, (_, i) => String(i + 1)) : timeHeader;
        const eol = f.crlf ? "\r\n" : "\n";
        const lines = [`MPAN,Date,${labels.join(",")}${f.total ? ",Total" : ""}`];
        for (const r of f.rows) {
          if (r.blankLine) lines.push("");
          lines.push([r.meter, r.date, ...r.cells].join(","));
        }
        // Sniffing needs one good row after the header: the first row is made one.
        lines.splice(1, 0, `${A},2025-01-14,${Array(48).fill("0.5").join(",")}${f.total ? ",24" : ""}`);
        const text = lines.join(eol) + (f.trailing ? eol : "");
        const { fast, papa } = both(text);
        sameDays(fast, papa);
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});

describe("the fast split of other files' cells", () => {
  /** A narrow (or daily) file's rows by the text split and by papaparse: the same cells, then the same results. */
  function cellsBoth(text: string) {
    const plan = planOf(text);
    const body = bodyOf(text, plan);
    const rows = FastSplit.cellsOf(plan).split(body);
    if (!rows) throw new Error("the fast split declined the text");
    const papaRows = Papa.parse<string[]>(body, { delimiter: plan.delimiter, skipEmptyLines: false }).data;
    expect(rows).toEqual(papaRows);
    return { plan, rows, papa: outcome(plan, papaRows), fast: outcome(plan, rows) };
  }

  it("gives a narrow file's cells as text, as papaparse does", () => {
    const text = `MPAN,Timestamp,kWh\r\n${A},2025-01-15T00:00:00Z,1.5\r\n\r\n${B},2025-01-15T00:30:00Z, 2\r\n`;
    const { plan, rows, fast, papa } = cellsBoth(text);
    expect(plan.format).toBe("narrow");
    expect(rows).toEqual([[A, "2025-01-15T00:00:00Z", "1.5"], [""], [B, "2025-01-15T00:30:00Z", " 2"], [""]]);
    expect(fast).toEqual(papa);
    expect(fast.result.rowsValid).toBe(2);
  });

  it("declines a piece starting with a byte-order mark, which papaparse drops", () => {
    const plan = planOf(`MPAN,Timestamp,kWh\n${A},2025-01-15T00:00:00Z,1.5\n`);
    expect(FastSplit.cellsOf(plan).split(`\ufeff${A},2025-01-15T00:00:00Z,1.5\n`)).toBeUndefined();
    expect(FastSplit.cellsOf(plan).split(`"${A}",2025-01-15T00:00:00Z,1.5\n`)).toBeUndefined();
  });

  it("gives papaparse's results on random narrow and daily files, bad cells included", () => {
    const row = fc.record({
      meter: fc.constantFrom(A, A, B, "", "12", ` ${A}`),
      day: fc.integer({ min: 1, max: 28 }),
      slot: fc.integer({ min: 0, max: 47 }),
      value: fc.oneof(
        fc.integer({ min: 0, max: 9999 }).map((n) => (n / 1000).toString()),
        fc.constantFrom("", "x", "-1", "1e2", " 3 "),
      ),
      extra: fc.boolean(),
      blankLine: fc.boolean(),
    });
    const file = fc.record({
      daily: fc.boolean(),
      delimiter: fc.constantFrom(",", ";", "\t"),
      crlf: fc.boolean(),
      trailing: fc.boolean(),
      rows: fc.array(row, { minLength: 1, maxLength: 15 }),
    });
    fc.assert(
      fc.property(file, (f) => {
        const eol = f.crlf ? "\r\n" : "\n";
        const d = f.delimiter;
        const when = (day: number, slot: number) =>
          f.daily
            ? `2025-02-${String(day).padStart(2, "0")}`
            : `2025-02-${String(day).padStart(2, "0")}T${String(Math.floor(slot / 2)).padStart(2, "0")}:${slot % 2 ? "30" : "00"}:00Z`;
        const lines = [["MPAN", f.daily ? "Date" : "Timestamp", "kWh"].join(d)];
        // Sniffing needs good rows after the header.
        for (const slot of [0, 1, 2]) lines.push([A, when(1, slot), "0.5"].join(d));
        for (const r of f.rows) {
          if (r.blankLine) lines.push("");
          lines.push([r.meter, when(r.day, r.slot), r.value, ...(r.extra ? [""] : [])].join(d));
        }
        const text = lines.join(eol) + (f.trailing ? eol : "");
        const { fast, papa } = cellsBoth(text);
        expect(fast).toEqual(papa);
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });
});

describe("jsonChunks", () => {
  it("packs rows into JSON arrays no longer than the limit, in order", () => {
    const rows = [
      [1, "a"],
      [22, "bb"],
      [333, "ccc"],
      [4, "d"],
    ];
    const chunks = jsonChunks(rows, 20);
    expect(chunks).toEqual(['[[1,"a"],[22,"bb"]]', '[[333,"ccc"]]', '[[4,"d"]]']);
    expect(chunks.every((c) => c.length <= 20)).toBe(true);
    expect(chunks.flatMap((c) => JSON.parse(c) as unknown[])).toEqual(rows);
    expect(jsonChunks([], 20)).toEqual([]);
    // A row longer than the limit still goes, alone.
    expect(jsonChunks([[123456789, "long"]], 10)).toEqual(['[[123456789,"long"]]']);
  });
});
