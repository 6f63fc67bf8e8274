// The carbon API end to end, with the stand-in API as the global fetch: the refresh (once a minute per
// deployment), the current intensity and forecast, history, best times, sites' grid regions, and a
// meter's, a site's and the portfolio's emissions on the autumn clock-change day, worked by hand.
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { INDEX_COLOURS } from "../../src/carbon/domain";
import { call, json, login, MPAN_A, MPAN_B, seedEstate } from "../helpers";
import { fakeCarbonApi, forecastAt, HH } from "./fake-api";

let admin: string;
let manager: string;
let viewer: string;
const now = Math.floor(Date.now() / HH) * HH;
const api = fakeCarbonApi({ actualsUntil: now, outwardRegions: {} });

beforeAll(async () => {
  await seedEstate();
  [admin, manager, viewer] = await Promise.all(
    ["admin@example.com", "manager@example.com", "viewer@example.com"].map((e) => login(e)),
  );
  api.install();
});
afterAll(() => vi.unstubAllGlobals());

describe("refresh and the current intensity", () => {
  it("answers 404 before anything is stored", async () => {
    const res = await call("GET", "/api/carbon-intensity", undefined, { cookie: viewer });
    expect(res.status).toBe(404);
  });

  it("polls on demand, at most once a minute for the whole deployment", async () => {
    const res = await call("POST", "/api/carbon-intensity/refresh", undefined, { cookie: manager });
    expect(res.status).toBe(200);
    const body = await json(res);
    // 30 days back (1,440 half-hours), 96 forecast from now, and 48 half-hours of generation mix.
    expect(body).toMatchObject({ stored: 1440 + 96 + 48, updated: 0, failures: [] });
    expect(body.to).toBe(new Date(now + 96 * HH).toISOString());
    const again = await call("POST", "/api/carbon-intensity/refresh", undefined, { cookie: admin });
    expect(again.status).toBe(429);
    expect((await json(again)).error.code).toBe("rate_limited");
    const wait = Number(again.headers.get("Retry-After"));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    // A minute later it is allowed again.
    await env.DB.prepare("UPDATE carbon_feed SET last_refresh_at = last_refresh_at - 60000").run();
    expect((await call("POST", "/api/carbon-intensity/refresh", undefined, { cookie: admin })).status).toBe(
      200,
    );
  });

  it("shows the current half-hour with its band colour, its trend and the next 48 h", async () => {
    const body = await json(await call("GET", "/api/carbon-intensity", undefined, { cookie: viewer }));
    // The stand-in's forecast is 100 + the UTC half-hour of the day; the current one has no actual yet.
    expect(body.from).toBe(new Date(now).toISOString());
    expect(body.intensity).toEqual({ forecast: forecastAt(now), actual: null, index: "moderate" });
    expect(body.colour).toBe(INDEX_COLOURS.moderate);
    expect(body.forecast).toHaveLength(95);
    expect(body.forecast[0]).toEqual({
      from: new Date(now + HH).toISOString(),
      to: new Date(now + 2 * HH).toISOString(),
      forecast: forecastAt(now + HH),
      index: "moderate",
    });
    expect(["rising", "falling", "steady"]).toContain(body.trend);
    expect(body.demo).toBe(false);
  });

  it("gives 7 days of history with a half-hour-of-day profile", async () => {
    const body = await json(
      await call("GET", "/api/carbon-intensity/history?days=7", undefined, { cookie: viewer }),
    );
    expect(body.data).toHaveLength(7 * 48);
    expect(body.profile).toHaveLength(48);
    expect(body.profile[0].halfHour).toBe("00:00");
    expect(
      (await call("GET", "/api/carbon-intensity/history?days=8", undefined, { cookie: viewer })).status,
    ).toBe(400);
  });

  it("finds the best times to run, best first", async () => {
    const res = await call("GET", "/api/carbon-intensity/best-times?hours=3", undefined, { cookie: viewer });
    const body = await json(res);
    expect(body).toHaveLength(3);
    // The stand-in's cleanest hours are just after 00:00Z (100 + half-hour of the day): 00:00–03:00Z,
    // mean 100 + (0+1+2+3+4+5)/6 = 102.5.
    expect(new Date(body[0].from).toISOString().slice(11, 16)).toBe("00:00");
    expect(body[0].meanIntensity).toBe(102.5);
    expect(body[0].meanIntensity).toBeLessThanOrEqual(body[1].meanIntensity);
    const bad = await call("GET", "/api/carbon-intensity/best-times?hours=1.25", undefined, {
      cookie: viewer,
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.field).toBe("hours");
  });
});

describe("sites' grid regions and emissions", () => {
  beforeAll(async () => {
    // Acme North Office (MPAN_A) in London by hand; Acme Depot (MPAN_B) has no region.
    // 25 October 2026 (50 periods): period 1 starts at 23:00Z on the 24th, period 5 at 01:00Z (01:00 GMT).
    const day = Array<number | null>(50).fill(null);
    day[0] = 2;
    day[4] = 1;
    const other = Array<number | null>(50).fill(null);
    other[0] = 3;
    await env.DB.batch([
      // seedEstate empties every table, the factors migration 0013 stores included: 2025's again.
      env.DB.prepare(
        "INSERT INTO emission_factors (year, fuel, kg_per_kwh, source) VALUES (2025, 'electricity', 0.177, 'test')",
      ),
      env.DB.prepare(
        "INSERT INTO readings (meter_id, date, total_kwh, period_count, periods) SELECT id, '2026-10-25', 3, 2, ?1 FROM meters WHERE mpan = ?2",
      ).bind(JSON.stringify(day), MPAN_A),
      env.DB.prepare(
        "INSERT INTO readings (meter_id, date, total_kwh, period_count, periods) SELECT id, '2026-10-25', 3, 1, ?1 FROM meters WHERE mpan = ?2",
      ).bind(JSON.stringify(other), MPAN_B),
      env.DB.prepare(
        "INSERT INTO carbon_national (start, forecast, actual, idx, updated_at) VALUES (?1, 150, 140, NULL, 'x'), (?2, 90, NULL, NULL, 'x')",
      ).bind(Date.parse("2026-10-24T23:00Z"), Date.parse("2026-10-25T01:00Z")),
      env.DB.prepare(
        "INSERT INTO carbon_regional (region_id, start, forecast, updated_at) VALUES (13, ?1, 60, 'x')",
      ).bind(Date.parse("2026-10-24T23:00Z")),
    ]);
  });

  it("lets an admin choose a site's region by hand, and shows it", async () => {
    const put = await call("PUT", "/api/sites/1000/grid-region", { regionId: 13 }, { cookie: admin });
    expect(put.status).toBe(200);
    expect(await json(put)).toEqual({
      siteId: 1000,
      regionId: 13,
      name: "London",
      source: "manual",
      outward: null,
    });
    expect(
      await json(await call("GET", "/api/sites/1000/grid-region", undefined, { cookie: viewer })),
    ).toMatchObject({
      regionId: 13,
    });
    const bad = await call("PUT", "/api/sites/1000/grid-region", { regionId: 18 }, { cookie: admin });
    expect(bad.status).toBe(400);
    // Outside the viewer's grants (region A1 holds only site 1000): 404.
    expect((await call("GET", "/api/sites/2000/grid-region", undefined, { cookie: viewer })).status).toBe(
      404,
    );
  });

  it("works out a meter's emissions half-hour by half-hour", async () => {
    const res = await call(
      "GET",
      `/api/meters/${MPAN_A}/emissions?from=2026-10-25&to=2026-10-25&granularity=hh`,
      undefined,
      {
        cookie: viewer,
      },
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    // Period 1: 2 kWh × London's 60 = 120 g; period 5: 1 kWh × the national forecast 90 = 90 g (no actual).
    // Fixed factor: 2026 uses 2025's 0.177 kg/kWh × 3 kWh = 0.531 kg.
    expect(
      body.data.map((s: { from: string; gco2: number; basis: string }) => [s.from, s.gco2, s.basis]),
    ).toEqual([
      ["2026-10-24T23:00:00.000Z", 120, "regional"],
      ["2026-10-25T01:00:00.000Z", 90, "national_forecast"],
    ]);
    expect(body.total).toMatchObject({
      kwh: 3,
      kgco2: 0.21,
      unmatchedKwh: 0,
      fixedFactorKgco2: 0.531,
      basis: "mixed",
    });
  });

  it("adds a site's and the portfolio's meters per fuel", async () => {
    const portfolio = await json(
      await call("GET", "/api/portfolio/emissions?from=2026-10-25&to=2026-10-25", undefined, {
        cookie: manager,
      }),
    );
    // MPAN_B (no region): 3 kWh × the national actual 140 = 420 g. With MPAN_A's 210 g: 630 g over 6 kWh.
    expect(portfolio.fuels.electricity.total).toMatchObject({ kwh: 6, kgco2: 0.63, fixedFactorKgco2: 1.062 });
    expect(portfolio.fuels.electricity.total.shares).toEqual({
      regional: 0.3333,
      national_actual: 0.5,
      national_forecast: 0.1667,
      fixed_factor: 0,
    });
    expect(
      portfolio.sites.map((s: { name: string; fuels: { electricity: { kgco2: number } } }) => [
        s.name,
        s.fuels.electricity.kgco2,
      ]),
    ).toEqual([
      ["Acme Depot", 0.42],
      ["Acme North Office", 0.21],
    ]);
    const site = await json(
      await call("GET", "/api/sites/1001/emissions?from=2026-10-25&to=2026-10-25", undefined, {
        cookie: manager,
      }),
    );
    expect(site.fuels.electricity.data).toEqual([
      {
        from: "2026-10-25",
        to: "2026-10-25",
        kwh: 3,
        gco2: 420,
        unmatchedKwh: 0,
        basis: "national_actual",
        shares: { regional: 0, national_actual: 1, national_forecast: 0, fixed_factor: 0 },
      },
    ]);
    // A month bucket is clipped to the range, as consumption analytics clips its buckets.
    const month = await json(
      await call(
        "GET",
        "/api/sites/1001/emissions?from=2026-10-20&to=2026-11-05&granularity=month",
        undefined,
        { cookie: manager },
      ),
    );
    expect(month.fuels.electricity.data.map((d: { from: string; to: string }) => [d.from, d.to])).toEqual([
      ["2026-10-20", "2026-10-31"],
    ]);
    const tooLong = await call(
      "GET",
      `/api/meters/${MPAN_A}/emissions?from=2026-01-01&to=2026-03-01&granularity=hh`,
      undefined,
      {
        cookie: viewer,
      },
    );
    expect(tooLong.status).toBe(400);
    expect((await json(tooLong)).error.field).toBe("to");
  });
});
