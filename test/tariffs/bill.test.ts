// The bill calculator against bills worked out by hand (each case's comment shows the sum). 2026 clocks
// go forward on Sunday 29 March (46 half-hours) and back on Sunday 25 October (50 half-hours).
import { describe, expect, it } from "vitest";
import {
  costSummary,
  prepareReadings,
  priceReadings,
  roundPence,
  type ReadingDay,
  type TariffSpan,
} from "../../src/tariffs/bill";
import { bandPlan, type Band, type Tariff } from "../../src/tariffs/model";
import { periodsInSettlementDay } from "../../src/time/settlement";

function tariff(over: Partial<Tariff> = {}): Tariff {
  return {
    id: 1,
    name: "Test",
    supplierId: null,
    supplierName: null,
    fuel: "electricity",
    type: "flat",
    validFrom: "2020-01-01",
    validTo: null,
    standingChargePence: 0,
    vatRate: 0.2,
    ccl: false,
    unitRatePence: 20,
    bands: null,
    clock: "local",
    active: true,
    ...over,
  };
}

/** A day of half-hours, every one `kwh` unless overridden (null = missing). */
function hh(date: string, kwh = 1, overrides: Record<number, number | null> = {}): ReadingDay {
  const periods = Array.from({ length: periodsInSettlementDay(date) }, (_, i) =>
    i + 1 in overrides ? overrides[i + 1] : kwh,
  );
  return { date, kwh: periods.reduce<number>((a, b) => a + (b ?? 0), 0), periods };
}
const daily = (date: string, kwh: number): ReadingDay => ({ date, kwh, periods: null });

function bill(from: string, to: string, days: ReadingDay[], spans: TariffSpan[] | Tariff) {
  const r = prepareReadings(from, to, days);
  const list = Array.isArray(spans) ? spans : [{ tariff: spans, from, to }];
  return costSummary(r, priceReadings(r, list, "electricity"), "day");
}

const E7: Band[] = [
  { name: "Night", pencePerKwh: 10, start: "00:00", end: "07:00" },
  { name: "Day", pencePerKwh: 30, start: "07:00", end: "00:00" },
];

