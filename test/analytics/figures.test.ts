// The figures' definitions against numbers worked out by hand (values chosen as exact binary fractions,
// so every sum is exact). Baseload = 2 × mean of the 8 lowest half-hours; peak = 2 × the largest
// (first if tied) with the UTC start of its half-hour; completeness = present ÷ expected. UTC starts:
// 30 Mar 2025 (46 periods) starts 00:00Z, so period p starts (p − 1) half-hours later; 26 Oct 2025
// (50 periods) starts 23:00Z on the 25th (00:00 BST).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDay,
  baseloadKw,
  compare,
  dayFigures,
  emptySums,
  LowestValues,
  outOfHoursKwh,
  peakHalfHour,
  spanFigures,
} from "../../src/analytics/figures";
import { DEFAULT_WORKING_HOURS, inHoursMask, periodLocalStartMinutes } from "../../src/analytics/hours";
import { completeDayRow } from "../../src/analytics/import-figures";
import { figureRow } from "../../src/analytics/store";
import { periodsInSettlementDay } from "../../src/time/settlement";

const lowest = new LowestValues(8);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("a 46-period day (30 March 2025, clocks go forward)", () => {
  // Period p holds p × 0.25 kWh; period 10 is missing. The 8 lowest: periods 1–8, 0.25 … 2.0, sum 9,
  // mean 1.125 → baseload 2.25 kW. Peak: period 46, 11.5 kWh → 23 kW, starting 22:30Z.
  const periods = Array.from({ length: 46 }, (_, i) => (i === 9 ? null : (i + 1) * 0.25));
  const total = (46 * 47) / 2 / 4 - 2.5; // 270.25 − period 10's 2.5

  it("has its baseload, peak and completeness", () => {
    const f = dayFigures({ date: "2025-03-30", totalKwh: total, periods, estimatedMask: 0 }, [], lowest);
    expect(f).toMatchObject({ kwh: 267.75, periods: 45, expected: 46, baseloadKw: 2.25, peakKwh: 11.5 });
    expect(iso(f.peakAt)).toBe("2025-03-30T22:30:00.000Z");
    const span = spanFigures(addDay(emptySums(), f), 46);
    expect(span.completeness).toBe(45 / 46);
    expect(span.peakKw).toBe(23);
  });
});

describe("a 50-period day (26 October 2025, clocks go back)", () => {
  // 1 kWh a half-hour, but periods 1–8 hold 0.5 and periods 30 and 40 hold 3 (a tie). Baseload:
  // 2 × 0.5 = 1 kW. Peak: 3 kWh = 6 kW at period 30 (the first), 23:00Z + 29 × 30 min = 13:30Z.
  const periods = Array.from({ length: 50 }, (_, i) => (i < 8 ? 0.5 : i === 29 || i === 39 ? 3 : 1));

  it("has its baseload, the first of two equal peaks and full completeness", () => {
    const f = dayFigures({ date: "2025-10-26", totalKwh: 4 + 40 + 6, periods, estimatedMask: 0 }, [], lowest);
    expect(f).toMatchObject({ kwh: 50, periods: 50, expected: 50, baseloadKw: 1, peakKwh: 3 });
    expect(iso(f.peakAt)).toBe("2025-10-26T13:30:00.000Z");
    expect(peakHalfHour(periods)).toEqual({ kwh: 3, index: 29 });
    expect(spanFigures(addDay(emptySums(), f), 50).completeness).toBe(1);
  });

  it("starts the repeated hour's periods at the same local times", () => {
    expect(periodLocalStartMinutes("2025-10-26").slice(0, 8)).toEqual([0, 30, 60, 90, 60, 90, 120, 150]);
    expect(periodLocalStartMinutes("2025-03-30").slice(0, 4)).toEqual([0, 30, 120, 150]);
  });
});

describe("baseload", () => {
  it("needs 8 half-hours", () => {
    expect(baseloadKw([1, 1, 1, 1, 1, 1, 1, null, null])).toBeNull();
    expect(baseloadKw([4, 1, 1, 1, 1, 1, 1, 1, 1, 9])).toBe(2); // the 8 ones
  });
});

describe("out of hours", () => {
  const ones = Array.from({ length: 48 }, () => 1);

  it("counts a weekday's half-hours outside 08:00–18:00 by default", () => {
    // Wednesday 15 Jan 2025: 20 half-hours from 08:00 to 17:30 are in hours → 28 out.
    expect(outOfHoursKwh(ones, inHoursMask("2025-01-15", DEFAULT_WORKING_HOURS))).toBe(28);
  });

  it("counts all of a weekend day by default, and outside its own hours when it has some", () => {
    // Saturday 4 Jan 2025: closed by default → 48; open 10:00–14:00 → 8 half-hours in, 40 out.
    expect(outOfHoursKwh(ones, inHoursMask("2025-01-04", DEFAULT_WORKING_HOURS))).toBe(48);
    const weekend = { ...DEFAULT_WORKING_HOURS, weekend: { open: "10:00", close: "14:00" } };
    expect(outOfHoursKwh(ones, inHoursMask("2025-01-04", weekend))).toBe(40);
    // Sunday 26 Oct 2025 (50 periods) open 00:00–02:00: periods 1–6 start before 02:00 local.
    const early = { weekday: null, weekend: { open: "00:00", close: "02:00" } };
    const fifty = Array.from({ length: 50 }, () => 1);
    expect(outOfHoursKwh(fifty, inHoursMask("2025-10-26", early))).toBe(44);
  });
});

