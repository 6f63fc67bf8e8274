// Real supplier and portal layouts (issue 11), each a small fixture whose figures are worked out by hand
// in the comment above its test. Volume conversion: kWh = m³ × 1.02264 × CV ÷ 3.6 (CV in MJ/m³; 39.5 by
// default, so 1 m³ = 11.220633 kWh); a cubic foot is 0.0283168 m³ and hcf 100 cubic feet.
import { describe, expect, it } from "vitest";
import endLabelled from "../../fixtures/imports/end-labelled.csv?raw";
import gasM3 from "../../fixtures/imports/gas-m3.csv?raw";
import whNoUnit from "../../fixtures/imports/wh-no-unit.csv?raw";
import usDates from "../../fixtures/imports/daily-us-dates.csv?raw";
import fifteen from "../../fixtures/imports/fifteen-minute.csv?raw";
import headerless from "../../fixtures/imports/headerless-wide.csv?raw";
import meterByContent from "../../fixtures/imports/wide-meter-by-content.csv?raw";
import stark from "../../fixtures/imports/stark-df2.txt?raw";
import twoValues from "../../fixtures/imports/two-value-columns.csv?raw";
import { decodeText, detectBinary, encodingOf, sniff, type SniffOptions } from "../../../src/imports/domain";
import { presentPeriods, r6, runFile } from "./run";

const A = "1030006718997";
const B = "2499999999991";
const GAS = "7654321";

const total = (run: ReturnType<typeof runFile>, meter: string, date: string) =>
  r6(run.acc.get(meter, date)!.total);

describe("timestamps that label the end of each half-hour", () => {
  // end-labelled.csv: A reads p/100 kWh at 26 Aug 2019 00:30 + (p-1) half-hours, p = 1…48, so period p of
  // 26 Aug holds p/100 and the day sums to (1+…+48)/100 = 11.76; B reads 0.5 × 48 = 24.
  it("detects them from the data (runs start at 00:30 and end at 00:00) and keeps each day whole", () => {
    const run = runFile(endLabelled);
    expect(run.plan).toMatchObject({ timestampLabels: "end", timestampLabelsSource: "detected" });
    const a = run.acc.get(A, "2019-08-26")!;
    expect(Object.keys(presentPeriods(a.periods)).length).toBe(48);
    expect([r6(a.periods[0]), r6(a.periods[47]), r6(a.total)]).toEqual([0.01, 0.48, 11.76]);
    expect(total(run, B, "2019-08-26")).toBe(24);
    expect(run.acc.get(A, "2019-08-27")).toBeUndefined();
    expect(run.errors).toEqual([]);
  });

  it("still obeys timestampLabels=start", () => {
    // Start labels: 00:30 is period 2, so 26 Aug holds 0.01…0.47 (11.28) and 27 Aug period 1 holds 0.48.
    const run = runFile(endLabelled, { timestampLabels: "start" });
    expect(run.plan.timestampLabelsSource).toBe("option");
    expect(total(run, A, "2019-08-26")).toBe(11.28);
    expect(presentPeriods(run.acc.get(A, "2019-08-27")!.periods)).toEqual({ 1: 0.48 });
  });
});

describe("gas volume", () => {
  // gas-m3.csv (Octopus): 0.1 and 0.2 m³ in periods 1 and 2 of 15 Jan 2026.
  it("recognises m³ in the header and converts with the default calorific value 39.5", () => {
    const run = runFile(gasM3, { meter: GAS });
    expect(run.plan).toMatchObject({ unit: "m3", m3PerUnit: 1, format: "narrow" });
    // 0.1 × 1.02264 × 39.5 ÷ 3.6 = 1.122063; 0.2 × … = 2.244127
    expect(presentPeriods(run.acc.get(GAS, "2026-01-15")!.periods)).toEqual({ 1: 1.122063, 2: 2.244127 });
  });

  it("uses the meter's calorific value", () => {
    // CV 40: 0.1 × 1.02264 × 40 ÷ 3.6 = 1.136267; 0.2 × … = 2.272533
    const run = runFile(gasM3, { meter: GAS }, undefined, { calorificValue: () => 40 });
    expect(presentPeriods(run.acc.get(GAS, "2026-01-15")!.periods)).toEqual({ 1: 1.136267, 2: 2.272533 });
  });

  it.each([
    ["Consumption (ft³)", "ft3", 31.773243], // 100 ft³ = 2.83168 m³ × 11.2206333 = 31.773243 kWh
    ["100s of cubic feet", "hcf", 3177.3243], // 100 hcf = 283.168 m³
    ["Usage (hcf)", "hcf", 3177.3243],
    ["Volume (cubic metres)", "m3", 1122.063333], // 100 m³
  ])("reads %s as %s", (header, unit, kwh) => {
    const run = runFile(`MPRN,Date,${header}\n${GAS},2026-01-15,100\n`);
    expect(run.plan.unit).toBe(unit);
    expect(total(run, GAS, "2026-01-15")).toBe(kwh);
  });
});

