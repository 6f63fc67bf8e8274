// Hand-checked values: 2026 clocks go forward at 01:00Z on Sunday 29 March and back at 01:00Z on Sunday
// 25 October (last Sundays of the months).
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  isValidIsoDate,
  londonLocalToUtc,
  periodEndUtc,
  periodStartUtc,
  periodsInSettlementDay,
  settlementDayStartUtc,
  settlementPeriodAt,
  settlementSlotAt,
  utcOffsetMinutesAt,
} from "../../src/time/settlement";

const utc = (iso: string) => Date.parse(iso);

describe("periodsInSettlementDay", () => {
  it("has 46 periods on the spring clock change, 50 on the autumn one, 48 otherwise", () => {
    expect(periodsInSettlementDay("2026-03-29")).toBe(46);
    expect(periodsInSettlementDay("2026-10-25")).toBe(50);
    expect(periodsInSettlementDay("2026-03-28")).toBe(48);
    expect(periodsInSettlementDay("2026-03-30")).toBe(48);
    expect(periodsInSettlementDay("2026-10-24")).toBe(48);
    expect(periodsInSettlementDay("2026-10-26")).toBe(48);
    expect(periodsInSettlementDay("2026-01-15")).toBe(48);
    expect(periodsInSettlementDay("2026-07-01")).toBe(48);
    // 2024: 31 March and 27 October; 2025: 30 March and 26 October.
    expect(periodsInSettlementDay("2024-03-31")).toBe(46);
    expect(periodsInSettlementDay("2024-10-27")).toBe(50);
    expect(periodsInSettlementDay("2025-03-30")).toBe(46);
    expect(periodsInSettlementDay("2025-10-26")).toBe(50);
  });
});

describe("settlement day starts", () => {
  it("starts a winter day at 00:00Z and a summer day at 23:00Z the day before", () => {
    expect(settlementDayStartUtc("2026-01-15")).toBe(utc("2026-01-15T00:00:00Z"));
    expect(settlementDayStartUtc("2026-07-01")).toBe(utc("2026-06-30T23:00:00Z"));
  });

  it("starts the spring day in GMT and the autumn day in BST", () => {
    expect(settlementDayStartUtc("2026-03-29")).toBe(utc("2026-03-29T00:00:00Z"));
    expect(settlementDayStartUtc("2026-03-30")).toBe(utc("2026-03-29T23:00:00Z"));
    expect(settlementDayStartUtc("2026-10-25")).toBe(utc("2026-10-24T23:00:00Z"));
    expect(settlementDayStartUtc("2026-10-26")).toBe(utc("2026-10-26T00:00:00Z"));
  });
});

describe("period starts and ends", () => {
  it("winter day: period 1 00:00Z, period 48 23:30Z", () => {
    expect(periodStartUtc("2026-01-15", 1)).toBe(utc("2026-01-15T00:00:00Z"));
    expect(periodStartUtc("2026-01-15", 48)).toBe(utc("2026-01-15T23:30:00Z"));
    expect(periodEndUtc("2026-01-15", 48)).toBe(utc("2026-01-16T00:00:00Z"));
  });

  it("summer day: period 1 is 00:00 BST = 23:00Z the day before; period 27 is 13:00 BST = 12:00Z", () => {
    expect(periodStartUtc("2026-07-01", 1)).toBe(utc("2026-06-30T23:00:00Z"));
    expect(periodStartUtc("2026-07-01", 27)).toBe(utc("2026-07-01T12:00:00Z"));
    expect(periodEndUtc("2026-07-01", 48)).toBe(utc("2026-07-01T23:00:00Z"));
  });

  it("2026-03-29: period 2 starts 00:30 GMT, period 3 starts 02:00 BST = 01:00Z, period 46 ends 00:00 BST", () => {
    expect(periodStartUtc("2026-03-29", 2)).toBe(utc("2026-03-29T00:30:00Z"));
    expect(periodStartUtc("2026-03-29", 3)).toBe(utc("2026-03-29T01:00:00Z"));
    expect(periodStartUtc("2026-03-29", 46)).toBe(utc("2026-03-29T22:30:00Z"));
    expect(periodEndUtc("2026-03-29", 46)).toBe(utc("2026-03-29T23:00:00Z"));
    expect(() => periodStartUtc("2026-03-29", 47)).toThrow(RangeError);
  });

  it("2026-10-25: periods 3–4 start 01:00/01:30 BST, 5–6 start 01:00/01:30 GMT, 50 ends 00:00 GMT", () => {
    expect(periodStartUtc("2026-10-25", 1)).toBe(utc("2026-10-24T23:00:00Z"));
    expect(periodStartUtc("2026-10-25", 3)).toBe(utc("2026-10-25T00:00:00Z"));
    expect(periodStartUtc("2026-10-25", 4)).toBe(utc("2026-10-25T00:30:00Z"));
    expect(periodStartUtc("2026-10-25", 5)).toBe(utc("2026-10-25T01:00:00Z"));
    expect(periodStartUtc("2026-10-25", 6)).toBe(utc("2026-10-25T01:30:00Z"));
    expect(periodStartUtc("2026-10-25", 7)).toBe(utc("2026-10-25T02:00:00Z"));
    expect(periodEndUtc("2026-10-25", 50)).toBe(utc("2026-10-26T00:00:00Z"));
    expect(() => periodStartUtc("2026-10-25", 0)).toThrow(RangeError);
  });
});

