// Planning from a file's head: header aliases, explicit column mappings and the errors a user sees.
import { describe, expect, it } from "vitest";
import unrecognised from "../../fixtures/imports/unrecognised.csv?raw";
import { detectBinary, periodLabelOf, roleOfHeader, sniff } from "../../../src/imports/domain";
import { runFile } from "./run";

describe("header aliases", () => {
  it.each([
    ["MPAN", "meter"],
    ["MPAN Core", "meter"],
    ["MPRN", "meter"],
    ["meter_identifier", "meter"],
    ["Meter Point Reference", "meter"],
    ["Supply Number", "meter"],
    ["ReadDateTime", "timestamp"],
    ["Settlement Date", "date"],
    ["read_date", "date"],
    ["Interval Start", "start"],
    ["Period End", "end"],
    ["Consumption (kWh)", "value"],
    ["ReadValue", "value"],
    ["kWh", "value"],
    ["Actual/Estimated", "status"],
    ["Read Type", "status"],
    ["Cumulative Reading", "register"],
    ["Total kWh", "total"],
    ["UOM", "unit"],
  ])("%s is a %s column", (header, role) => {
    expect(roleOfHeader(header)).toBe(role);
  });

  it.each([
    ["00:00", { kind: "time", minutes: 0, explicitStart: false }],
    ["[23:30]", { kind: "time", minutes: 1410, explicitStart: false }],
    ["24:00", { kind: "time", minutes: 1440, explicitStart: false }],
    ["00:00-00:30", { kind: "time", minutes: 0, explicitStart: true }],
    ["HH01", { kind: "number", period: 1 }],
    ["P50", { kind: "number", period: 50 }],
    ["kWh_7", { kind: "number", period: 7 }],
    ["Period 12", { kind: "number", period: 12 }],
    ["(3)", { kind: "number", period: 3 }],
  ])("%s is a period label", (header, label) => {
    expect(periodLabelOf(header)).toEqual(label);
  });

  it("does not take 51, 00:15 or words for periods", () => {
    expect(periodLabelOf("51")).toBeUndefined();
    expect(periodLabelOf("00:15")).toBeUndefined();
    expect(periodLabelOf("Total")).toBeUndefined();
  });
});

describe("sniff errors", () => {
  it("lists the headers it saw and how to map them", () => {
    const result = sniff(unrecognised);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("unrecognised_headers");
    expect(result.error.message).toContain('headers seen: "M1_Code1", "Day Of Read", "Val1"');
    expect(result.error.message).toContain('{"meter":"M1_Code1","date":"Date"}');
  });

  it("accepts an explicit columns mapping, found after a preamble line", () => {
    // unrecognised.csv line 3: 5 kWh for 15 Jan 2026.
    const run = runFile(unrecognised, { columns: { meter: "M1_Code1", date: "Day Of Read", value: "Val1" } });
    expect(run.plan).toMatchObject({
      format: "daily",
      headerLine: 2,
      columns: { meter: 0, date: 1, value: 2 },
    });
    expect(run.acc.get("1030006718997", "2026-01-15")!.total).toBe(5);
  });

  it("names mapped headers it cannot find", () => {
    const result = sniff(unrecognised, { columns: { meter: "Meter Code" } });
    expect(result).toMatchObject({ ok: false, error: { code: "unknown_column" } });
  });

  it("needs a meter when the file has no meter column", () => {
    const text = "Date,Time,Value\n2026-01-15,00:00,1\n2026-01-15,00:30,2\n";
    expect(sniff(text)).toMatchObject({ ok: false, error: { code: "meter_required" } });
    expect(sniff(text, { meter: "123" })).toMatchObject({ ok: false, error: { code: "bad_mpan" } });
    const run = runFile(text, { meter: "2000 0061 83919" });
    expect(run.plan.fixedMeter).toBe("2000006183919");
    expect(run.acc.get("2000006183919", "2026-01-15")!.total).toBe(3);
  });

  it("reports an empty file", () => {
    expect(sniff("\n\n")).toMatchObject({ ok: false, error: { code: "empty_file" } });
  });
});

describe("layouts", () => {
  it("reads a tab-separated narrow file with a settlement period column", () => {
    // Period 3 of 29 March 2026 is 02:00 BST; period 46 is the day's last.
    const text =
      "MPAN\tSettlement Date\tSettlement Period\tkWh\n1030006718997\t29/03/2026\t3\t1.5\n1030006718997\t29/03/2026\t47\t1\n";
    const run = runFile(text);
    expect(run.plan).toMatchObject({
      format: "narrow",
      delimiter: "\t",
      columns: { date: 1, period: 2, value: 3 },
    });
    expect(run.acc.get("1030006718997", "2026-03-29")!.periods[2]).toBe(1.5);
    expect(run.errors).toEqual([
      { line: 3, code: "too_many_periods", message: 'period "47" is not one of 1–46 on 2026-03-29' },
    ]);
  });

  it("calls a file daily when its dates carry no time of day, and narrow when they do", () => {
    expect(runFile("MPAN,Date,kWh\n1030006718997,2026-01-15,30\n").plan.format).toBe("daily");
    expect(
      runFile("MPAN,Date,kWh\n1030006718997,2026-01-15 00:00,1\n1030006718997,2026-01-15 00:30,1\n").plan
        .format,
    ).toBe("narrow");
  });

  it("calls a single midnight reading with a UTC offset narrow: daily totals carry no offset", () => {
    expect(runFile("MPAN,ReadDateTime,kWh\n1030006718997,2026-01-10T00:00:00Z,1.5\n").plan.format).toBe(
      "narrow",
    );
    expect(runFile("MPAN,Date,kWh\n1030006718997,2026-01-10 00:00:00,30\n").plan.format).toBe("daily");
  });

  it("reads a yes/no Estimated column", () => {
    const run = runFile(
      "MPAN,Timestamp,kWh,Estimated\n1030006718997,2026-01-15T00:00Z,1,Y\n1030006718997,2026-01-15T00:30Z,1,N\n",
    );
    expect(run.acc.get("1030006718997", "2026-01-15")!.estimatedMask).toBe(1);
  });

  it("reads MWh from the header and numbered P1…P48 columns", () => {
    const header = "MPAN,Date," + Array.from({ length: 48 }, (_, i) => `P${i + 1} (MWh)`).join(",");
    const row = "1030006718997,2026-01-15," + Array(48).fill("0.001").join(",");
    const run = runFile(`${header}\n${row}\n`);
    expect(run.plan).toMatchObject({ format: "wide", periodLabelling: "number", unitFactor: 1000 });
    expect(run.acc.get("1030006718997", "2026-01-15")!.total).toBe(48);
  });
});

describe("detectBinary", () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it("passes CSV text, UTF-8 and a BOM", () => {
    expect(detectBinary(enc("\ufeffMPAN,Date,kWh\r\n1030006718997,2026-01-15,£1\n"))).toBe(false);
    expect(detectBinary(new Uint8Array())).toBe(false);
  });

  it("refuses NUL bytes and control-heavy content", () => {
    expect(detectBinary(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toBe(true); // a zip header
    expect(detectBinary(new Uint8Array(100).fill(1))).toBe(true);
  });
});
