// A meter's figures through the API, after real imports. Every expected number was worked out by hand
// from the files below (values are exact binary fractions): kWh = the sum of the half-hours; baseload =
// 2 × the mean of a day's 8 lowest, a span's = the mean of its days'; peak = 2 × the largest half-hour,
// first if tied, with its UTC start; completeness = present ÷ expected periods (48 a day, 46 on
// 30 Mar 2025, 50 on 26 Oct 2025; a daily total counts as complete); out-of-hours = kWh of half-hours
// starting outside Mon–Fri 08:00–18:00 local time unless the site says otherwise.
import { beforeAll, describe, expect, it } from "vitest";
import { call, login, MPAN_A, MPAN_B, seedEstate } from "../helpers";
import { importCsv } from "../imports/support";
import { dailyFile, datesBetween, flat, getJson, wideFile } from "./support";

let admin: string;

// 30 Mar 2025: period p holds p × 0.25, period 10 missing → 267.75 kWh, 45 of 46.
const spring = Array.from({ length: 46 }, (_, i) => (i === 9 ? null : (i + 1) * 0.25));
// 26 Oct 2025: 1 kWh a half-hour, 0.5 in periods 1–8, 3 in periods 30 and 40 → 50 kWh, 50 of 50.
const autumn = Array.from({ length: 50 }, (_, i) => (i < 8 ? 0.5 : i === 29 || i === 39 ? 3 : 1));
// Wed 15 Jan 2025: 0.25 a half-hour, 4.25 in period 20 (09:30) → 16 kWh.
const jan15 = Array.from({ length: 48 }, (_, i) => (i === 19 ? 4.25 : 0.25));
const february = datesBetween("2025-02-01", "2025-02-28").filter((d) => d !== "2025-02-14");

beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
  const a = (date: string, values: (number | null)[]): [string, string, (number | null)[]] => [
    MPAN_A,
    date,
    values,
  ];
  const jobs = [
    await importCsv(
      admin,
      wideFile([
        a("2024-12-28", flat(0.5)),
        a("2024-12-29", flat(0.5)),
        a("2024-12-30", flat(0.5)),
        a("2025-01-04", flat(1)),
        a("2025-01-05", flat(0.5)),
        a("2025-01-06", flat(0.5)),
        a("2025-01-15", jan15),
        ...february.map((d) => a(d, flat(0.5))),
        a("2025-03-30", spring),
        a("2025-10-26", autumn),
        [MPAN_B, "2023-02-28", flat(0.5)],
        [MPAN_B, "2024-02-28", flat(0.125)],
        [MPAN_B, "2024-02-29", flat(0.25)],
      ]),
    ),
    await importCsv(admin, dailyFile([[MPAN_A, "2025-01-16", 30]])),
  ];
  for (const job of jobs) expect(job.status).toBe("completed");
}, 60_000);

const readings = (from: string, to: string, granularity: string, mpan = MPAN_A) =>
  getJson(admin, `/api/meters/${mpan}/readings?from=${from}&to=${to}&granularity=${granularity}`);
const summary = (from: string, to: string, mpan = MPAN_A, cookie = admin) =>
  getJson(cookie, `/api/meters/${mpan}/summary?from=${from}&to=${to}`);

describe("day rows", () => {
  it("give a 46-period day's baseload, peak and completeness", async () => {
    // 8 lowest: periods 1–8 (0.25…2, mean 1.125) → 2.25 kW; peak period 46, 11.5 kWh at 22:30Z; 45/46.
    expect((await readings("2025-03-30", "2025-03-30", "day")).data).toEqual([
      {
        date: "2025-03-30",
        kwh: 267.75,
        periods: 45,
        expectedPeriods: 46,
        estimated: false,
        baseloadKw: 2.25,
        peakKw: 23,
        peakAt: "2025-03-30T22:30:00.000Z",
        completeness: 0.9783,
      },
    ]);
  });

  it("give a 50-period day's baseload, first of two equal peaks and completeness", async () => {
    // 8 lowest 0.5 → 1 kW; 3 kWh in periods 30 and 40 → 6 kW at period 30: 23:00Z + 14.5 h.
    expect((await readings("2025-10-26", "2025-10-26", "day")).data).toEqual([
      {
        date: "2025-10-26",
        kwh: 50,
        periods: 50,
        expectedPeriods: 50,
        estimated: false,
        baseloadKw: 1,
        peakKw: 6,
        peakAt: "2025-10-26T13:30:00.000Z",
        completeness: 1,
      },
    ]);
  });

  it("show a daily total with no half-hour figures, complete for kWh", async () => {
    expect((await readings("2025-01-16", "2025-01-16", "day")).data).toEqual([
      {
        date: "2025-01-16",
        kwh: 30,
        periods: null,
        expectedPeriods: 48,
        estimated: false,
        baseloadKw: null,
        peakKw: null,
        peakAt: null,
        completeness: 1,
      },
    ]);
  });
});

