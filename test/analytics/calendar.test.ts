// Calendar spans. Expected dates were worked out by hand from a printed calendar: 1 Jan 2025 is a
// Wednesday, so 2025-W01 runs Mon 30 Dec 2024 – Sun 5 Jan 2025; 2020 has 53 ISO weeks, 2019 has 52;
// 2024 is a leap year (February has 29 days). Expected periods: 48 a day, 46 on 30 Mar 2025, 50 on 26 Oct 2025.
import { describe, expect, it } from "vitest";
import {
  bucketsOf,
  expectedPeriods,
  isoWeekday,
  isoWeekOf,
  isoWeeksInYear,
  lastYearSpan,
  previousSpan,
  spanKind,
  spanParts,
} from "../../src/analytics/calendar";

describe("ISO weeks", () => {
  it("numbers weeks by their Thursday, across year ends", () => {
    expect(isoWeekday("2025-01-01")).toBe(3);
    expect(isoWeekOf("2024-12-30")).toEqual({ year: 2025, week: 1 });
    expect(isoWeekOf("2025-01-05")).toEqual({ year: 2025, week: 1 });
    expect(isoWeekOf("2024-12-29")).toEqual({ year: 2024, week: 52 });
    expect(isoWeekOf("2021-01-03")).toEqual({ year: 2020, week: 53 });
    expect(isoWeeksInYear(2020)).toBe(53);
    expect(isoWeeksInYear(2019)).toBe(52);
  });

  it("cuts a range into weeks clipped to it, one week spanning the year end", () => {
    expect(bucketsOf({ from: "2024-12-25", to: "2025-01-08" }, "week")).toEqual([
      { period: "2024-W52", from: "2024-12-25", to: "2024-12-29" },
      { period: "2025-W01", from: "2024-12-30", to: "2025-01-05" },
      { period: "2025-W02", from: "2025-01-06", to: "2025-01-08" },
    ]);
  });

  it("cuts a range into calendar months and years by settlement date", () => {
    expect(bucketsOf({ from: "2024-12-30", to: "2025-02-03" }, "month")).toEqual([
      { period: "2024-12", from: "2024-12-30", to: "2024-12-31" },
      { period: "2025-01", from: "2025-01-01", to: "2025-01-31" },
      { period: "2025-02", from: "2025-02-01", to: "2025-02-03" },
    ]);
    expect(bucketsOf({ from: "2024-12-30", to: "2025-01-02" }, "year").map((b) => b.period)).toEqual([
      "2024",
      "2025",
    ]);
  });
});

describe("expected periods", () => {
  it("counts 46 on the spring clock change and 50 on the autumn one", () => {
    expect(expectedPeriods({ from: "2025-03-29", to: "2025-03-31" })).toBe(48 + 46 + 48);
    expect(expectedPeriods({ from: "2025-10-26", to: "2025-10-26" })).toBe(50);
    // 2024: 366 days, one 46 and one 50 → 366 × 48.
    expect(expectedPeriods({ from: "2024-01-01", to: "2024-12-31" })).toBe(366 * 48);
  });
});

describe("compared spans", () => {
  it("compares a day with the day before and the same date last year", () => {
    const span = { from: "2025-06-10", to: "2025-06-10" };
    expect(spanKind(span)).toBe("day");
    expect(previousSpan(span)).toEqual({ from: "2025-06-09", to: "2025-06-09" });
    expect(lastYearSpan(span)).toEqual({ from: "2024-06-10", to: "2024-06-10" });
  });

  it("maps a leap day to 28 February a year earlier", () => {
    const leap = { from: "2024-02-29", to: "2024-02-29" };
    expect(previousSpan(leap)).toEqual({ from: "2024-02-28", to: "2024-02-28" });
    expect(lastYearSpan(leap)).toEqual({ from: "2023-02-28", to: "2023-02-28" });
    // Any span ending on it: the same dates, 29 February becoming 28 February.
    expect(lastYearSpan({ from: "2024-02-20", to: "2024-02-29" })).toEqual({
      from: "2023-02-20",
      to: "2023-02-28",
    });
  });

  it("compares an ISO week with the week before and the same week number a year earlier", () => {
    const w01 = { from: "2024-12-30", to: "2025-01-05" };
    expect(spanKind(w01)).toBe("week");
    expect(previousSpan(w01)).toEqual({ from: "2024-12-23", to: "2024-12-29" });
    expect(lastYearSpan(w01)).toEqual({ from: "2024-01-01", to: "2024-01-07" });
    // 2020-W53 has no twin in 2019 (52 weeks): the earlier year's last week.
    expect(lastYearSpan({ from: "2020-12-28", to: "2021-01-03" })).toEqual({
      from: "2019-12-23",
      to: "2019-12-29",
    });
  });

  it("compares a calendar month with the previous month, whatever its length", () => {
    const march = { from: "2024-03-01", to: "2024-03-31" };
    expect(spanKind(march)).toBe("month");
    expect(previousSpan(march)).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(lastYearSpan({ from: "2024-02-01", to: "2024-02-29" })).toEqual({
      from: "2023-02-01",
      to: "2023-02-28",
    });
  });

  it("compares a calendar year with the year before", () => {
    const y = { from: "2025-01-01", to: "2025-12-31" };
    expect(spanKind(y)).toBe("year");
    expect(previousSpan(y)).toEqual({ from: "2024-01-01", to: "2024-12-31" });
    expect(lastYearSpan(y)).toEqual({ from: "2024-01-01", to: "2024-12-31" });
  });

  it("compares any other span with the same number of days just before it", () => {
    const span = { from: "2025-01-10", to: "2025-02-08" }; // 30 days
    expect(spanKind(span)).toBe("days");
    expect(previousSpan(span)).toEqual({ from: "2024-12-11", to: "2025-01-09" });
    expect(lastYearSpan(span)).toEqual({ from: "2024-01-10", to: "2024-02-08" });
  });
});

describe("span parts", () => {
  it("cut a span into its whole months and the days around them", () => {
    expect(spanParts({ from: "2024-12-30", to: "2025-03-02" })).toEqual({
      months: ["2025-01", "2025-02"],
      days: [
        ["2024-12-30", "2024-12-31"],
        ["2025-03-01", "2025-03-02"],
      ],
    });
    expect(spanParts({ from: "2025-01-01", to: "2025-12-31" })).toEqual({
      months: ["2025-01", "2025-12"],
      days: [],
    });
    expect(spanParts({ from: "2025-01-06", to: "2025-01-12" })).toEqual({
      months: null,
      days: [["2025-01-06", "2025-01-12"]],
    });
    expect(spanParts({ from: "2025-01-15", to: "2025-02-14" })).toEqual({
      months: null,
      days: [["2025-01-15", "2025-02-14"]],
    });
    expect(spanParts({ from: "2024-02-01", to: "2024-02-29" })).toEqual({
      months: ["2024-02", "2024-02"],
      days: [],
    });
  });
});
