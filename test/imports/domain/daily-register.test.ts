// Daily totals and cumulative register reads. Expected numbers read off the fixtures by hand.
import { describe, expect, it } from "vitest";
import dailyNoise from "../../fixtures/imports/daily-noise.csv?raw";
import register from "../../fixtures/imports/register.csv?raw";
import Papa from "papaparse";
import { DayAccumulator, parseRows, registerWrap, toInsertRows } from "../../../src/imports/domain";
import { runFile } from "./run";

const A = "1030006718997";

describe("daily files with noise (BOM, sep=, CRLF, quotes, blank line, unit column)", () => {
  const run = runFile(dailyNoise);

  it("plans a daily import with the header on line 2", () => {
    expect(run.plan).toMatchObject({ format: "daily", delimiter: ",", headerLine: 2, decimalComma: false });
    expect(run.plan.columns).toMatchObject({ meter: 0, date: 1, value: 2, unit: 3 });
  });

  it("reads every date format and converts Wh and MWh per row", () => {
    const totals = [...run.acc.days()].map((d) => [d.date, d.total, d.kind]);
    expect(totals).toEqual([
      ["2026-01-01", 12.5, "daily"],
      ["2026-01-02", 13.5, "daily"], // 13500 Wh
      ["2026-01-03", 14, "daily"], // 0.014 MWh, DD/MM/YY
      ["2026-01-04", 15, "daily"],
      ["2026-01-05", 16, "daily"],
      ["2026-01-06", 17, "daily"],
      ["2026-01-07", 18, "daily"],
      ["2026-01-09", 21, "daily"], // a full 21-character MPAN, stored by its core
    ]);
    expect([...run.acc.days()].every((d) => d.meter === A)).toBe(true);
  });

  it("reports bad rows on their file lines, counting the sep= line and skipping the blank one", () => {
    expect(run.errors.map((e) => [e.line, e.code])).toEqual([
      [11, "bad_date"],
      [12, "bad_unit"],
      [14, "bad_mpan"],
      [15, "value_out_of_range"],
    ]);
    expect(run.errors[0].message).toBe('date "31/02/2026" is not a valid date');
    expect(run.rowsProcessed).toBe(12);
    expect(run.rowsValid).toBe(8);
  });

  it("formats the days for a bulk insert", () => {
    const { halfHourly, daily } = toInsertRows(run.acc);
    expect(halfHourly).toEqual([]);
    expect(daily[0]).toEqual([A, "2026-01-01", 12.5, 0]);
  });
});

describe("cumulative register reads", () => {
  it("turns reads into daily consumption with a roll-over and spreads gaps over the days", () => {
    // 99900 baseline; 99950 → 50 on 2 Jan; 40 rolls over at 100000 → 50 + 40 = 90 on 3 Jan;
    // 100 on 6 Jan → 60 over 4–6 Jan = 20 a day (estimated); 5 Jan after 6 Jan is rejected.
    // 7654321: 500 baseline, 512.5 → 12.5 on 2 Jan.
    const run = runFile(register, { format: "register" });
    expect(run.plan.format).toBe("register");
    const days = [...run.acc.days()].map((d) => [d.meter, d.date, d.total, d.estimatedMask]);
    expect(days).toEqual([
      ["1234567", "2026-01-02", 50, 0],
      ["1234567", "2026-01-03", 90, 0],
      ["1234567", "2026-01-04", 20, 1],
      ["1234567", "2026-01-05", 20, 1],
      ["1234567", "2026-01-06", 20, 1],
      ["7654321", "2026-01-02", 12.5, 0],
    ]);
    expect(run.errors).toEqual([
      {
        line: 6,
        code: "register_backwards",
        message: "read dated 2026-01-05 is not after the previous read of 1234567 (2026-01-06, line 5)",
      },
    ]);
    expect(run.rowsValid).toBe(6);
  });

  it("detects a Register header in auto mode and chains reads across chunks", () => {
    const auto = runFile(register);
    expect(auto.plan.format).toBe("register");
    const rows = Papa.parse<string[]>(register.split("\n").slice(1).join("\n"), { delimiter: "," }).data;
    const acc = new DayAccumulator();
    parseRows(auto.plan, rows.slice(0, 2), 2, acc);
    parseRows(auto.plan, rows.slice(2), 4, acc);
    expect(acc.get("1234567", "2026-01-03")!.total).toBe(90);
  });

  it("wraps at the next power of ten above the previous read", () => {
    expect(registerWrap(99950)).toBe(100000);
    expect(registerWrap(100000)).toBe(1000000);
    expect(registerWrap(5)).toBe(10);
  });
});