describe("a span mixing daily totals and half-hours", () => {
  // Day 1: 48 half-hours, 0.25 each but period 20 = 4.25 → 16 kWh. Day 2: a daily total of 30 kWh.
  // kWh 46; periods 48 + 48 (a daily total counts as complete) of 96 expected; half-hour figures
  // from day 1 only: baseload 2 × 0.25 = 0.5 kW, peak 8.5 kW, mean kW 2 × 16 / 48 = 2/3, load factor
  // (2/3) ÷ 8.5 = 4/51.
  const hh = Array.from({ length: 48 }, (_, i) => (i === 19 ? 4.25 : 0.25));
  const sums = emptySums();
  addDay(sums, dayFigures({ date: "2025-01-15", totalKwh: 16, periods: hh, estimatedMask: 0 }, [], lowest));
  addDay(sums, dayFigures({ date: "2025-01-16", totalKwh: 30, periods: null, estimatedMask: 1 }, [], lowest));

  it("counts the daily total for kWh and completeness only", () => {
    const f = spanFigures(sums, 96);
    expect(f).toMatchObject({ kwh: 46, periods: 96, expectedPeriods: 96, completeness: 1 });
    expect(f.baseloadKw).toBe(0.5);
    expect(f.peakKw).toBe(8.5);
    expect(f.loadFactor).toBe((2 * (16 / 48)) / 8.5);
  });
});

describe("comparisons", () => {
  it("says how this span changed and flags a partial other span", () => {
    // 100 kWh now against 80 kWh over a span 85 % complete: +20 kWh, +25 %, partial.
    expect(compare(100, { from: "2025-01-01", to: "2025-01-31", kwh: 80, completeness: 0.85 })).toEqual({
      from: "2025-01-01",
      to: "2025-01-31",
      kwh: 80,
      changeKwh: 20,
      changePct: 25,
      partial: true,
    });
    expect(compare(50, { from: "a", to: "b", kwh: 0, completeness: 0.95 })).toMatchObject({
      changePct: null,
      partial: false,
    });
  });
});

describe("completeDayRow (the import's one-pass figures of a complete day)", () => {
  // Hand-checked: 48 periods of 1 kWh except 0.25 in periods 3–10 and 4 in periods 20 and 30 (a tie):
  // baseload 2 × 0.25 = 0.5 kW; peak 4 kWh in period 20 (the first), 2025-01-15 09:30Z; total
  // 38 × 1 + 8 × 0.25 + 2 × 4 = 48 kWh; out of hours under the default (08:00–18:00, a Wednesday):
  // periods 1–16 and 37–48 = 28 half-hours, of which periods 3–10 hold 0.25: 20 × 1 + 8 × 0.25 = 22 kWh.
  it("has the hand-checked figures of a day", () => {
    const periods = new Float64Array(50).fill(NaN);
    for (let i = 0; i < 48; i++) periods[i] = i >= 2 && i < 10 ? 0.25 : i === 19 || i === 29 ? 4 : 1;
    const mask = inHoursMask("2025-01-15", DEFAULT_WORKING_HOURS);
    const row = completeDayRow(
      7,
      { date: "2025-01-15", periods, estimatedMask: 4 },
      48,
      mask,
      new LowestValues(8),
    );
    expect(row).toEqual([7, "2025-01-15", 48, 48, 48, 1, 0.5, 4, Date.parse("2025-01-15T09:30:00Z"), 22]);
    periods[47] = NaN;
    expect(
      completeDayRow(7, { date: "2025-01-15", periods, estimatedMask: 0 }, 48, mask, new LowestValues(8)),
    ).toBe(null);
  });

  it("equals dayFigures bit for bit on any complete day", () => {
    // Values with long binary expansions (thirds, tenths), ties and negatives (export), on ordinary and
    // clock-change days, under random opening hours: the row must equal figureRow(dayFigures(…)) exactly.
    const dates = ["2025-01-15", "2025-03-30", "2025-10-26", "2025-06-07"];
    const value = fc.oneof(
      fc.integer({ min: -30, max: 300 }).map((v) => v / 3),
      fc.integer({ min: 0, max: 50 }).map((v) => v / 10),
      fc.constant(0.1),
    );
    const time = fc
      .integer({ min: 0, max: 48 })
      .map((h) => `${String(Math.floor(h / 2)).padStart(2, "0")}:${h % 2 ? "30" : "00"}`);
    const hours = fc.record({
      weekday: fc.option(fc.record({ open: time, close: time })),
      weekend: fc.option(fc.record({ open: time, close: time })),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...dates),
        fc.array(value, { minLength: 50, maxLength: 50 }),
        hours,
        fc.nat(),
        (date, values, h, mask) => {
          const n = periodsInSettlementDay(date);
          const periods = Float64Array.from(values);
          const inHours = inHoursMask(date, h);
          let total = 0;
          for (let i = 0; i < n; i++) total += periods[i];
          const expected = figureRow(
            3,
            dayFigures(
              { date, totalKwh: total, periods: Array.from(periods.subarray(0, n)), estimatedMask: mask },
              inHours,
              lowest,
            ),
          );
          expect(
            completeDayRow(3, { date, periods, estimatedMask: mask }, n, inHours, new LowestValues(8)),
          ).toEqual(expected);
        },
      ),
      { numRuns: 300, seed: 20261202 },
    );
  });
});