describe("bills computed by hand", () => {
  it("a flat tariff", () => {
    // 2 days × 48 × 0.5 kWh = 48 kWh × 20 p = 960 p; standing 2 × 50 = 100; VAT 20 % of 1060 = 212; 1272.
    const b = bill(
      "2026-01-05",
      "2026-01-06",
      [hh("2026-01-05", 0.5), hh("2026-01-06", 0.5)],
      tariff({ standingChargePence: 50 }),
    );
    expect(b.total).toEqual({
      kwh: 48,
      unitsPence: 960,
      standingPence: 100,
      cclPence: 0,
      vatPence: 212,
      totalPence: 1272,
    });
    expect(b.data.map((d) => d.totalPence)).toEqual([636, 636]);
    expect(b.byBand).toEqual([{ name: "Unit rate", kwh: 48, pence: 960 }]);
    expect(b.missing).toEqual({ periods: 0, days: 0 });
  });

  describe("Economy 7 (Night 00:00–07:00 at 10 p, Day at 30 p), 1 kWh every half-hour", () => {
    const e7 = (clock: "local" | "utc") => tariff({ type: "tou", bands: E7, clock, standingChargePence: 40 });
    const units = (date: string, clock: "local" | "utc") => {
      const b = bill(date, date, [hh(date)], e7(clock));
      return { byBand: b.byBand, units: b.total.unitsPence, standing: b.total.standingPence };
    };

    it("spring day, local clock: 00:00–01:00 GMT and 02:00–07:00 BST are night (12), 34 day", () => {
      // 12 × 10 + 34 × 30 = 120 + 1020 = 1140; one settlement day, one standing charge.
      expect(units("2026-03-29", "local")).toEqual({
        byBand: [
          { name: "Night", kwh: 12, pence: 120 },
          { name: "Day", kwh: 34, pence: 1020 },
        ],
        units: 1140,
        standing: 40,
      });
    });

    it("spring day, utc clock: 00:00–07:00 UTC are periods 1–14, 32 day", () => {
      // 14 × 10 + 32 × 30 = 140 + 960 = 1100.
      expect(units("2026-03-29", "utc").units).toBe(1100);
    });

    it("autumn day, local clock: the repeated 01:00 hour is night twice (16), 34 day", () => {
      // 16 × 10 + 34 × 30 = 160 + 1020 = 1180.
      expect(units("2026-10-25", "local")).toEqual({
        byBand: [
          { name: "Night", kwh: 16, pence: 160 },
          { name: "Day", kwh: 34, pence: 1020 },
        ],
        units: 1180,
        standing: 40,
      });
    });

    it("autumn day, utc clock: the day starts 23:00 UTC on the 24th (2 day), then 14 night, 34 day", () => {
      // 14 × 10 + 36 × 30 = 140 + 1080 = 1220.
      expect(units("2026-10-25", "utc").units).toBe(1220);
    });
  });

  it("splits each day's units by band when asked (the costs routes' stacked charts)", () => {
    // 28 Mar 2026 (48 periods, GMT): night 00:00–07:00 = 14 × 10 = 140, day 34 × 30 = 1020.
    // 29 Mar 2026 (46, clocks go forward): night 12 × 10 = 120, day 34 × 30 = 1020 (see above).
    const r = prepareReadings("2026-03-28", "2026-03-29", [hh("2026-03-28"), hh("2026-03-29")]);
    const e7 = tariff({ type: "tou", bands: E7, clock: "local", standingChargePence: 40 });
    const spans = [{ tariff: e7, from: "2026-03-28", to: "2026-03-29" }];
    const rows = costSummary(r, priceReadings(r, spans, "electricity", { dayBands: true }), "day").data;
    expect(rows.map((d) => [d.from, d.unitsPence, d.bands])).toEqual([
      [
        "2026-03-28",
        1160,
        [
          { name: "Night", pence: 140 },
          { name: "Day", pence: 1020 },
        ],
      ],
      [
        "2026-03-29",
        1140,
        [
          { name: "Night", pence: 120 },
          { name: "Day", pence: 1020 },
        ],
      ],
    ]);
    // The analyser does not ask, and its rows carry no split.
    expect(bill("2026-03-28", "2026-03-29", [hh("2026-03-28")], e7).data[0].bands).toBeUndefined();
  });

  it("a band crossing midnight", () => {
    // Night 22:00–06:00 covers 12 + 4 = 16 half-hours at 8 p, Day 32 at 25 p: 128 + 800 = 928.
    const bands: Band[] = [
      { name: "Night", pencePerKwh: 8, start: "22:00", end: "06:00" },
      { name: "Day", pencePerKwh: 25, start: "06:00", end: "22:00" },
    ];
    const b = bill("2026-01-07", "2026-01-07", [hh("2026-01-07")], tariff({ type: "tou", bands }));
    expect(b.byBand).toEqual([
      { name: "Night", kwh: 16, pence: 128 },
      { name: "Day", kwh: 32, pence: 800 },
    ]);
    expect(b.total.unitsPence).toBe(928);
  });

  it("weekday and weekend bands", () => {
    // Friday 9 Jan: 24 × 30 + 24 × 15 = 1080; Saturday 10 Jan: 48 × 10 = 480.
    const weekdays = ["mon", "tue", "wed", "thu", "fri"] as Band["days"];
    const bands: Band[] = [
      { name: "Peak", pencePerKwh: 30, start: "07:00", end: "19:00", days: weekdays },
      { name: "Off-peak", pencePerKwh: 15, start: "19:00", end: "07:00", days: weekdays },
      { name: "Weekend", pencePerKwh: 10, start: "00:00", end: "00:00", days: ["sat", "sun"] },
    ];
    const b = bill(
      "2026-01-09",
      "2026-01-10",
      [hh("2026-01-09"), hh("2026-01-10")],
      tariff({ type: "tou", bands }),
    );
    expect(b.data.map((d) => d.unitsPence)).toEqual([1080, 480]);
    expect(b.total.unitsPence).toBe(1560);
  });

  it("an Agile price series with a missing half-hour", () => {
    // Periods 1–24 at 10 p, 25–48 at 30 p, no price for period 30: 24 × 10 + 23 × 30 = 930 p of units.
    // CCL on all 48 kWh (even the unpriced one): 48 × 0.775 = 37.2; standing 50; VAT 20 % of 1017.2 = 203.44.
    const day = Array.from({ length: 48 }, (_, i) => (i + 1 === 30 ? null : i < 24 ? 10 : 30));
    const prices = new Map([["2026-01-05", day]]);
    const t = tariff({ type: "dynamic", unitRatePence: null, ccl: true, standingChargePence: 50 });
    const b = bill(
      "2026-01-05",
      "2026-01-05",
      [hh("2026-01-05")],
      [{ tariff: t, prices, from: "2026-01-05", to: "2026-01-05" }],
    );
    expect(b.total).toEqual({
      kwh: 48,
      unitsPence: 930,
      standingPence: 50,
      cclPence: 37.2,
      vatPence: 203.44,
      totalPence: 1220.64,
    });
    expect(b.unpriced).toEqual({ periods: 1, days: 0, kwh: 1 });
    expect(b.byBand).toEqual([{ name: "Dynamic", kwh: 47, pence: 930 }]);
  });

  it("VAT at 5 % and at 20 %", () => {
    // 10 kWh × 28.62 p = 286.2, standing 60.1: 346.3 before VAT. 5 %: 17.315 → 17.32, total 363.615 → 363.62.
    // 20 %: 69.26, total 415.56.
    const day = [daily("2026-01-05", 10)];
    const at = (vatRate: number) =>
      bill(
        "2026-01-05",
        "2026-01-05",
        day,
        tariff({ unitRatePence: 28.62, standingChargePence: 60.1, vatRate }),
      ).total;
    expect(at(0.05)).toMatchObject({
      unitsPence: 286.2,
      standingPence: 60.1,
      vatPence: 17.32,
      totalPence: 363.62,
    });
    expect(at(0.2)).toMatchObject({ vatPence: 69.26, totalPence: 415.56 });
  });

  it("CCL before and after 1 April 2026 in one window", () => {
    // 100 kWh on 31 March at 0.775 p + 100 kWh on 1 April at 0.801 p = 77.5 + 80.1 = 157.6.
    // Units 200 × 20 = 4000; VAT 20 % of 4157.6 = 831.52; total 4989.12.
    const b = bill(
      "2026-03-31",
      "2026-04-01",
      [daily("2026-03-31", 100), daily("2026-04-01", 100)],
      tariff({ ccl: true }),
    );
    expect(b.data.map((d) => d.cclPence)).toEqual([77.5, 80.1]);
    expect(b.total).toEqual({
      kwh: 200,
      unitsPence: 4000,
      standingPence: 0,
      cclPence: 157.6,
      vatPence: 831.52,
      totalPence: 4989.12,
    });
  });

  it("a tariff change in the middle of the window", () => {
    // 10 kWh a day. A (20 p, standing 30) on 5–6 Jan: 400 + 60; B (15 p, standing 50) on 7–8 Jan: 300 + 100.
    // 860 before VAT, 5 % = 43, total 903.
    const days = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"].map((d) => daily(d, 10));
    const a = tariff({ id: 1, standingChargePence: 30, vatRate: 0.05 });
    const b = tariff({ id: 2, unitRatePence: 15, standingChargePence: 50, vatRate: 0.05 });
    const out = bill("2026-01-05", "2026-01-08", days, [
      { tariff: a, from: "2025-12-01", to: "2026-01-06" },
      { tariff: b, from: "2026-01-07", to: "2026-12-31" },
    ]);
    expect(out.total).toEqual({
      kwh: 40,
      unitsPence: 700,
      standingPence: 160,
      cclPence: 0,
      vatPence: 43,
      totalPence: 903,
    });
    expect(out.tariffs).toEqual([
      { tariffId: 1, from: "2026-01-05", to: "2026-01-06" },
      { tariffId: 2, from: "2026-01-07", to: "2026-01-08" },
    ]);
  });

  it("a window with missing data: missing periods and days reported, not invented", () => {
    // 5 Jan: 48 × 0.5 = 24 kWh; 6 Jan: no reading; 7 Jan: 44 × 0.5 = 22 kWh (4 missing).
    // 46 kWh × 20 = 920; standing on all 3 days = 120; VAT 20 % of 1040 = 208; 1248. Completeness 92/144.
    const b = bill(
      "2026-01-05",
      "2026-01-07",
      [hh("2026-01-05", 0.5), hh("2026-01-07", 0.5, { 1: null, 2: null, 47: null, 48: null })],
      tariff({ standingChargePence: 40 }),
    );
    expect(b.total).toEqual({
      kwh: 46,
      unitsPence: 920,
      standingPence: 120,
      cclPence: 0,
      vatPence: 208,
      totalPence: 1248,
    });
    expect(b.missing).toEqual({ periods: 4, days: 1 });
    expect(b.completeness).toBe(0.6389);
  });

  it("a daily total is priced at a flat rate but unpriceable under time-of-use", () => {
    const b = bill("2026-01-05", "2026-01-05", [daily("2026-01-05", 12)], tariff({ type: "tou", bands: E7 }));
    expect(b.total.unitsPence).toBe(0);
    expect(b.unpriced).toEqual({ periods: 0, days: 1, kwh: 12 });
  });

  it("rounds once, on output, to 0.01 p half away from zero", () => {
    expect([0.125, -0.125, 1.005, 2.675, 0.0049, 0.994999, 17.315].map(roundPence)).toEqual([
      0.13, -0.13, 1.01, 2.68, 0, 0.99, 17.32,
    ]);
    // Units 0.004 and standing 0.004 each round to 0.00, VAT 5 % of 0.008 = 0.0004 to 0.00; the total
    // 0.0084 rounds from its unrounded value to 0.01, not from the rounded parts (0.00).
    const b = bill(
      "2026-01-05",
      "2026-01-05",
      [daily("2026-01-05", 1)],
      tariff({ unitRatePence: 0.004, standingChargePence: 0.004, vatRate: 0.05 }),
    );
    expect(b.total).toMatchObject({ unitsPence: 0, standingPence: 0, vatPence: 0, totalPence: 0.01 });
  });
});

describe("band validation", () => {
  it("names the band before a gap", () => {
    const gap = bandPlan([
      { name: "Night", pencePerKwh: 10, start: "00:00", end: "07:00" },
      { name: "Day", pencePerKwh: 30, start: "07:30", end: "00:00" },
    ]);
    expect(gap).toEqual({
      field: "bands.0",
      message: 'bands.0 ("Night"): no band covers 07:00–07:30 on mon, next to this band',
    });
  });

  it("names the band that overlaps an earlier one", () => {
    const overlap = bandPlan([
      { name: "Night", pencePerKwh: 10, start: "00:00", end: "07:00" },
      { name: "Day", pencePerKwh: 30, start: "06:00", end: "00:00" },
    ]);
    expect(overlap).toEqual({
      field: "bands.1",
      message: 'bands.1 ("Day") overlaps bands.0 ("Night") at 06:00 on mon',
    });
  });

  it("accepts a whole-day band (start equals end) and a day set that covers the week", () => {
    expect(bandPlan([{ name: "All day", pencePerKwh: 10, start: "00:00", end: "00:00" }])).toBeInstanceOf(
      Int8Array,
    );
  });
});