describe("settlementPeriodAt", () => {
  it("finds the day and period of aligned instants", () => {
    expect(settlementPeriodAt(utc("2026-01-15T00:00:00Z"))).toEqual({
      date: "2026-01-15",
      period: 1,
      msIntoPeriod: 0,
    });
    expect(settlementPeriodAt(utc("2026-06-30T23:00:00Z"))).toEqual({
      date: "2026-07-01",
      period: 1,
      msIntoPeriod: 0,
    });
    expect(settlementPeriodAt(utc("2026-06-30T22:30:00Z"))).toEqual({
      date: "2026-06-30",
      period: 48,
      msIntoPeriod: 0,
    });
    expect(settlementPeriodAt(utc("2026-03-29T01:00:00Z"))).toEqual({
      date: "2026-03-29",
      period: 3,
      msIntoPeriod: 0,
    });
    expect(settlementPeriodAt(utc("2026-10-25T00:30:00Z"))).toEqual({
      date: "2026-10-25",
      period: 4,
      msIntoPeriod: 0,
    });
    expect(settlementPeriodAt(utc("2026-10-25T01:00:00Z"))).toEqual({
      date: "2026-10-25",
      period: 5,
      msIntoPeriod: 0,
    });
    expect(settlementPeriodAt(utc("2026-10-25T23:30:00Z"))).toEqual({
      date: "2026-10-25",
      period: 50,
      msIntoPeriod: 0,
    });
  });

  it("reports how far a misaligned instant is into its period", () => {
    expect(settlementPeriodAt(utc("2026-01-15T10:17:00Z"))).toEqual({
      date: "2026-01-15",
      period: 21,
      msIntoPeriod: 17 * 60_000,
    });
    expect(settlementSlotAt(utc("2026-01-15T10:17:00Z"))).toBe(-1);
  });

  it("packs the slot as epochDay * 64 + period - 1", () => {
    const slot = settlementSlotAt(utc("2026-10-25T01:30:00Z"));
    expect(slot % 64).toBe(5);
    expect(Math.floor(slot / 64)).toBe(Date.UTC(2026, 9, 25) / 86_400_000);
  });
});

describe("londonLocalToUtc", () => {
  it("converts winter and summer wall-clock times", () => {
    expect(londonLocalToUtc("2026-01-15", 9 * 60)).toBe(utc("2026-01-15T09:00:00Z"));
    expect(londonLocalToUtc("2026-07-01", 9 * 60)).toBe(utc("2026-07-01T08:00:00Z"));
    expect(londonLocalToUtc("2026-07-01", 1440)).toBe(utc("2026-07-01T23:00:00Z"));
  });

  it("has no 01:00–01:59 on the spring day", () => {
    expect(londonLocalToUtc("2026-03-29", 60)).toBeNull();
    expect(londonLocalToUtc("2026-03-29", 90)).toBeNull();
    expect(londonLocalToUtc("2026-03-29", 30)).toBe(utc("2026-03-29T00:30:00Z"));
    expect(londonLocalToUtc("2026-03-29", 120)).toBe(utc("2026-03-29T01:00:00Z"));
  });

  it("picks the first (BST) or second (GMT) 01:00 on the autumn day", () => {
    expect(londonLocalToUtc("2026-10-25", 60)).toBe(utc("2026-10-25T00:00:00Z"));
    expect(londonLocalToUtc("2026-10-25", 60, 0)).toBe(utc("2026-10-25T00:00:00Z"));
    expect(londonLocalToUtc("2026-10-25", 60, 1)).toBe(utc("2026-10-25T01:00:00Z"));
    expect(londonLocalToUtc("2026-10-25", 90, 1)).toBe(utc("2026-10-25T01:30:00Z"));
    expect(londonLocalToUtc("2026-10-25", 30, 1)).toBe(utc("2026-10-24T23:30:00Z"));
    expect(londonLocalToUtc("2026-10-25", 120, 1)).toBe(utc("2026-10-25T02:00:00Z"));
  });
});

describe("utcOffsetMinutesAt", () => {
  it("switches at 01:00Z on the change days", () => {
    expect(utcOffsetMinutesAt(utc("2026-03-29T00:59:59Z"))).toBe(0);
    expect(utcOffsetMinutesAt(utc("2026-03-29T01:00:00Z"))).toBe(60);
    expect(utcOffsetMinutesAt(utc("2026-10-25T00:59:59Z"))).toBe(60);
    expect(utcOffsetMinutesAt(utc("2026-10-25T01:00:00Z"))).toBe(0);
    expect(utcOffsetMinutesAt(utc("2026-12-31T23:59:59Z"))).toBe(0);
    expect(utcOffsetMinutesAt(utc("2027-01-01T00:00:00Z"))).toBe(0);
  });
});

describe("calendar helpers", () => {
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
  });

  it("counts days between dates", () => {
    expect(daysBetween("2026-01-01", "2026-12-31")).toBe(364);
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2026-03-30", "2026-03-29")).toBe(-1);
  });

  it("validates ISO dates", () => {
    expect(isValidIsoDate("2024-02-29")).toBe(true);
    expect(isValidIsoDate("2023-02-29")).toBe(false);
    expect(isValidIsoDate("2024-02-31")).toBe(false);
    expect(isValidIsoDate("2024-13-01")).toBe(false);
    expect(isValidIsoDate("2024-1-01")).toBe(false);
    expect(isValidIsoDate("20240101")).toBe(false);
  });
});