describe("week, month and year rows", () => {
  it("cut an ISO week across the year end (2025-W01 starts Mon 30 Dec 2024)", async () => {
    const body = await readings("2024-12-28", "2025-01-06", "week");
    expect(body.data).toEqual([
      // 28–29 Dec: 2 × 24 kWh, every half-hour 0.5 → baseload 1 kW, peak 1 kW, load factor 1.
      {
        period: "2024-W52",
        from: "2024-12-28",
        to: "2024-12-29",
        kwh: 48,
        periods: 96,
        expectedPeriods: 96,
        completeness: 1,
        baseloadKw: 1,
        peakKw: 1,
        peakAt: "2024-12-28T00:00:00.000Z",
        loadFactor: 1,
      },
      // 30 Dec (24) + Sat 4 Jan (48, all 1 kWh) + 5 Jan (24) = 96 kWh; 144 of 7 × 48 = 336 periods;
      // baseload (1 + 2 + 1) / 3; peak 2 kW first on 4 Jan; mean kW 2 × 96 / 144 = 4/3 → ÷ 2 = 0.6667.
      {
        period: "2025-W01",
        from: "2024-12-30",
        to: "2025-01-05",
        kwh: 96,
        periods: 144,
        expectedPeriods: 336,
        completeness: 0.4286,
        baseloadKw: 1.333333,
        peakKw: 2,
        peakAt: "2025-01-04T00:00:00.000Z",
        loadFactor: 0.6667,
      },
      {
        period: "2025-W02",
        from: "2025-01-06",
        to: "2025-01-06",
        kwh: 24,
        periods: 48,
        expectedPeriods: 48,
        completeness: 1,
        baseloadKw: 1,
        peakKw: 1,
        peakAt: "2025-01-06T00:00:00.000Z",
        loadFactor: 1,
      },
    ]);
  });

  it("count a month's missing day against its completeness", async () => {
    // February 2025 less the 14th: 27 × 24 = 648 kWh; 27 × 48 = 1296 of 28 × 48 = 1344 periods.
    expect((await readings("2025-02-01", "2025-02-28", "month")).data).toEqual([
      {
        period: "2025-02",
        from: "2025-02-01",
        to: "2025-02-28",
        kwh: 648,
        periods: 1296,
        expectedPeriods: 1344,
        completeness: 0.9643,
        baseloadKw: 1,
        peakKw: 1,
        peakAt: "2025-02-01T00:00:00.000Z",
        loadFactor: 1,
      },
    ]);
  });

  it("show an empty bucket as empty, not as zero use", async () => {
    const body = await readings("2025-04-01", "2025-05-31", "month");
    expect(
      body.data.map((b: { period: string; kwh: number; completeness: number; peakKw: null }) => b),
    ).toEqual([
      expect.objectContaining({ period: "2025-04", kwh: 0, periods: 0, completeness: 0, peakKw: null }),
      expect.objectContaining({ period: "2025-05", kwh: 0, periods: 0, completeness: 0, peakKw: null }),
    ]);
  });

  it("give a calendar year the sum of its days", async () => {
    // 2024: 28, 29, 30 Dec → 72 kWh.
    const [y2024] = (await readings("2024-01-01", "2024-12-31", "year")).data;
    expect(y2024).toMatchObject({ period: "2024", kwh: 72, periods: 144, expectedPeriods: 366 * 48 });
  });
});

