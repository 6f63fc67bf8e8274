// The poll against a stand-in API (test/carbon/fake-api.ts): first-run backfill, forecasts replaced by
// actuals, a gap of more than 14 days filled in 14-day windows, a region added later backfilled for its
// meters' readings, demo rows replaced, and a 500, an empty `data` and a timeout survived.
import { createScheduledController, env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runScheduled } from "../../cron/index";
import { carbonFeedCheck } from "../../src/carbon/health";
import { pollCarbon } from "../../src/carbon/poll";
import { healthReport, lastReport } from "../../src/health/routes";
import { MPAN_C, resetDb, seedEstate } from "../helpers";
import { actualAt, API_500, fakeCarbonApi, FAST, forecastAt, HH, regionalAt } from "./fake-api";

const DAY = 86_400_000;
const t = (s: string) => Date.parse(s);
/** 12:10Z: the poll works on the half-hour that started at 12:00Z. */
const AT = t("2026-06-10T12:10Z");
const NOW = t("2026-06-10T12:00Z");

let api: ReturnType<typeof fakeCarbonApi>;
const poll = (at = AT) => pollCarbon(env, new Date(at), { ...FAST, fetch: api.fetch });
const nationalCalls = () => api.calls.filter((c) => /^\/intensity\/[^/]+\/[^/]+Z$/.test(c));
const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

beforeEach(async () => {
  await resetDb();
  api = fakeCarbonApi({ actualsUntil: NOW, outwardRegions: { EC1A: 13 } });
});
afterEach(() => vi.unstubAllGlobals());

