// Location-based and fixed-factor emissions of a meter on the clock-change days, worked by hand: each
// half-hour's kWh meets the intensity of that half-hour in UTC, with Europe/London's BST hour right.
import { describe, expect, it } from "vitest";
import {
  factorFor,
  meterEmissions,
  rounded,
  sumEmissions,
  type Factors,
  type Intensities,
} from "../../src/carbon/emissions";

const t = (s: string) => Date.parse(s);
const HH = 1_800_000;
const factors: Factors = {
  electricity: new Map([
    [2024, 0.20705],
    [2025, 0.177],
  ]),
  gas: new Map([[2025, 0.18296]]),
};
const nulls = (n: number) => Array<number | null>(n).fill(null);

describe("a 50-period day (25 October 2026)", () => {
  // Period 1 starts at local 00:00 BST = 2026-10-24T23:00Z; periods 3 and 5 both start at a local 01:00
  // (00:00Z in BST, then 01:00Z in GMT); period 50 starts at 23:30 GMT = 23:30Z.
  const periods = nulls(50);
  periods[0] = 1;
  periods[2] = 2;
  periods[4] = 3;
  periods[49] = 4;
  const day = { date: "2026-10-25", totalKwh: 10, periods };
  const known: Intensities = {
    regional: new Map([[t("2026-10-24T23:00Z"), 100]]),
    national: new Map([
      // An hour-out bug would put period 1 on 00:00Z (200) instead of its regional 100.
      [t("2026-10-25T00:00Z"), { actual: 200, forecast: 210 }],
      [t("2026-10-25T01:00Z"), { actual: null, forecast: 300 }],
    ]),
  };

  it("meets regional, then national actual, then national forecast, and reports what it could not match", () => {
    const r = rounded(meterEmissions([day], "electricity", known, factors, "day"));
    // 1 × 100 + 2 × 200 + 3 × 300 = 1,400 g over 6 matched kWh; period 50's 4 kWh has no figure.
    // Fixed factor: 2026 has none, so 2025's 0.177 kg/kWh × 10 kWh = 1.77 kg.
    expect(r.total).toEqual({
      kwh: 10,
      kgco2: 1.4,
      unmatchedKwh: 4,
      fixedFactorKgco2: 1.77,
      basis: "mixed",
      shares: { regional: 0.1667, national_actual: 0.3333, national_forecast: 0.5, fixed_factor: 0 },
    });
    expect(r.data).toEqual([
      {
        from: "2026-10-25",
        to: "2026-10-25",
        kwh: 10,
        gco2: 1400,
        unmatchedKwh: 4,
        basis: "mixed",
        shares: { regional: 0.1667, national_actual: 0.3333, national_forecast: 0.5, fixed_factor: 0 },
      },
    ]);
  });

  it("lists each half-hour at its UTC time with its own basis", () => {
    const r = rounded(meterEmissions([day], "electricity", known, factors, "hh"));
    expect(r.data.map((s) => [s.from, s.to, s.kwh, s.gco2, s.basis])).toEqual([
      ["2026-10-24T23:00:00.000Z", "2026-10-24T23:30:00.000Z", 1, 100, "regional"],
      ["2026-10-25T00:00:00.000Z", "2026-10-25T00:30:00.000Z", 2, 400, "national_actual"],
      ["2026-10-25T01:00:00.000Z", "2026-10-25T01:30:00.000Z", 3, 900, "national_forecast"],
      ["2026-10-25T23:30:00.000Z", "2026-10-26T00:00:00.000Z", 4, 0, "none"],
    ]);
  });
});