describe("the summary", () => {
  it("compares a month with a partial previous month and an empty last year", async () => {
    // January: 4 Jan 48 + 5 Jan 24 + 6 Jan 24 + 15 Jan 16 + 16 Jan 30 (daily) = 142 kWh over 4 × 48 + 48
    // = 240 of 1488 periods: partial. Change 648 − 142 = 506 kWh = 356.34 %.
    // Out of hours in February: 19 weekdays × 28 half-hours × 0.5 + 8 weekend days × 24 = 266 + 192.
    expect(await summary("2025-02-01", "2025-02-28")).toEqual({
      mpan: MPAN_A,
      fuel: "electricity",
      from: "2025-02-01",
      to: "2025-02-28",
      kwh: 648,
      periods: 1296,
      expectedPeriods: 1344,
      completeness: 0.9643,
      baseloadKw: 1,
      peakKw: 1,
      peakAt: "2025-02-01T00:00:00.000Z",
      loadFactor: 1,
      outOfHoursKwh: 458,
      previous: {
        from: "2025-01-01",
        to: "2025-01-31",
        kwh: 142,
        changeKwh: 506,
        changePct: 356.34,
        partial: true,
      },
      lastYear: {
        from: "2024-02-01",
        to: "2024-02-29",
        kwh: 0,
        changeKwh: 648,
        changePct: null,
        partial: true,
      },
    });
  });

  it("mixes a daily total and half-hours: kWh from both, half-hour figures from the half-hours", async () => {
    // 16 + 30 kWh; 96 of 96 periods; baseload 2 × 0.25; peak 4.25 kWh = 8.5 kW at 09:30Z; mean kW
    // 2 × 16 / 48 = 2/3 → load factor 4/51 = 0.0784; out of hours: 28 half-hours × 0.25 = 7.
    expect(await summary("2025-01-15", "2025-01-16")).toMatchObject({
      kwh: 46,
      periods: 96,
      expectedPeriods: 96,
      completeness: 1,
      baseloadKw: 0.5,
      peakKw: 8.5,
      peakAt: "2025-01-15T09:30:00.000Z",
      loadFactor: 0.0784,
      outOfHoursKwh: 7,
      previous: {
        from: "2025-01-13",
        to: "2025-01-14",
        kwh: 0,
        changeKwh: 46,
        changePct: null,
        partial: true,
      },
    });
  });

  it("compares a leap day with the day before and with 28 February a year earlier", async () => {
    // 29 Feb 2024: 12 kWh; 28 Feb 2024: 6 kWh (+100 %); 28 Feb 2023: 24 kWh (−50 %).
    const body = await summary("2024-02-29", "2024-02-29", MPAN_B);
    expect(body.kwh).toBe(12);
    expect(body.previous).toEqual({
      from: "2024-02-28",
      to: "2024-02-28",
      kwh: 6,
      changeKwh: 6,
      changePct: 100,
      partial: false,
    });
    expect(body.lastYear).toEqual({
      from: "2023-02-28",
      to: "2023-02-28",
      kwh: 24,
      changeKwh: -12,
      changePct: -50,
      partial: false,
    });
  });

  it("counts a weekend day out of hours unless the site opens then, and follows a change of hours", async () => {
    // Saturday 4 Jan 2025, 1 kWh a half-hour: closed by default → 48; open 10:00–14:00 → 40.
    expect((await summary("2025-01-04", "2025-01-04")).outOfHoursKwh).toBe(48);
    const hours = { weekday: { open: "08:00", close: "18:00" }, weekend: { open: "10:00", close: "14:00" } };
    const res = await call("PATCH", "/api/sites/1000", { workingHours: hours }, { cookie: admin });
    expect(res.status).toBe(200);
    expect((await res.json()) as unknown).toMatchObject({ workingHours: hours });
    expect((await summary("2025-01-04", "2025-01-04")).outOfHoursKwh).toBe(40);
    expect((await call("PATCH", "/api/sites/1000", { workingHours: null }, { cookie: admin })).status).toBe(
      200,
    );
    expect((await summary("2025-01-04", "2025-01-04")).outOfHoursKwh).toBe(48);
  });

  it("is 404 for a meter outside the caller's grants, and 400 for a bad range", async () => {
    const siteViewer = await login("siteviewer@example.com"); // granted site A2 (MPAN_B) only
    expect((await summary("2024-02-29", "2024-02-29", MPAN_B, siteViewer)).kwh).toBe(12);
    const res = await call("GET", `/api/meters/${MPAN_A}/summary?from=2025-02-01&to=2025-02-28`, undefined, {
      cookie: siteViewer,
    });
    expect(res.status).toBe(404);
    for (const q of [
      "from=2025-02-30&to=2025-03-01",
      "from=2025-03-01&to=2025-02-01",
      "from=2000-01-01&to=2025-01-01",
    ]) {
      const bad = await call("GET", `/api/meters/${MPAN_A}/summary?${q}`, undefined, { cookie: admin });
      expect(bad.status).toBe(400);
    }
  });
});
