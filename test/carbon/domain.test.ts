// The Carbon Intensity API's answer shapes, the index bands by year and the best window: pure functions,
// against the shapes of ../shared/reference/uk-energy.md and hand-worked figures.
import { describe, expect, it } from "vitest";
import {
  bandFor,
  bestWindows,
  CarbonApiError,
  indexFor,
  parseGeneration,
  parseNational,
  parsePostcodeRegion,
  parseRegional,
  trendOf,
} from "../../src/carbon/domain";
import { API_500 } from "./fake-api";

const t = (s: string) => Date.parse(s);
const HH = 1_800_000;

describe("parsing", () => {
  it("reads national half-hours, a future one with a null actual", () => {
    const body = {
      data: [
        {
          from: "2018-01-20T12:00Z",
          to: "2018-01-20T12:30Z",
          intensity: { forecast: 266, actual: 263, index: "moderate" },
        },
        {
          from: "2018-01-20T12:30Z",
          to: "2018-01-20T13:00Z",
          intensity: { forecast: 270, actual: null, index: "high" },
        },
      ],
    };
    expect(parseNational(body)).toEqual([
      { start: t("2018-01-20T12:00Z"), forecast: 266, actual: 263, index: "moderate" },
      { start: t("2018-01-20T12:30Z"), forecast: 270, actual: null, index: "high" },
    ]);
  });

  it("skips items that are not a half-hour or carry no figure, and an unknown index becomes null", () => {
    const body = {
      data: [
        { from: "2018-01-20T12:00Z", to: "2018-01-20T13:00Z", intensity: { forecast: 1 } },
        { from: "nonsense", to: "2018-01-20T13:00Z", intensity: { forecast: 1 } },
        { from: "2018-01-20T13:00Z", to: "2018-01-20T13:30Z", intensity: { forecast: null, actual: null } },
        { from: "2018-01-20T13:30Z", to: "2018-01-20T14:00Z", intensity: { forecast: 90, index: "purple" } },
      ],
    };
    expect(parseNational(body)).toEqual([
      { start: t("2018-01-20T13:30Z"), forecast: 90, actual: null, index: null },
    ]);
  });

  it("reads an empty `data` as nothing, and the API's 500 body as no half-hours", () => {
    expect(parseNational({ data: [] })).toEqual([]);
    expect(parseNational(API_500)).toEqual([]);
    expect(() => parseNational("<html>")).toThrow(CarbonApiError);
  });

  it("reads regional fw48h answers region by region, with the generation mix", () => {
    const body = {
      data: [
        {
          from: "2018-05-15T11:30Z",
          to: "2018-05-15T12:00Z",
          regions: [
            {
              regionid: 3,
              dnoregion: "Electricity North West",
              shortname: "North West England",
              intensity: { forecast: 266, index: "moderate" },
              generationmix: [{ fuel: "gas", perc: 43.6 }],
            },
            { regionid: 99, intensity: { forecast: 1 } },
          ],
        },
      ],
    };
    expect(parseRegional(body)).toEqual([
      {
        regionId: 3,
        start: t("2018-05-15T11:30Z"),
        forecast: 266,
        index: "moderate",
        mix: [{ fuel: "gas", perc: 43.6 }],
      },
    ]);
  });

  it("reads the postcode form, and `data` as one object without dnoregion", () => {
    const periods = [
      { from: "2018-05-15T11:30Z", to: "2018-05-15T12:00Z", intensity: { forecast: 100, index: "low" } },
    ];
    const asArray = {
      data: [
        { regionid: 12, dnoregion: "SSE South", shortname: "South England", postcode: "RG10", data: periods },
      ],
    };
    const asObject = { data: { regionid: 12, shortname: "South England", postcode: "RG10", data: periods } };
    const expected = [
      { regionId: 12, start: t("2018-05-15T11:30Z"), forecast: 100, index: "low", mix: null },
    ];
    expect(parseRegional(asArray)).toEqual(expected);
    expect(parseRegional(asObject)).toEqual(expected);
    expect(parsePostcodeRegion(asArray)).toBe(12);
    expect(parsePostcodeRegion(asObject)).toBe(12);
    expect(parsePostcodeRegion({ data: [] })).toBeNull();
  });

  it("reads the generation mix", () => {
    const body = {
      data: [
        {
          from: "2018-01-20T12:00Z",
          to: "2018-01-20T12:30Z",
          generationmix: [{ fuel: "wind", perc: 12.5 }, { fuel: "x" }],
        },
      ],
    };
    expect(parseGeneration(body)).toEqual([
      { start: t("2018-01-20T12:00Z"), mix: [{ fuel: "wind", perc: 12.5 }] },
    ]);
  });
});

