// Figures an import range writes with its complete days (src/analytics/import-figures.ts) must be exactly
// those a full rebuild computes from the stored readings, after overlapping re-imports that mix the range's
// path (complete days under replace) with the aggregation's (partial merges, keep, daily totals). Values are
// chosen with long decimal expansions (thirds) so a figure computed from other bits would show.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { figureStatements, importedFigureStatements, readSnapshot } from "../../src/analytics/store";
import { halfHourlyStatements, spansOf, type HalfHourlyRow } from "../../src/readings/store";
import { call, json, login, MPAN_A, MPAN_B, seedEstate } from "../helpers";
import { importCsv } from "../imports/support";
import { dailyFile, datesBetween, flat, getJson, pending, stored, wideFile } from "./support";

let admin: string;

beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

const periodsOn = (date: string) => (date === "2025-03-30" ? 46 : 48);
/** kWh of period p (1-based) on a date: thirds, whose shortest decimal form has 16–17 digits. */
const noisy = (date: string, p: number, shift: number) => ((p % 7) + Number(date.slice(8)) + shift) / 3;
const noisyRows = (mpan: string, from: string, to: string, shift: number) =>
  datesBetween(from, to).map((d): [string, string, number[]] => [
    mpan,
    d,
    Array.from({ length: periodsOn(d) }, (_, i) => noisy(d, i + 1, shift)),
  ]);

describe("figures written by the import's ranges", () => {
  it("equal a full rebuild after overlapping re-imports mixing both paths", async () => {
    // A's site opens 07:00–19:30 on weekdays and 10:00–14:00 at weekends, so out-of-hours is not the default's.
    const hours = { weekday: { open: "07:00", close: "19:30" }, weekend: { open: "10:00", close: "14:00" } };
    expect((await call("PATCH", "/api/sites/1000", { workingHours: hours }, { cookie: admin })).status).toBe(
      200,
    );
    // 1: A 29–31 March (30 March has 46 periods), complete: written with its figures by the ranges. B's
    //    30 March lacks period 5: a partial day, left to the aggregation.
    const partial: (number | null)[] = flat(0.5, 46);
    partial[4] = null;
    await importCsv(
      admin,
      wideFile([...noisyRows(MPAN_A, "2025-03-29", "2025-03-31", 0), [MPAN_B, "2025-03-30", partial]]),
    );
    // 2, overlapping: A 31 March – 2 April with other values replaces 31 March.
    await importCsv(admin, wideFile(noisyRows(MPAN_A, "2025-03-31", "2025-04-02", 1)));
    // 3: one half-hour of A's 1 April changes (a merge: the aggregation's path).
    await importCsv(admin, ["MPAN,ReadDateTime,kWh", `${MPAN_A},2025-03-31T23:30:00Z,9.75`].join("\n"));
    // 4: keep: A's complete 2 April stays; its 3 April is new (keep's days go to the aggregation).
    await importCsv(admin, wideFile(noisyRows(MPAN_A, "2025-04-02", "2025-04-03", 2)), {
      onConflict: "keep",
    });
    // 5: a daily total for B on 4 April.
    await importCsv(admin, dailyFile([[MPAN_B, "2025-04-04", 30]]));

    expect(await pending()).toBe(0);
    const kept = await stored();
    // B's 30 March: 45 half-hours of 0.5 kWh; its 4 April the daily 30 kWh without half-hour figures.
    expect(kept.days.filter((d) => d.meter_id === 2)).toEqual([
      {
        meter_id: 2,
        date: "2025-03-30",
        kwh: 22.5,
        periods: 45,
        expected: 46,
        estimated: 0,
        baseload_kw: 1,
        peak_kwh: 0.5,
        peak_at: Date.parse("2025-03-30T00:00:00Z"),
        ooh_kwh: 22.5, // B's site keeps the default hours, closed on a Sunday
      },
      {
        meter_id: 2,
        date: "2025-04-04",
        kwh: 30,
        periods: null,
        expected: 48,
        estimated: 0,
        baseload_kw: null,
        peak_kwh: null,
        peak_at: null,
        ooh_kwh: null,
      },
    ]);
    // A: 29 March – 3 April, every day complete (the merged half-hour keeps 1 April complete).
    expect(kept.days.filter((d) => d.meter_id === 1).map((d) => [d.date, d.periods])).toEqual([
      ["2025-03-29", 48],
      ["2025-03-30", 46],
      ["2025-03-31", 48],
      ["2025-04-01", 48],
      ["2025-04-02", 48],
      ["2025-04-03", 48],
    ]);
    // 1 April's period 2 is 9.75 after the merge (the file's value there was (2 + 1 + 1) / 3).
    const april1 = kept.days.find((d) => d.meter_id === 1 && d.date === "2025-04-01")!;
    expect(april1.peak_kwh).toBe(9.75);
    expect(april1.peak_at).toBe(Date.parse("2025-03-31T23:30:00Z"));

    const res = await call("POST", "/api/aggregates/rebuild?mode=full", undefined, { cookie: admin });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ done: true, meters: 2, days: 8 });
    expect(await stored()).toEqual(kept);
  }, 15_000); // five imports end to end: over 5 s on a busy machine
});

