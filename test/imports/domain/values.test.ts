// The hand-rolled cell parsers: numbers, dates in every accepted format and impossible dates.
import { describe, expect, it } from "vitest";
import { DateTimeReader, parseNumber } from "../../../src/imports/domain";

// One reader for the file, as a parse context holds one: its fields hold the cell just read.
const parsed = new DateTimeReader();
const parseDateTime = (cell: string) => parsed.parseDateTime(cell);
const parseTimeOfDay = (cell: string) => parsed.parseTimeOfDay(cell);

const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;

describe("parseNumber", () => {
  it.each([
    ["1.5", false, 1.5],
    [" 42 ", false, 42],
    ["-0.25", false, -0.25],
    ["+3", false, 3],
    ["0.1", false, 0.1],
    ["1,5", true, 1.5],
    ["1.2E-3", false, 0.0012],
    ["12345678901234567.5", false, 12345678901234568],
  ])("%s → %s", (cell, comma, value) => {
    expect(parseNumber(cell, comma)).toBe(value);
  });

  it.each(["", "abc", "1.2.3", "1,5", "--1", "1e", "."])("rejects %j", (cell) => {
    expect(parseNumber(cell, false)).toBeNaN();
  });
});

describe("parseDateTime", () => {
  it.each([
    ["2026-01-15", 2026, 1, 15, false, 0],
    ["15/01/2026", 2026, 1, 15, false, 0],
    ["15/01/26", 2026, 1, 15, false, 0],
    ["2026/01/15", 2026, 1, 15, false, 0],
    ["15-01-2026", 2026, 1, 15, false, 0],
    ["15.01.2026", 2026, 1, 15, false, 0],
    ["26 Aug 2019 00:30:00", 2019, 8, 26, true, 30],
    ["Nov 13 2019 12:00AM", 2019, 11, 13, true, 0],
    ["Nov 13 2019 1:30PM", 2019, 11, 13, true, 810],
    ["15-Jan-2026 23:30", 2026, 1, 15, true, 1410],
    ["2026-01-15T08:30", 2026, 1, 15, true, 510],
    ["2026-01-15 08:30:00", 2026, 1, 15, true, 510],
    ["15/01/2026 24:00", 2026, 1, 15, true, 1440],
  ])("%s", (cell, y, m, d, hasTime, minutes) => {
    expect(parseDateTime(cell)).toBe(true);
    expect(parsed.epochDay).toBe(day(y, m, d));
    expect(parsed.hasTime).toBe(hasTime);
    expect(parsed.minutes).toBe(minutes);
    expect(parsed.offsetMinutes).toBeNaN();
  });

  it.each([
    ["2026-10-25T01:00:00+01:00", 60],
    ["2026-10-25T01:00:00+00:00", 0],
    ["2026-10-25T01:00Z", 0],
    ["2026-10-25 01:00 -0130", -90],
  ])("reads the offset of %s", (cell, offset) => {
    expect(parseDateTime(cell)).toBe(true);
    expect(parsed.offsetMinutes).toBe(offset);
  });

  it.each([
    "31/02/2024",
    "2023-02-29",
    "2026-13-01",
    "32/01/2026",
    "2026-01-15 25:00",
    "2026-01-15 10:60",
    "yesterday",
    "2026-01",
  ])("rejects %s", (cell) => {
    expect(parseDateTime(cell)).toBe(false);
  });

  it("accepts 29 February in a leap year", () => {
    expect(parseDateTime("29/02/2024")).toBe(true);
  });
});

describe("DateTimeReader", () => {
  it("keeps each reader's result: a read by another reader in between changes nothing", () => {
    const a = new DateTimeReader();
    const b = new DateTimeReader();
    expect(a.parseDateTime("2026-10-25 01:30+01:00")).toBe(true);
    expect(b.parseDateTime("26 Aug 2019 00:30:00")).toBe(true);
    expect(b.parseTimeOfDay("23:30")).toBe(true);
    expect([a.epochDay, a.minutes, a.offsetMinutes, a.hasTime]).toEqual([day(2026, 10, 25), 90, 60, true]);
    expect([b.epochDay, b.minutes, b.offsetMinutes]).toEqual([day(2019, 8, 26), 1410, NaN]);
  });
});

describe("parseTimeOfDay", () => {
  it("reads HH:MM, HH:MM:SS, HHMM and 12-hour times", () => {
    expect(parseTimeOfDay("00:30") && parsed.minutes).toBe(30);
    expect(parseTimeOfDay("23:30:00") && parsed.minutes).toBe(1410);
    expect(parseTimeOfDay("0130") && parsed.minutes).toBe(90);
    expect(parseTimeOfDay("12:30 AM") && parsed.minutes).toBe(30);
    expect(parseTimeOfDay("noon")).toBe(false);
  });
});
