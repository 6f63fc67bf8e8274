// Each rule on hand-made days: a positive and a negative case, with the figures worked out by hand.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RULES,
  dayFindings,
  estimatedDay,
  missingDays,
  missingPeriods,
  outlierFindings,
  runFindings,
  staleMeter,
  type StoredReading,
} from "../../src/quality/rules";
import { addDays } from "../../src/time/settlement";

const day = (date: string, periods: (number | null)[], estimatedMask = 0): StoredReading => ({
  date,
  periods,
  estimatedMask,
});
const flat = (v: number, n = 48) => Array.from({ length: n }, () => v);
/** 1, 2, 3, … kWh: no two neighbours equal, so no run rule fires. */
const varied = (n = 48) => Array.from({ length: n }, (_, i): number | null => 1 + (i % 5));
const whole = (from: string, to = from) => ({ from, to });

describe("missing_periods", () => {
  it("flags a 48-period day with two half-hours missing, naming them", () => {
    const values = varied();
    values[2] = null; // period 3: 01:00–01:30
    values[3] = null; // period 4: 01:30–02:00
    expect(missingPeriods(day("2025-01-15", values))).toEqual({
      type: "missing_periods",
      key: "2025-01-15",
      from: "2025-01-15",
      to: "2025-01-15",
      periods: [3, 4],
      severity: "info",
      detail: "46 of 48 half-hours present; 2 missing between 01:00 and 02:00",
    });
  });

  it("takes 46 half-hours as complete on the spring clock change, and flags 47 of 50 on the autumn one", () => {
    expect(missingPeriods(day("2025-03-30", varied(46)))).toBeNull();
    expect(missingPeriods(day("2025-01-15", varied(48)))).toBeNull();
    const autumn = varied(50);
    autumn[49] = null;
    autumn[48] = null;
    autumn[47] = null;
    // 26 Oct 2025 is 50 periods, local 00:00 BST = 23:00Z; periods 48–50 are 22:30–24:00 local (GMT).
    expect(missingPeriods(day("2025-10-26", autumn))).toMatchObject({
      periods: [48, 49, 50],
      severity: "warning",
      detail: "47 of 50 half-hours present; 3 missing between 22:30 and 24:00",
    });
    // A 46-period day given only 45 values is one short.
    const spring = varied(46);
    spring[45] = null;
    expect(missingPeriods(day("2025-03-30", spring))).toMatchObject({ periods: [46], severity: "info" });
  });

  it("ignores a day known only by its daily total", () => {
    expect(missingPeriods({ date: "2025-01-15", periods: null, estimatedMask: 0 })).toBeNull();
  });
});

describe("missing_days", () => {
  it("is one finding per run of days between two stored days", () => {
    expect(missingDays([{ before: "2025-01-02", after: "2025-01-06" }])).toEqual([
      {
        type: "missing_days",
        key: "2025-01-03",
        from: "2025-01-03",
        to: "2025-01-05",
        periods: null,
        severity: "warning",
        detail: "3 days with no reading from 2025-01-03 to 2025-01-05",
      },
    ]);
  });
  it("has nothing when no gap was found", () => expect(missingDays([])).toEqual([]));
});

describe("zero_run", () => {
  it("flags 14 zero half-hours from 01:00 to 08:00", () => {
    const values = varied();
    for (let p = 3; p <= 16; p++) values[p - 1] = 0; // periods 3–16: 01:00–08:00
    expect(runFindings([day("2025-01-15", values)], whole("2025-01-15"))).toEqual([
      {
        type: "zero_run",
        key: "2025-01-15#3",
        from: "2025-01-15",
        to: "2025-01-15",
        periods: [3, 16],
        severity: "warning",
        detail: "14 zero half-hours from 01:00 to 08:00",
      },
    ]);
  });

  it("follows a run across midnight", () => {
    const a = varied();
    const b = varied();
    for (let p = 45; p <= 48; p++) a[p - 1] = 0; // 22:00–24:00
    for (let p = 1; p <= 4; p++) b[p - 1] = 0; // 00:00–02:00
    expect(
      runFindings([day("2025-01-15", a), day("2025-01-16", b)], whole("2025-01-15", "2025-01-16")),
    ).toEqual([
      expect.objectContaining({
        key: "2025-01-15#45",
        periods: [45, 4],
        detail: "8 zero half-hours from 22:00 on 2025-01-15 to 02:00 on 2025-01-16",
      }),
    ]);
  });

  it("does not flag 5 zeros, nor any run on a meter that switched the rule off", () => {
    const five = varied();
    for (let p = 1; p <= 5; p++) five[p - 1] = 0;
    expect(runFindings([day("2025-01-15", five)], whole("2025-01-15"))).toEqual([]);
    expect(
      runFindings([day("2025-01-15", flat(0))], whole("2025-01-15"), { ...DEFAULT_RULES, zeroRun: false }),
    ).toEqual([]);
  });
});

