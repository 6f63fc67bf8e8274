// Narrow files: one reading per row. Expected numbers are read off the fixtures by hand; periods follow
// the 2026 clock changes (29 March: 46 periods, 25 October: 50; the last Sundays of March and October).
import { describe, expect, it } from "vitest";
import basic from "../../fixtures/imports/narrow-basic.csv?raw";
import autumnLocal from "../../fixtures/imports/narrow-autumn-local.csv?raw";
import autumnOffset from "../../fixtures/imports/narrow-autumn-offset.csv?raw";
import spring from "../../fixtures/imports/narrow-spring.csv?raw";
import semicolon from "../../fixtures/imports/narrow-semicolon.csv?raw";
import startEnd from "../../fixtures/imports/narrow-start-end.csv?raw";
import textualDates from "../../fixtures/imports/narrow-textual-dates.csv?raw";
import { DayAccumulator, parseRows } from "../../../src/imports/domain";
import { presentPeriods, runFile } from "./run";

const A = "1030006718997";
const B = "2499999999991";

describe("narrow files", () => {
  it("reads timestamp rows into meter-days with status flags and reports bad rows by file line", () => {
    // narrow-basic.csv: A on 15 Jan = 1.5 + 2.25 (E) + 0.75 = 4.5; B on 1 Jul = 4 + 5 (Estimated, period 48) = 9.
    const run = runFile(basic);
    expect(run.plan.format).toBe("narrow");
    expect(run.plan.columns).toMatchObject({ meter: 0, timestamp: 1, value: 2, status: 3 });
    const a = run.acc.get(A, "2026-01-15")!;
    expect(presentPeriods(a.periods)).toEqual({ 1: 1.5, 2: 2.25, 3: 0.75 });
    expect(a.total).toBe(4.5);
    expect(a.estimatedMask).toBe(2);
    const b = run.acc.get(B, "2026-07-01")!;
    expect(presentPeriods(b.periods)).toEqual({ 1: 4, 48: 5 });
    expect(b.total).toBe(9);
    expect(b.estimatedMask).toBe(2 ** 47);
    expect(run.acc.size).toBe(2);
    expect(run.rowsProcessed).toBe(12); // 13 data lines, one blank
    expect(run.rowsValid).toBe(5);
    expect(run.errors.map((e) => [e.line, e.code])).toEqual([
      [8, "bad_mpan"],
      [9, "misaligned_time"],
      [10, "negative_value"],
      [11, "not_a_number"],
      [12, "bad_date"],
      [13, "value_out_of_range"],
      [14, "missing_meter"],
    ]);
    expect(run.errors[0].message).toBe("MPAN 2499999999990: check digit 0 is wrong (expected 1)");
  });

  it("takes the repeated autumn hour without offsets in order of appearance per meter: BST, then GMT", () => {
    // 00:00, 00:30, 01:00, 01:30, 01:00, 01:30, 02:00, 02:30 on 25 Oct 2026 are periods 1–8; A's values 1–8, B's 10–80.
    const run = runFile(autumnLocal);
    const a = run.acc.get(A, "2026-10-25")!;
    expect(presentPeriods(a.periods)).toEqual({ 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8 });
    expect(a.total).toBe(36);
    const b = run.acc.get(B, "2026-10-25")!;
    expect(presentPeriods(b.periods)).toEqual({ 1: 10, 2: 20, 3: 30, 4: 40, 5: 50, 6: 60, 7: 70, 8: 80 });
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
  });

  it("places +01:00 and +00:00 readings of the repeated hour absolutely, whatever their order", () => {
    // 01:00+00:00 = 01:00Z = period 5; 01:30+00:00 = period 6; 01:00+01:00 = 00:00Z = period 3; 01:30+01:00 = period 4;
    // 00:00Z is period 3 again (3.5 replaces 3, with a warning); 24 Oct 23:00Z = 00:00 BST = period 1.
    const run = runFile(autumnOffset);
    const a = run.acc.get(A, "2026-10-25")!;
    expect(presentPeriods(a.periods)).toEqual({ 1: 1, 3: 3.5, 4: 4, 5: 5, 6: 6 });
    expect(a.total).toBe(19.5);
    expect(run.warnings.map((w) => [w.line, w.code])).toEqual([[6, "duplicate_reading"]]);
  });

  it("has no 01:00 on the spring day; 02:00 BST is period 3 and 23:30 is period 46", () => {
    const run = runFile(spring);
    const day = run.acc.get("1312345678907", "2026-03-29")!;
    expect(presentPeriods(day.periods)).toEqual({ 1: 1, 2: 2, 3: 3, 46: 4 });
    expect(day.total).toBe(10);
    expect(run.errors.map((e) => [e.line, e.code])).toEqual([[4, "nonexistent_time"]]);
  });

  it("reads a ;-separated file with decimal commas, a preamble, date + time columns and end labels", () => {
    // Header on line 5; end labels 00:30, 01:00, 24:00 are periods 1, 2, 48: 1.5 + 0.25 + 2 = 3.75 kWh.
    const run = runFile(semicolon, { timestampLabels: "end" });
    expect(run.plan).toMatchObject({ delimiter: ";", decimalComma: true, headerLine: 5, unitFactor: 1 });
    expect(run.plan.columns).toMatchObject({ meter: 0, date: 1, time: 2, value: 3 });
    const day = run.acc.get(A, "2026-01-15")!;
    expect(presentPeriods(day.periods)).toEqual({ 1: 1.5, 2: 0.25, 48: 2 });
    expect(day.total).toBe(3.75);
  });

  it("reads Start and End columns exactly and converts Wh from the header", () => {
    // 1500 Wh + 500 Wh = 2 kWh; the 45-minute row on line 4 is rejected.
    const run = runFile(startEnd);
    expect(run.plan.unitFactor).toBe(0.001);
    expect(run.plan.columns).toMatchObject({ start: 1, end: 2 });
    const day = run.acc.get("2200012767323", "2026-01-15")!;
    expect(presentPeriods(day.periods)).toEqual({ 1: 1.5, 2: 0.5 });
    expect(run.errors.map((e) => [e.line, e.code, e.message])).toEqual([
      [4, "misaligned_time", "start to end is 45 minutes, not a half-hour"],
    ]);
  });

  it("reads '26 Aug 2019 00:30:00' and 'Nov 13 2019 12:00AM' style timestamps as local times", () => {
    const run = runFile(textualDates);
    expect(run.plan.format).toBe("narrow");
    expect(presentPeriods(run.acc.get("2000006183919", "2019-08-26")!.periods)).toEqual({ 2: 1.25 });
    expect(presentPeriods(run.acc.get("2000006183919", "2019-11-13")!.periods)).toEqual({ 1: 2.5, 26: 0.5 });
  });

  it("numbers lines by file line across chunks", () => {
    // Parse narrow-basic.csv in two chunks: rows of lines 2–7 and 8–14; errors keep their file lines.
    const whole = runFile(basic);
    const { plan } = whole;
    const lines = basic.split("\n");
    const rows = (from: number, to: number) => lines.slice(from - 1, to).map((l) => l.split(","));
    const acc = new DayAccumulator();
    const first = parseRows(plan, rows(2, 7), 2, acc);
    const second = parseRows(plan, rows(8, 14), 8, acc);
    expect(first.errors).toEqual([]);
    expect(second.errors.map((e) => e.line)).toEqual([8, 9, 10, 11, 12, 13, 14]);
    expect(acc.get(A, "2026-01-15")!.total).toBe(4.5);
  });
});
