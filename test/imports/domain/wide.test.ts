// Wide files: one meter-day per row. Fixture values are period p → p × 0.1 kWh, so a full day sums to
// 0.1 × n(n+1)/2: 48 periods 117.6, 46 periods 108.1, 50 periods 127.5 (checked by hand).
import { describe, expect, it } from "vitest";
import wideStart from "../../fixtures/imports/wide-start.csv?raw";
import wideEnd from "../../fixtures/imports/wide-end.csv?raw";
import wideNumber from "../../fixtures/imports/wide-number-status.csv?raw";
import { toInsertRows } from "../../../src/imports/domain";
import { presentPeriods, r6, runFile } from "./run";

const A = "1030006718997";
const B = "2499999999991";

const tenths = (from: number, to: number, firstPeriod = from) => {
  const out: Record<number, number> = {};
  for (let p = from; p <= to; p++) out[firstPeriod + p - from] = r6(p * 0.1);
  return out;
};

describe("wide files labelled by period start (00:00…23:30) with a Total column", () => {
  const run = runFile(wideStart);

  it("plans 48 start-labelled period columns and a total", () => {
    expect(run.plan.format).toBe("wide");
    expect(run.plan.periodLabelling).toBe("start");
    expect(run.plan.columns.periods).toHaveLength(48);
    expect(run.plan.columns.periods![0]).toEqual({ index: 2, period: 1, label: "00:00" });
    expect(run.plan.columns.total).toBe(50);
  });

  it("reads an ordinary day", () => {
    const day = run.acc.get(A, "2026-01-15")!;
    expect(day.kind).toBe("hh");
    expect(presentPeriods(day.periods)).toEqual(tenths(1, 48));
    expect(r6(day.total)).toBe(117.6);
  });

  it("takes the first 46 values on the 46-period day", () => {
    const day = run.acc.get(A, "2026-03-29")!;
    expect(presentPeriods(day.periods)).toEqual(tenths(1, 46));
    expect(r6(day.total)).toBe(108.1);
  });

  it("maps 48 clock-time columns on the 50-period day by clock time, leaving the GMT repeat missing", () => {
    // Columns 00:00–01:30 are periods 1–4 (BST); 02:00–23:30 are periods 7–50.
    const day = run.acc.get(A, "2026-10-25")!;
    expect(presentPeriods(day.periods)).toEqual({ ...tenths(1, 4), ...tenths(5, 48, 7) });
    expect(r6(day.total)).toBe(117.6);
    expect(run.warnings).toContainEqual(expect.objectContaining({ line: 4, code: "repeated_hour_missing" }));
  });

  it("warns when the periods do not add up to the Total column", () => {
    expect(run.warnings).toContainEqual({
      line: 5,
      code: "total_mismatch",
      message: "the periods sum to 117.6 kWh but the total column says 120",
    });
    expect(run.warnings).toHaveLength(2);
    expect(r6(run.acc.get(B, "2026-01-15")!.total)).toBe(117.6);
  });

  it("rejects 48 values on the 46-period day", () => {
    expect(run.errors).toEqual([
      {
        line: 6,
        code: "too_many_periods",
        message: "29 Mar 2026 has 46 half-hours (clocks go forward): this row has values for 48",
      },
    ]);
    expect(run.acc.get(B, "2026-03-29")).toBeUndefined();
    expect(run.rowsProcessed).toBe(5);
    expect(run.rowsValid).toBe(4);
  });
});

describe("wide files labelled by period end ([00:30]…[24:00])", () => {
  const run = runFile(wideEnd);

  it("detects end labels in brackets", () => {
    expect(run.plan.periodLabelling).toBe("end");
    expect(run.plan.columns.periods![47]).toEqual({ index: 49, period: 48, label: "[24:00]" });
  });

  it("reads a summer day and a spring day whose skipped-hour cells are blank", () => {
    expect(r6(run.acc.get("1312345678907", "2026-07-01")!.total)).toBe(117.6);
    const spring = run.acc.get("1312345678907", "2026-03-29")!;
    expect(presentPeriods(spring.periods)).toEqual(tenths(1, 46));
    expect(r6(spring.total)).toBe(108.1);
    expect(run.errors).toEqual([]);
  });
});