describe("the first poll", () => {
  it("stores the 48 h forecast and backfills 30 days in windows of at most 14 days", async () => {
    const run = await poll();
    expect(run.failures).toEqual([]);
    expect(nationalCalls()).toEqual([
      "/intensity/2026-05-11T12:00Z/2026-05-25T12:00Z",
      "/intensity/2026-05-25T12:00Z/2026-06-08T12:00Z",
      "/intensity/2026-06-08T12:00Z/2026-06-10T12:30Z",
    ]);
    // 30 days × 48 past half-hours, then 96 from 12:00Z (the current one included).
    expect(await count("SELECT count(*) AS n FROM carbon_national")).toBe(30 * 48 + 96);
    expect(run.stored).toBe(30 * 48 + 96 + 48); // + 48 half-hours of generation mix
    expect([run.from, run.to]).toEqual(["2026-05-11T12:00:00.000Z", "2026-06-12T12:00:00.000Z"]);
    const row = await env.DB.prepare(
      "SELECT forecast, actual, idx, demo FROM carbon_national WHERE start = ?1",
    )
      .bind(NOW - HH)
      .first();
    expect(row).toEqual({
      forecast: forecastAt(NOW - HH),
      actual: actualAt(NOW - HH),
      idx: "moderate",
      demo: 0,
    });
  });

  it("replaces the seed's demo rows, which never count as stored", async () => {
    await env.DB.prepare(
      "INSERT INTO carbon_national (start, forecast, actual, idx, demo, updated_at) VALUES (?1, 1, 1, 'low', 1, 'x'), (?2, 1, 1, 'low', 1, 'x')",
    )
      .bind(NOW - 40 * DAY, NOW - HH)
      .run();
    await env.DB.prepare(
      "INSERT INTO carbon_regional (region_id, start, forecast, demo, updated_at) VALUES (13, ?1, 1, 1, 'x')",
    )
      .bind(NOW)
      .run();
    await poll();
    // The full 30-day backfill ran, as if nothing were stored.
    expect(nationalCalls()).toHaveLength(3);
    expect(await count("SELECT count(*) AS n FROM carbon_national WHERE demo = 1")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM carbon_regional")).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM carbon_national WHERE start = ${NOW - 40 * DAY}`)).toBe(0);
    expect(await count(`SELECT actual AS n FROM carbon_national WHERE start = ${NOW - HH}`)).toBe(
      actualAt(NOW - HH),
    );
  });
});

describe("later polls", () => {
  it("still owe the 30-day backfill when only forecasts were stored", async () => {
    api.override(/^\/intensity\/2026-05/, { status: 500, body: API_500 });
    await poll();
    expect(await count("SELECT count(*) AS n FROM carbon_national WHERE actual IS NOT NULL")).toBe(0);
    api = fakeCarbonApi({ actualsUntil: NOW });
    await poll(AT + 60_000);
    expect(nationalCalls()).toHaveLength(3);
    expect(await count("SELECT count(*) AS n FROM carbon_national")).toBe(30 * 48 + 96);
  });

  it("replace a forecast with the actual once it is published, and never blank an actual", async () => {
    await poll();
    expect(
      await count(`SELECT count(*) AS n FROM carbon_national WHERE start = ${NOW} AND actual IS NULL`),
    ).toBe(1);
    api = fakeCarbonApi({ actualsUntil: NOW + HH });
    const run = await poll(AT + HH);
    // Only what was missing is asked for: the half-hours from the first without an actual.
    expect(nationalCalls()).toEqual(["/intensity/2026-06-10T12:00Z/2026-06-10T13:00Z"]);
    const row = await env.DB.prepare("SELECT forecast, actual FROM carbon_national WHERE start = ?1")
      .bind(NOW)
      .first();
    expect(row).toEqual({ forecast: forecastAt(NOW), actual: actualAt(NOW) });
    expect(run.updated).toBeGreaterThanOrEqual(1);
    // A later answer without actuals (the fw48h from 12:30Z says null for 12:30Z) keeps those stored.
    api = fakeCarbonApi({ actualsUntil: 0 });
    await poll(AT + HH);
    expect(await count(`SELECT actual AS n FROM carbon_national WHERE start = ${NOW}`)).toBe(actualAt(NOW));
  });

  it("fill a gap of more than 14 days in 14-day windows", async () => {
    await poll();
    // 20 days without a poll: the last actual stored is 11:30Z on 10 June.
    api.clear();
    const later = AT + 20 * DAY;
    api = fakeCarbonApi({ actualsUntil: NOW + 20 * DAY });
    await poll(later);
    expect(nationalCalls()).toEqual([
      "/intensity/2026-06-10T12:00Z/2026-06-24T12:00Z",
      "/intensity/2026-06-24T12:00Z/2026-06-30T12:30Z",
    ]);
    // Every half-hour from the first backfill to the end of the new forecast, none missing.
    const span = await env.DB.prepare(
      "SELECT count(*) AS n, (max(start) - min(start)) / 1800000 + 1 AS expected FROM carbon_national",
    ).first<{ n: number; expected: number }>();
    expect(span!.n).toBe(span!.expected);
  });
});

describe("regions", () => {
  it("looks a site's region up once from its postcode and backfills a region added later for its meters' readings", async () => {
    await seedEstate();
    // Bravo Tower (EC1A 1BB, meter MPAN_C) has readings from 100 days back; other outward codes have no region.
    const first = new Date(NOW - 100 * DAY).toISOString().slice(0, 10);
    await env.DB.prepare(
      "INSERT INTO readings (meter_id, date, total_kwh, period_count, periods) SELECT id, ?1, 1, NULL, NULL FROM meters WHERE mpan = ?2",
    )
      .bind(first, MPAN_C)
      .run();
    await poll();
    expect(api.calls.filter((c) => c.startsWith("/regional/postcode/")).sort()).toEqual([
      "/regional/postcode/B1",
      "/regional/postcode/EC1A",
      "/regional/postcode/M1",
    ]);
    const regions = await env.DB.prepare(
      "SELECT site_id, region_id, source, outward FROM site_grid_regions ORDER BY site_id",
    ).all();
    expect(regions.results).toEqual([
      { site_id: 1000, region_id: null, source: "postcode", outward: "M1" },
      { site_id: 1001, region_id: null, source: "postcode", outward: "B1" },
      { site_id: 2000, region_id: 13, source: "postcode", outward: "EC1A" },
    ]);
    // From 00:00Z on 2 March (a GMT day) to 12:30Z on 10 June: 100.5 days and a half-hour in windows of
    // 14 days counted from the start, asked for newest first: 8 requests.
    const regional = api.calls.filter((c) => c.includes("/regionid/13"));
    expect(regional).toHaveLength(8);
    expect(regional[0]).toBe("/regional/intensity/2026-06-08T00:00Z/2026-06-10T12:30Z/regionid/13");
    expect(regional.at(-1)).toBe("/regional/intensity/2026-03-02T00:00Z/2026-03-16T00:00Z/regionid/13");
    expect(first).toBe("2026-03-02");
    const stored = await env.DB.prepare(
      "SELECT min(start) AS first, count(*) AS n, sum(forecast = ?2 ) AS ok FROM carbon_regional WHERE region_id = 13 AND start = ?1",
    )
      .bind(t("2026-03-02T00:00Z"), regionalAt(13, t("2026-03-02T00:00Z")))
      .first();
    expect(stored).toEqual({ first: t("2026-03-02T00:00Z"), n: 1, ok: 1 });
    // Regions no site is in are not stored; the region's forecast is.
    expect(await count("SELECT count(DISTINCT region_id) AS n FROM carbon_regional")).toBe(1);
    expect(
      await count(
        `SELECT forecast AS n FROM carbon_regional WHERE region_id = 13 AND start = ${NOW + 95 * HH}`,
      ),
    ).toBe(regionalAt(13, NOW + 95 * HH));

    // The next poll asks no postcode again and backfills nothing more.
    api.clear();
    await poll(AT + HH);
    expect(api.calls.filter((c) => c.startsWith("/regional/postcode/") || c.includes("/regionid/"))).toEqual(
      [],
    );
  });
});

describe("failures", () => {
  const cron = (at: number) =>
    runScheduled(createScheduledController({ cron: "*/30 * * * *", scheduledTime: at }), {
      ...env,
      CARBON_TIMEOUT_MS: "50",
      CARBON_BACKOFF_MS: "0",
    });
  const lastRun = () =>
    env.DB.prepare("SELECT last_status, last_detail FROM cron_runs WHERE job = 'carbon'").first<{
      last_status: string;
      last_detail: string;
    }>();

  it("survives a 500, an empty data, a timeout and object-shaped data, and alerts at the third failed run in a row", async () => {
    api.install();
    api.override(/fw48h$/, { status: 500, body: API_500 });
    api.override(/^\/generation\//, { timeout: true });
    api.override(/^\/intensity\/2026-05-11/, { body: { data: [] } });
    api.override(/^\/intensity\/2026-05-25/, {
      body: {
        data: { from: "2026-05-25T12:00Z", to: "2026-05-25T12:30Z", intensity: { forecast: 7, actual: 8 } },
      },
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await cron(AT);
    let run = await lastRun();
    expect(run!.last_status).toBe("ok");
    expect(run!.last_detail).toMatch(
      /2 failed: national forecast: \/intensity\/2026-06-10T12:00Z\/fw48h: 500 Requested resource not found\.; generation: .*no answer within 50 ms \(1 in a row; alert at 3\)$/,
    );
    // What did answer is stored: the one object-shaped half-hour and the last window.
    expect(
      await count(`SELECT actual AS n FROM carbon_national WHERE start = ${t("2026-05-25T12:00Z")}`),
    ).toBe(8);
    expect(await count("SELECT count(*) AS n FROM carbon_national")).toBe(1 + 2 * 48 + 1);
    // 500s and timeouts are retried: three attempts each.
    expect(api.calls.filter((c) => c.endsWith("fw48h"))).toHaveLength(3);
    expect(warn).not.toHaveBeenCalled();

    await cron(AT + HH);
    expect((await lastRun())!.last_status).toBe("ok");
    await cron(AT + 2 * HH);
    run = await lastRun();
    expect(run!.last_status).toBe("failed");
    expect(run!.last_detail).toMatch(/^carbon-intensity poll failed 3 times in a row/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^alert: \[critical\] scheduled job carbon failed/);

    // Once the API answers again the count starts afresh.
    api.clear();
    await cron(AT + 3 * HH);
    expect(await lastRun()).toMatchObject({ last_status: "ok" });
    expect(await count("SELECT consecutive_failures AS n FROM carbon_feed")).toBe(0);
    warn.mockRestore();
  });
});

describe("staleness in /api/health", () => {
  it("is ok within 2 hours of new data and degraded after", async () => {
    await poll();
    const at = (ms: number) => carbonFeedCheck(env.DB, ms);
    expect(await at(AT + 119 * 60_000)).toEqual({ status: "ok", detail: "new data 119 minutes ago" });
    expect(await at(AT + 121 * 60_000)).toEqual({
      status: "warn",
      detail: "stale: new data 121 minutes ago",
    });
    // A poll that only fails leaves the clock where it was, and says why.
    api.override(/./, { status: 500, body: API_500 });
    await poll(AT + 100 * 60_000);
    expect((await at(AT + 121 * 60_000)).detail).toMatch(
      /^stale: new data 121 minutes ago; 1 failed polls in a row: /,
    );
    Object.assign(lastReport, { report: null, at: 0, refreshing: null });
    const report = await healthReport(env, { fresh: true, now: AT + 121 * 60_000 });
    expect([report.status, report.checks.carbon.status]).toEqual(["degraded", "warn"]);
  });
});