describe("flatline", () => {
  it("flags 12 equal non-zero half-hours", () => {
    const values = varied();
    for (let p = 21; p <= 32; p++) values[p - 1] = 2.5; // 10:00–16:00
    expect(runFindings([day("2025-01-15", values)], whole("2025-01-15"))).toEqual([
      expect.objectContaining({
        type: "flatline",
        periods: [21, 32],
        detail: "12 half-hours of exactly 2.5 kWh from 10:00 to 16:00",
      }),
    ]);
  });
  it("does not flag 11", () => {
    const values = varied();
    for (let p = 21; p <= 31; p++) values[p - 1] = 2.5;
    expect(runFindings([day("2025-01-15", values)], whole("2025-01-15"))).toEqual([]);
  });
});

describe("outlier", () => {
  // Eight Wednesdays before 2025-03-05 with period 20 at 1, 2, 1, 2, 1, 2, 1, 2 kWh: mean 1.5, sample
  // σ = √(8 × 0.25 / 7) = 0.5345, so 3 σ = 1.6036 and anything above 3.1036 is an outlier.
  const history = (weeks: number) =>
    Array.from({ length: weeks }, (_, i) => {
      const values = varied();
      values[19] = i % 2 === 0 ? 1 : 2;
      return day(addDays("2025-03-05", -7 * (weeks - i)), values);
    });

  it("flags a half-hour beyond 3 σ of the same half-hour of the previous 8 weeks", () => {
    const today = varied();
    today[19] = 3.2;
    const findings = outlierFindings([...history(8), day("2025-03-05", today)], whole("2025-03-05"));
    expect(findings).toEqual([
      {
        type: "outlier",
        key: "2025-03-05",
        from: "2025-03-05",
        to: "2025-03-05",
        periods: [20],
        severity: "warning",
        detail:
          "1 half-hour beyond 3 σ of the same half-hour over the previous 8 weeks: 09:30 3.2 kWh (mean 1.5 kWh, σ 0.535 kWh)",
      },
    ]);
  });

  it("does not flag 3.1 (under 3 σ), nor anything with under 4 weeks of history", () => {
    const at = varied();
    at[19] = 3.1;
    expect(outlierFindings([...history(8), day("2025-03-05", at)], whole("2025-03-05"))).toEqual([]);
    const far = varied();
    far[19] = 50;
    expect(outlierFindings([...history(3), day("2025-03-05", far)], whole("2025-03-05"))).toEqual([]);
  });
});

describe("stale", () => {
  it("flags an active meter with no reading for more than 3 days", () => {
    expect(staleMeter("2025-01-10", "2025-01-14")).toEqual({
      type: "stale",
      key: "stale",
      from: "2025-01-11",
      to: "2025-01-14",
      periods: null,
      severity: "warning",
      detail: "no reading for 4 days: the last is for 2025-01-10",
    });
  });
  it("does not flag 3 days", () => expect(staleMeter("2025-01-11", "2025-01-14")).toBeNull());
});

describe("estimated", () => {
  it("flags a day with 25 of 48 half-hours estimated (52 %)", () => {
    expect(estimatedDay(day("2025-01-15", varied(), 2 ** 25 - 1))).toMatchObject({
      type: "estimated",
      severity: "info",
      detail: "25 of 48 half-hours estimated (52 %)",
    });
  });
  it("does not flag 24 of 48 (50 %), and reads flags past bit 31", () => {
    expect(estimatedDay(day("2025-01-15", varied(), 2 ** 24 - 1))).toBeNull();
    // Periods 25–48 (bits 24–47) estimated: 24 of 48, again not over half.
    expect(estimatedDay(day("2025-01-15", varied(), 2 ** 48 - 2 ** 24))).toBeNull();
  });
});

describe("dayFindings", () => {
  it("finds nothing on clean days", () => {
    expect(
      dayFindings(
        [day("2025-01-15", varied()), day("2025-01-16", varied())],
        whole("2025-01-15", "2025-01-16"),
      ),
    ).toEqual([]);
  });
});