describe("wide files numbered HH01…HH50 with a status column beside each value", () => {
  const run = runFile(wideNumber);

  it("pairs each status column with its period", () => {
    expect(run.plan.periodLabelling).toBe("number");
    expect(run.plan.columns.periods).toHaveLength(50);
    expect(run.plan.columns.periodStatus).toHaveLength(50);
    expect(run.plan.columns.periodStatus![0]).toEqual({ index: 3, period: 1, label: "Status" });
  });

  it("sets estimated bits from E flags, past 32 bits too", () => {
    // Periods 1 and 33 are E: mask 2^0 + 2^32.
    const day = run.acc.get(A, "2026-01-15")!;
    expect(day.estimatedMask).toBe(1 + 2 ** 32);
    expect(r6(day.total)).toBe(117.6);
  });

  it("reads 50 periods on the long day and 46 on the short one", () => {
    const long = run.acc.get(A, "2026-10-25")!;
    expect(presentPeriods(long.periods)).toEqual(tenths(1, 50));
    expect(r6(long.total)).toBe(127.5);
    expect(long.estimatedMask).toBe(2 ** 49);
    const short = run.acc.get(A, "2026-03-29")!;
    expect(r6(short.total)).toBe(108.1);
    expect(short.estimatedMask).toBe(0);
  });

  it("rejects a whole row for one bad cell, naming the column", () => {
    expect(run.errors).toEqual([
      {
        line: 5,
        code: "too_many_periods",
        message:
          "HH47: 29 Mar 2026 has 46 half-hours (clocks go forward): this row has a value for period 47",
      },
      { line: 6, code: "not_a_number", message: 'HH02: "x" is not a number' },
    ]);
    expect(run.acc.get(B, "2026-01-16")).toBeUndefined();
  });
});

describe("a wide row's own cells become the day's JSON when they are plain kWh numbers", () => {
  const header = [
    "MPAN",
    "Date",
    ...Array.from({ length: 48 }, (_, i) => `HH${String(i + 1).padStart(2, "0")}`),
  ];
  const row = (date: string, first: string, second: string) => [
    A,
    date,
    first,
    second,
    ...Array(46).fill("1"),
  ];
  const days = (text: string, options = {}) => {
    const run = runFile(text, options);
    expect(run.errors).toEqual([]);
    return new Map(toInsertRows(run.acc).halfHourly.map((r) => [r[1], r]));
  };

  it("keeps the cells as written (trailing zeros, exponents) and writes null for a blank", () => {
    const rows = days(
      [header, row("2026-01-15", "0.340", ""), row("2026-01-16", "2.5e-1", "0")]
        .map((r) => r.join(","))
        .join("\n"),
    );
    // 0.34 + 46 × 1 = 46.34 over 47 periods; 0.25 + 0 + 46 = 46.25 over 48.
    expect(rows.get("2026-01-15")).toEqual([
      A,
      "2026-01-15",
      46.34,
      47,
      0,
      `[0.340,null,${"1,".repeat(45)}1]`,
    ]);
    expect(rows.get("2026-01-16")).toEqual([A, "2026-01-16", 46.25, 48, 0, `[2.5e-1,0,${"1,".repeat(45)}1]`]);
  });

  it("formats the numbers itself when a cell is not strict JSON", () => {
    // "+1" and "007" are numbers to the parser but not JSON numbers.
    const rows = days([header, row("2026-01-15", "+1", "007")].map((r) => r.join(",")).join("\n"));
    expect(rows.get("2026-01-15")).toEqual([A, "2026-01-15", 54, 48, 0, [1, 7, ...Array(46).fill(1)]]);
  });

  it("formats the numbers itself for decimal commas", () => {
    const rows = days([header, row("2026-01-15", "0,5", "1,25")].map((r) => r.join(";")).join("\n"));
    expect(rows.get("2026-01-15")).toEqual([
      A,
      "2026-01-15",
      47.75,
      48,
      0,
      [0.5, 1.25, ...Array(46).fill(1)],
    ]);
  });

  it("formats the numbers itself when a unit column scales them", () => {
    const withUnit = [
      ["MPAN", "Date", "Unit", ...header.slice(2)],
      [A, "2026-01-15", "Wh", ...row("", "500", "250").slice(2)],
    ];
    const rows = days(withUnit.map((r) => r.join(",")).join("\n"));
    // 0.5 + 0.25 + 46 × 0.001 = 0.796
    const [, , total, count, , periods] = rows.get("2026-01-15")!;
    expect([r6(total), count, periods]).toEqual([0.796, 48, [0.5, 0.25, ...Array(46).fill(0.001)]]);
  });
});
