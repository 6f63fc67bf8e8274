// The date-range picker's quick ranges: inclusive settlement days counted back from today, calendar
// months for "this month" and "last month". Expected values are counted on a calendar by hand.
import { describe, expect, it } from "vitest";
import { quickRange, quickRangeOf } from "../../web/src/ui/date-range";

describe("quick ranges", () => {
  it("count whole days back from today, today included", () => {
    expect(quickRange("7d", "2026-12-01")).toEqual({ from: "2026-11-25", to: "2026-12-01" });
    expect(quickRange("30d", "2026-12-01")).toEqual({ from: "2026-11-02", to: "2026-12-01" });
    expect(quickRange("90d", "2026-12-01")).toEqual({ from: "2026-09-03", to: "2026-12-01" });
  });

  it("take calendar months, across a new year and a leap day", () => {
    expect(quickRange("this-month", "2026-12-01")).toEqual({ from: "2026-12-01", to: "2026-12-01" });
    expect(quickRange("last-month", "2026-12-01")).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(quickRange("last-month", "2027-01-10")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(quickRange("last-month", "2024-03-15")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
  });

  it("make 12 months the year up to today, from the day after the same date a year ago", () => {
    expect(quickRange("12m", "2026-12-01")).toEqual({ from: "2025-12-02", to: "2026-12-01" });
    // 29 February 2024 has no twin in 2023; the year starts the day after 28 February.
    expect(quickRange("12m", "2024-02-29")).toEqual({ from: "2023-03-01", to: "2024-02-29" });
  });

  it("recognise a range that is a quick range today, and call any other custom", () => {
    expect(quickRangeOf({ from: "2026-11-02", to: "2026-12-01" }, "2026-12-01")).toBe("30d");
    expect(quickRangeOf({ from: "2026-11-01", to: "2026-11-30" }, "2026-12-01")).toBe("last-month");
    expect(quickRangeOf({ from: "2026-10-20", to: "2026-10-30" }, "2026-12-01")).toBe("custom");
  });
});
