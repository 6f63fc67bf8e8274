// GET /api/meters/:mpan/readings over hand-written rows: a full day, a daily total on the spring clock
// change (29 March 2026, 46 periods) and a day with two half-hours, the second estimated.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregatePending } from "../../src/analytics/aggregate";
import { call, json, login, MPAN_A, MPAN_B, MPAN_C, seedEstate } from "../helpers";

let viewer: string;
let manager: string;
beforeAll(async () => {
  await seedEstate();
  const meter = `(SELECT id FROM meters WHERE mpan = '${MPAN_A}')`;
  const partial = JSON.stringify([1.25, 0.75, ...Array(46).fill(null)]);
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, periods) VALUES
        (${meter}, '2026-03-28', 24, 48, 0, ?1),
        (${meter}, '2026-03-29', 30.5, NULL, 1, NULL),
        (${meter}, '2026-03-30', 2, 2, 2, ?2),
        (${meter}, '2026-04-01', 9, NULL, 0, NULL)`,
    ).bind(JSON.stringify(Array(48).fill(0.5)), partial),
    // As an import would: the span of days it changed, which the aggregation turns into day figures.
    env.DB.prepare(
      `INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date) VALUES ('test', ${meter}, '2026-03-28', '2026-04-01')`,
    ),
  ]);
  await aggregatePending(env.DB);
  viewer = await login("viewer@example.com"); // region A1: sees MPAN_A only
  manager = await login("manager@example.com"); // company A: MPAN_A and MPAN_B
});

const get = (cookie: string, mpan: string, query: string) =>
  call("GET", `/api/meters/${mpan}/readings?${query}`, undefined, { cookie });

describe("GET /api/meters/:mpan/readings", () => {
  it("answers one entry per stored day in the span at granularity=day", async () => {
    const res = await get(viewer, MPAN_A, "from=2026-03-28&to=2026-03-31&granularity=day");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      mpan: MPAN_A,
      unit: "kWh",
      granularity: "day",
      // Day figures (src/analytics): 0.5 kWh every half-hour → baseload and peak 1 kW from 00:00Z; a
      // daily total has none and counts as complete; two half-hours give no baseload (fewer than 8), a
      // 2.5 kW peak at the day's first half-hour (23:00Z, BST) and 2 of 48 periods.
      data: [
        {
          date: "2026-03-28",
          kwh: 24,
          periods: 48,
          expectedPeriods: 48,
          estimated: false,
          baseloadKw: 1,
          peakKw: 1,
          peakAt: "2026-03-28T00:00:00.000Z",
          completeness: 1,
        },
        {
          date: "2026-03-29",
          kwh: 30.5,
          periods: null,
          expectedPeriods: 46,
          estimated: true,
          baseloadKw: null,
          peakKw: null,
          peakAt: null,
          completeness: 1,
        },
        {
          date: "2026-03-30",
          kwh: 2,
          periods: 2,
          expectedPeriods: 48,
          estimated: true,
          baseloadKw: null,
          peakKw: 2.5,
          peakAt: "2026-03-29T23:00:00.000Z",
          completeness: 0.0417,
        },
      ],
    });
  });

  it("answers the present half-hours with their UTC times at granularity=hh", async () => {
    // 30 March 2026 is in BST: its first period starts at 23:00 UTC the day before. The daily total
    // of the 29th has no half-hours to show.
    const res = await get(viewer, MPAN_A, "from=2026-03-29&to=2026-03-30&granularity=hh");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      mpan: MPAN_A,
      unit: "kWh",
      granularity: "hh",
      data: [
        {
          date: "2026-03-30",
          period: 1,
          start: "2026-03-29T23:00:00.000Z",
          end: "2026-03-29T23:30:00.000Z",
          kwh: 1.25,
          estimated: false,
        },
        {
          date: "2026-03-30",
          period: 2,
          start: "2026-03-29T23:30:00.000Z",
          end: "2026-03-30T00:00:00.000Z",
          kwh: 0.75,
          estimated: true,
        },
      ],
    });
  });

  it("answers no days for a visible meter without readings in the span", async () => {
    const res = await get(manager, MPAN_B, "from=2026-03-28&to=2026-03-31&granularity=day");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ mpan: MPAN_B, unit: "kWh", granularity: "day", data: [] });
  });

  it("answers 404 for a meter the caller may not see, as for one that does not exist", async () => {
    for (const mpan of [MPAN_C, MPAN_B, "1999999999990"]) {
      const res = await get(viewer, mpan, "from=2026-03-28&to=2026-03-31&granularity=day");
      expect(res.status).toBe(404);
      expect(await json(res)).toEqual({ error: { code: "not_found", message: "meter not found" } });
    }
  });
});