describe("site roll-ups", () => {
  const siteRows = async () => ({
    days: (await env.DB.prepare("SELECT * FROM site_days ORDER BY site_id, fuel, date").all()).results,
    months: (await env.DB.prepare("SELECT * FROM site_months ORDER BY site_id, fuel, month").all()).results,
  });

  it("are brought up to date by a read, follow a meter to another site, and equal a rebuild's", async () => {
    // A read refreshes what the writes above marked stale: site 1000 (A) and 1001 (B).
    await getJson(admin, "/api/portfolio/consumption?from=2025-03-29&to=2025-04-04&granularity=day");
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM site_months_stale").first<{ n: number }>())!.n,
    ).toBe(0);
    const meterSum = async (meterId: number, date: string) =>
      (await env.DB.prepare(
        "SELECT kwh, periods, baseload_kw FROM meter_days WHERE meter_id = ?1 AND date = ?2",
      )
        .bind(meterId, date)
        .first<{ kwh: number; periods: number; baseload_kw: number }>())!;
    // B's 30 March (22.5 kWh over 45 half-hours) is site 1001's; A's is site 1000's; each site's
    // baseload is its meter's.
    const a30 = await meterSum(1, "2025-03-30");
    const b30 = await meterSum(2, "2025-03-30");
    expect(b30.baseload_kw).toBe(1); // 45 half-hours of 0.5 kWh: 2 × the mean of the lowest 8
    expect((await siteRows()).days.filter((d) => d.date === "2025-03-30")).toEqual([
      {
        site_id: 1000,
        fuel: "electricity",
        date: "2025-03-30",
        kwh: a30.kwh,
        periods: 46,
        baseload_kw: a30.baseload_kw,
      },
      { site_id: 1001, fuel: "electricity", date: "2025-03-30", kwh: 22.5, periods: 45, baseload_kw: 1 },
    ]);

    // A moves to site 1001: site 1000 keeps nothing; 1001's 30 March is A's plus B's.
    const moved = await call("PATCH", `/api/meters/${MPAN_A}`, { siteId: 1001 }, { cookie: admin });
    expect(moved.status).toBe(200);
    await getJson(admin, "/api/sites/1001/consumption?from=2025-03-29&to=2025-04-04&granularity=day");
    const kept = await siteRows();
    expect(kept.days.filter((d) => d.site_id === 1000)).toEqual([]);
    expect(kept.days.find((d) => d.date === "2025-03-30")).toEqual({
      site_id: 1001,
      fuel: "electricity",
      date: "2025-03-30",
      kwh: 22.5 + a30.kwh,
      periods: 45 + 46,
      baseload_kw: a30.baseload_kw + 1,
    });
    // April: A's six days' worth of April (1–3) plus B's daily 30 kWh on the 4th (48 expected periods).
    expect(kept.months.filter((m) => m.month === "2025-04").map((m) => m.periods)).toEqual([3 * 48 + 48]);

    expect((await call("POST", "/api/aggregates/rebuild", undefined, { cookie: admin })).status).toBe(200);
    expect(await siteRows()).toEqual(kept);
  });
});