describe("index bands by year", () => {
  it("uses the year of the half-hour: 100 g is moderate in 2025 and 2026 but low in 2024", () => {
    // Table: 2024 low 35–109; 2025 moderate 100–179; 2026 moderate 90–169.
    expect(bandFor(100, t("2024-06-01T12:00Z"))).toBe("low");
    expect(bandFor(100, t("2025-06-01T12:00Z"))).toBe("moderate");
    expect(bandFor(89, t("2026-06-01T12:00Z"))).toBe("low");
    expect(bandFor(90, t("2026-06-01T12:00Z"))).toBe("moderate");
    expect(bandFor(231, t("2026-06-01T12:00Z"))).toBe("very high");
    expect(bandFor(230, t("2026-06-01T12:00Z"))).toBe("high");
    expect(bandFor(24, t("2026-01-01T00:00Z"))).toBe("very low");
    // 2023 ends at 23:59 UTC on 31 December: its bands, not 2024's (120 is moderate in 2023, high never).
    expect(bandFor(115, t("2023-12-31T23:30Z"))).toBe("low");
    expect(bandFor(115, t("2024-01-01T00:00Z"))).toBe("moderate");
  });

  it("clamps to the table's first and last years", () => {
    expect(bandFor(200, t("2019-01-01T00:00Z"))).toBe("high"); // 2023: 200–290
    expect(bandFor(151, t("2035-01-01T00:00Z"))).toBe("very high"); // 2030: >150
  });

  it("prefers the API's index, then the band of the actual, then of the forecast", () => {
    const start = t("2026-06-01T12:00Z");
    expect(indexFor({ start, forecast: 300, actual: 300, index: "low" })).toBe("low");
    expect(indexFor({ start, forecast: 300, actual: 50, index: null })).toBe("low");
    expect(indexFor({ start, forecast: 50, actual: null, index: null })).toBe("low");
    expect(indexFor({ start, forecast: null, actual: null, index: null })).toBeNull();
  });
});

describe("the best time to run", () => {
  const series = (from: string, values: number[]) =>
    values.map((value, i) => ({ start: t(from) + i * HH, value }));

  it("finds the cleanest window across midnight, then the next non-overlapping ones", () => {
    // 22:00 to 02:00 UTC, eight half-hours; a 1 h load (2 periods).
    const s = series("2026-01-10T22:00Z", [200, 180, 150, 60, 70, 160, 190, 120]);
    // Pair means by start: 22:00 190, 22:30 165, 23:00 105, 23:30 65, 00:00 115, 00:30 175, 01:00 155.
    // Best 23:30–00:30 (65); 23:00 and 00:00 overlap it; then 01:00 (155); then 22:30 (165), clear of both.
    // Savings against starting now (22:00, 190): 125 g = 65.789…%, 35 g = 18.421…%, 25 g = 13.157…%.
    const best = bestWindows(s, 2);
    expect(
      best.map((w) => [
        new Date(w.from).toISOString(),
        new Date(w.to).toISOString(),
        w.meanIntensity,
        w.saving,
      ]),
    ).toEqual([
      ["2026-01-10T23:30:00.000Z", "2026-01-11T00:30:00.000Z", 65, 125],
      ["2026-01-11T01:00:00.000Z", "2026-01-11T02:00:00.000Z", 155, 35],
      ["2026-01-10T22:30:00.000Z", "2026-01-10T23:30:00.000Z", 165, 25],
    ]);
    expect(best.map((w) => Math.round(w.savingPct * 1000) / 1000)).toEqual([65.789, 18.421, 13.158]);
  });

  it("never spans a missing half-hour, and answers nothing when the load is longer than the forecast", () => {
    const s = [...series("2026-01-10T22:00Z", [100, 10]), ...series("2026-01-10T23:30Z", [10, 100])];
    // 23:00 is missing: the 10s at 22:30 and 23:30 are not one window.
    expect(bestWindows(s, 2).map((w) => w.meanIntensity)).toEqual([55, 55]);
    expect(bestWindows(s, 5)).toEqual([]);
  });
});

describe("trend", () => {
  it("compares the next two hours' mean with now, steady within 5 %", () => {
    expect(trendOf(100, [110, 110, 110, 110])).toBe("rising");
    expect(trendOf(100, [104, 105, 106, 105])).toBe("steady");
    expect(trendOf(100, [90, 90, 90, 90])).toBe("falling");
    expect(trendOf(100, [])).toBe("steady");
  });
});