describe("the unit option", () => {
  it("reads a file in Wh whose unit is written nowhere", () => {
    // wh-no-unit.csv: 1500 and 2250 Wh are 1.5 and 2.25 kWh.
    const run = runFile(whNoUnit, { meter: A, unit: "Wh" });
    expect(presentPeriods(run.acc.get(A, "2026-01-15")!.periods)).toEqual({ 1: 1.5, 2: 2.25 });
    // Without it the figures are kWh as written (the pipeline then warns of a unit slip against stored days).
    expect(total(runFile(whNoUnit, { meter: A }), A, "2026-01-15")).toBe(3750);
  });
});

describe("date order", () => {
  // daily-us-dates.csv: 10/13/2012 proves month-first, so 11/1/2012 is 1 November, not 11 January.
  it("is decided from every date before any row is read", () => {
    const run = runFile(usDates);
    expect(run.plan).toMatchObject({ dateOrder: "mdy", dateOrderSource: "file", notes: [] });
    expect([...run.acc.days()].map((d) => [d.date, d.total])).toEqual([
      ["2012-10-13", 12.5],
      ["2012-11-01", 7],
      ["2012-11-02", 8],
    ]);
    expect(run.errors).toEqual([]);
  });

  it("defaults to day-first with a note when no date tells, and obeys dateOrder", () => {
    const text = `MPAN,Date,kWh\n${A},01/02/2012,5\n`;
    const run = runFile(text);
    expect(run.plan).toMatchObject({ dateOrder: "dmy", dateOrderSource: "assumed" });
    expect(run.plan.notes.map((n) => n.code)).toEqual(["date_order_assumed"]);
    expect(total(run, A, "2012-02-01")).toBe(5);
    expect(total(runFile(text, { dateOrder: "mdy" }), A, "2012-01-02")).toBe(5);
  });

  it("refuses dates that prove both orders", () => {
    const result = sniff(`MPAN,Date,kWh\n${A},13/01/2012,5\n${A},01/13/2012,5\n`);
    expect(result).toMatchObject({ ok: false, error: { code: "date_order_conflict" } });
  });
});

describe("readings more or less often than half-hourly", () => {
  // fifteen-minute.csv: 00:00 0.1 + 00:15 0.2 = period 1: 0.3; 00:30 alone (00:45 missing): period 2 left
  // out; 01:00 0.4 + 01:15 0.5 = period 3: 0.9. Day total 1.2.
  it("sums 15-minute readings into half-hours that have every interval", () => {
    const run = runFile(fifteen, { meter: A });
    expect(run.plan).toMatchObject({ intervalMinutes: 15, columns: { value: 0, start: 1, end: 2 } });
    expect(presentPeriods(run.acc.get(A, "2026-01-15")!.periods)).toEqual({ 1: 0.3, 3: 0.9 });
    expect(total(run, A, "2026-01-15")).toBe(1.2);
    expect(run.incomplete).toEqual([{ meter: A, date: "2026-01-15", period: 2, seen: 1, of: 2 }]);
  });

  it.each([1, 5, 10])("sums %i-minute readings", (minutes) => {
    // One half-hour of 30/minutes readings of 0.1 kWh each: 3 kWh for 1-minute data, 0.6 for 5, 0.3 for 10.
    const rows = Array.from(
      { length: 30 / minutes },
      (_, i) => `2026-01-15T00:${String(i * minutes).padStart(2, "0")}:00Z,0.1`,
    );
    const run = runFile(`Timestamp,kWh\n${rows.join("\n")}\n`, { meter: A });
    expect(run.plan.intervalMinutes).toBe(minutes);
    expect(presentPeriods(run.acc.get(A, "2026-01-15")!.periods)).toEqual({ 1: r6((30 / minutes) * 0.1) });
  });

  it("splits hourly readings evenly into two estimated half-hours, with a note", () => {
    // 2 kWh at 00:00 → periods 1, 2: 1 each; 3 kWh at 01:00 → periods 3, 4: 1.5 each; all four estimated (mask 15).
    const run = runFile(`MPAN,Timestamp,kWh\n${A},2026-01-15 00:00,2\n${A},2026-01-15 01:00,3\n`);
    expect(run.plan.intervalMinutes).toBe(60);
    expect(run.plan.notes.map((n) => n.code)).toEqual(["hourly_split"]);
    const day = run.acc.get(A, "2026-01-15")!;
    expect(presentPeriods(day.periods)).toEqual({ 1: 1, 2: 1, 3: 1.5, 4: 1.5 });
    expect(day.estimatedMask).toBe(15);
  });
});