describe("a 46-period day (29 March 2026)", () => {
  // Local 00:00 is 00:00Z (GMT); the clocks skip 01:00–02:00 local, so period 3 starts at 02:00 BST =
  // 01:00Z and period 46 at 23:30 BST = 22:30Z. Every UTC half-hour i of the day (0–45) has actual 100 + i.
  const start = t("2026-03-29T00:00Z");
  const national = new Map(
    Array.from({ length: 46 }, (_, i) => [start + i * HH, { actual: 100 + i, forecast: 0 }]),
  );
  const known: Intensities = { regional: new Map(), national };
  const day = { date: "2026-03-29", totalKwh: 46, periods: Array<number | null>(46).fill(1) };

  it("sums 1 kWh × (100 + i) over the 46 half-hours", () => {
    // Σ (100 + i) for i = 0…45 = 4,600 + 1,035 = 5,635 g. Factor: 0.177 × 46 = 8.142 kg.
    const r = rounded(meterEmissions([day], "electricity", known, factors, "month"));
    expect(r.total).toMatchObject({
      kwh: 46,
      kgco2: 5.635,
      unmatchedKwh: 0,
      fixedFactorKgco2: 8.142,
      basis: "national_actual",
    });
    expect(r.data).toMatchObject([{ from: "2026-03-01", to: "2026-03-31", kwh: 46, gco2: 5635 }]);
  });

  it("puts period 3 at 01:00Z and period 46 at 22:30Z", () => {
    const r = rounded(meterEmissions([day], "electricity", known, factors, "hh"));
    expect(r.data).toHaveLength(46);
    expect([r.data[2].from, r.data[2].gco2]).toEqual(["2026-03-29T01:00:00.000Z", 102]);
    expect([r.data[45].from, r.data[45].to, r.data[45].gco2]).toEqual([
      "2026-03-29T22:30:00.000Z",
      "2026-03-29T23:00:00.000Z",
      145,
    ]);
  });
});

describe("days without half-hours, gas, factors and sums", () => {
  it("leaves an electricity daily total unmatched but still counts its fixed factor", () => {
    const r = rounded(
      meterEmissions(
        [{ date: "2024-05-01", totalKwh: 100, periods: [] }],
        "electricity",
        { regional: new Map(), national: new Map() },
        factors,
        "day",
      ),
    );
    // 100 kWh × 2024's 0.20705 = 20.705 kg.
    expect(r.total).toMatchObject({
      kwh: 100,
      kgco2: 0,
      unmatchedKwh: 100,
      fixedFactorKgco2: 20.705,
      basis: "none",
    });
  });

  it("gives gas its fixed factor as the location-based figure", () => {
    const r = rounded(
      meterEmissions(
        [{ date: "2025-02-01", totalKwh: 10, periods: [] }],
        "gas",
        { regional: new Map(), national: new Map() },
        factors,
        "day",
      ),
    );
    // 10 kWh × 0.18296 = 1.8296 kg = 1,829.6 g.
    expect(r.total).toMatchObject({ kwh: 10, kgco2: 1.83, fixedFactorKgco2: 1.83, basis: "fixed_factor" });
    expect(r.data[0].gco2).toBe(1829.6);
  });

  it("uses the year's factor, else the latest before it, else the earliest", () => {
    expect(factorFor(factors, "electricity", 2024)).toBe(0.20705);
    expect(factorFor(factors, "electricity", 2030)).toBe(0.177);
    expect(factorFor(factors, "electricity", 2020)).toBe(0.20705);
  });

  it("adds meters bucket by bucket, keeping the shares by kWh", () => {
    const known: Intensities = {
      regional: new Map([[t("2026-01-05T00:00Z"), 50]]),
      national: new Map([[t("2026-01-05T00:00Z"), { actual: 150, forecast: 160 }]]),
    };
    const day = { date: "2026-01-05", totalKwh: 1, periods: [1, ...nulls(47)] };
    const a = meterEmissions([day], "electricity", known, factors, "day");
    const b = meterEmissions([day], "electricity", { ...known, regional: new Map() }, factors, "day");
    // 1 × 50 + 1 × 150 = 200 g; half regional, half national actual.
    const r = rounded(sumEmissions([a, b]));
    expect(r.total).toMatchObject({
      kwh: 2,
      kgco2: 0.2,
      basis: "mixed",
      shares: { regional: 0.5, national_actual: 0.5, national_forecast: 0, fixed_factor: 0 },
    });
  });
});