describe("the statements that store a range's figures", () => {
  /** A complete day of A (meter 1) or B (2) at 0.5 kWh a half-hour, as a range writes it with its figures. */
  const day = (meter: number, date: string): HalfHourlyRow => [
    meter,
    date,
    24,
    48,
    0,
    JSON.stringify(flat(0.5)),
  ];
  const FIGURES = "[1,0.5,1748732400000,12]";
  const rangeWrites = (batchId: string, days: HalfHourlyRow[], hoursUsed: [number, string | null][]) => [
    ...halfHourlyStatements(
      env.DB,
      days,
      batchId,
      "replace",
      days.map(() => FIGURES),
    ),
    ...importedFigureStatements(env.DB, batchId, spansOf(days), hoursUsed),
  ];
  const baseloads = async (from: string, to: string) =>
    (
      await env.DB.prepare(
        "SELECT meter_id, date, kwh, baseload_kw FROM meter_days WHERE date BETWEEN ?1 AND ?2 ORDER BY meter_id, date",
      )
        .bind(from, to)
        .all()
    ).results;

  it("win over a write from a snapshot read before them", async () => {
    const span: [number, string, string] = [1, "2025-06-01", "2025-06-01"];
    await env.DB.batch(halfHourlyStatements(env.DB, [day(1, "2025-06-01")], "b0", "replace"));
    const snapshot = await readSnapshot(env.DB, [span]);
    const rev = (JSON.parse(snapshot.days[0][1]) as [string, number, unknown, number, number][])[0][4];
    // A is on site 1001 since the roll-up test, with the default hours (null).
    await env.DB.batch(rangeWrites("b1", [day(1, "2025-06-01")], [[1, null]]));
    // The aggregation that read its snapshot before the range wrote lands afterwards.
    await env.DB.batch(figureStatements(env.DB, [[1, "2025-06-01", "[9,9,0,9]", rev]], [span], []));
    expect(await baseloads("2025-06-01", "2025-06-01")).toEqual([
      { meter_id: 1, date: "2025-06-01", kwh: 24, baseload_kw: 1 },
    ]);
    expect(
      await env.DB.prepare(
        "SELECT days, kwh FROM meter_months WHERE meter_id = 1 AND month = '2025-06'",
      ).first(),
    ).toEqual({ days: 1, kwh: 24 });
  });

  it("leave a meter's days pending when its site's hours changed since they were computed", async () => {
    // Computed with site 1000's hours, but A has moved to site 1001 (the default hours) meanwhile.
    const hours = { weekday: { open: "07:00", close: "19:30" }, weekend: { open: "10:00", close: "14:00" } };
    await env.DB.batch(rangeWrites("b2", [day(1, "2025-06-02")], [[1, JSON.stringify(hours)]]));
    expect(await baseloads("2025-06-02", "2025-06-02")).toEqual([
      { meter_id: 1, date: "2025-06-02", kwh: 24, baseload_kw: null },
    ]);
    expect(
      await env.DB.prepare("SELECT meter_id, first_date, last_date FROM changed_spans WHERE batch_id = 'b2'")
        .all()
        .then((r) => r.results),
    ).toEqual([{ meter_id: 1, first_date: "2025-06-02", last_date: "2025-06-02" }]);
  });

  it("leave every meter's days pending when one meter's site hours changed", async () => {
    // A's hours (the default) are as computed; B's were computed with hours its site does not have.
    const hours = { weekday: { open: "06:00", close: "20:00" }, weekend: null };
    await env.DB.batch(
      rangeWrites(
        "b3",
        [day(1, "2025-06-03"), day(1, "2025-06-04"), day(2, "2025-06-03")],
        [
          [1, null],
          [2, JSON.stringify(hours)],
        ],
      ),
    );
    expect(await baseloads("2025-06-03", "2025-06-04")).toEqual([
      { meter_id: 1, date: "2025-06-03", kwh: 24, baseload_kw: null },
      { meter_id: 1, date: "2025-06-04", kwh: 24, baseload_kw: null },
      { meter_id: 2, date: "2025-06-03", kwh: 24, baseload_kw: null },
    ]);
    expect(
      await env.DB.prepare(
        "SELECT meter_id, first_date, last_date FROM changed_spans WHERE batch_id = 'b3' ORDER BY meter_id",
      )
        .all()
        .then((r) => r.results),
    ).toEqual([
      { meter_id: 1, first_date: "2025-06-03", last_date: "2025-06-04" },
      { meter_id: 2, first_date: "2025-06-03", last_date: "2025-06-03" },
    ]);
  });
});