describe("headerless files", () => {
  // headerless-wide.csv: MPAN, serial, DD/MM/YY, 48 values: A 48 × 0.5 = 24, B 48 × 1 = 48 on 15 Jan 2026.
  it.each<[string, SniffOptions]>([
    ["by content", {}],
    ["by column numbers", { columns: { meter: 1, date: 3, firstValue: 4 } }],
  ])("are read %s", (_, options) => {
    const run = runFile(headerless, options);
    expect(run.plan).toMatchObject({
      format: "wide",
      headerLine: 0,
      columns: { meter: 0, date: 2, firstValue: 3 },
    });
    expect(run.plan.columns.periods!.length).toBe(48);
    expect(total(run, A, "2026-01-15")).toBe(24);
    expect(total(run, B, "2026-01-15")).toBe(48);
    expect(run.rowsValid).toBe(2);
  });
});

describe("a meter column found by its values", () => {
  // wide-meter-by-content.csv: M1_Code1 holds MPANs; end-labelled 00:30…24:00 columns: A 48 × 0.25 = 12, B 96.
  it("takes a column of valid MPANs as the meter whatever its header", () => {
    const run = runFile(meterByContent);
    expect(run.plan.columns.meter).toBe(0);
    expect(total(run, A, "2026-01-15")).toBe(12);
    expect(total(run, B, "2026-01-15")).toBe(96);
  });

  it("says so when a file with several rows per date has no meter column", () => {
    const text = meterByContent.replace(A, "SCHOOL1").replace(B, "SCHOOL2");
    const result = sniff(text);
    expect(result).toMatchObject({ ok: false, error: { code: "meter_required" } });
    if (result.ok) return;
    expect(result.error.message).toContain("several rows per date but no meter column");
  });
});

describe("encodings", () => {
  const csv = `MPAN,Date,Cost (£),Consumption (m³)\n${GAS},2026-01-15,£3.00,100\n`;
  const utf16 = (text: string, little: boolean, bom: number[]) => {
    const bytes = [...bom];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      bytes.push(...(little ? [c & 255, c >> 8] : [c >> 8, c & 255]));
    }
    return new Uint8Array(bytes);
  };
  const cp1252 = new Uint8Array(
    [...csv].map((ch) => (ch === "£" ? 0xa3 : ch === "³" ? 0xb3 : ch.charCodeAt(0))),
  );

  it.each([
    ["UTF-16 LE with a BOM", utf16(csv, true, [0xff, 0xfe]), "utf-16le"],
    ["UTF-16 BE with a BOM", utf16(csv, false, [0xfe, 0xff]), "utf-16be"],
    ["UTF-16 LE with a damaged BOM", utf16(csv, true, [0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd]), "utf-16le"],
    ["Windows-1252", cp1252, "windows-1252"],
  ])("decodes %s", (_, bytes, encoding) => {
    expect(detectBinary(bytes)).toBe(false);
    expect(encodingOf(bytes, true)).toBe(encoding);
    const text = decodeText(bytes, encodingOf(bytes, true));
    expect(text).toBe(csv);
    // 100 m³ → 1122.063333 kWh: the ³ in the header was read.
    expect(total(runFile(text), GAS, "2026-01-15")).toBe(1122.063333);
  });

  it("still refuses real binary", () => {
    expect(
      detectBinary(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x08, 0x08, 0x00, 0x9c, 0x00])),
    ).toBe(true);
  });
});

describe("Stark DF2", () => {
  // stark-df2.txt: A sensor 1: 00:30 1.5 (period 1), 01:00 2.5 E (period 2), zeros, 16/01 00:00 0.5 (period 48
  // of 15 Jan): 4.5 kWh, estimated mask 2; sensor 3's row is skipped; B: 00:30 4 → period 1.
  it("follows #O meters and #S sensors, reading end-labelled times", () => {
    const run = runFile(stark);
    expect(run.plan).toMatchObject({ dialect: "stark-df2", timestampLabels: "end", fixedMeter: A });
    const a = run.acc.get(A, "2026-01-15")!;
    expect([r6(a.total), a.periods[0], a.periods[1], a.periods[47], a.estimatedMask]).toEqual([
      4.5, 1.5, 2.5, 0.5, 2,
    ]);
    expect(Object.keys(presentPeriods(a.periods)).length).toBe(48);
    expect(presentPeriods(run.acc.get(B, "2026-01-15")!.periods)).toEqual({ 1: 4 });
    expect(run.acc.get(A, "2026-01-16")).toBeUndefined();
    expect(run.errors).toEqual([]);
    expect(run.warnings.map((w) => [w.line, w.code])).toEqual([[52, "sensor_skipped"]]);
    expect(run.rowsValid).toBe(49); // 48 of A, 1 of B
  });
});

describe("two value columns", () => {
  it("lists the candidates and asks for a columns choice", () => {
    const result = sniff(twoValues);
    expect(result).toEqual({
      ok: false,
      error: {
        code: "ambiguous_value_column",
        message:
          '2 columns could hold the readings: "gas_usage_kwh", "elec_usage_kwh"; choose one with the columns option, e.g. {"value":"gas_usage_kwh"}',
      },
    });
    // two-value-columns.csv: elec_usage_kwh is 6 on 15 Jan 2026.
    expect(total(runFile(twoValues, { columns: { value: "elec_usage_kwh" } }), A, "2026-01-15")).toBe(6);
  });
});
