// A site's costs: its meters' bills summed per fuel, each meter priced under its own flat tariff, money
// carried unrounded and rounded once. Every figure below is worked by hand in the comments.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, MPAN_A, seedEstate } from "../helpers";

/** A second electricity meter and a gas meter, both on site 1000 beside MPAN_A. */
const MPAN_E2 = "2200012767323";
const MPRN_G = "9206543210";
let manager: string;
const asManager = (path: string) => call("GET", path, undefined, { cookie: manager });

const flat = (
  fuel: string,
  unitRatePence: number,
  standingChargePence: number,
  vatRate: number,
  ccl: boolean,
) => ({
  name: `${fuel} ${unitRatePence}p`,
  fuel,
  type: "flat",
  validFrom: "2025-01-01",
  standingChargePence,
  vatRate,
  ccl,
  unitRatePence,
  active: true,
});

async function seedDay(mpan: string, date: string, periods: (number | null)[]) {
  const kwh = periods.reduce<number>((n, v) => n + (v ?? 0), 0);
  await env.DB.prepare(
    "INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, periods) SELECT id, ?2, ?3, ?4, 0, ?5 FROM meters WHERE mpan = ?1",
  )
    .bind(mpan, date, kwh, periods.filter((v) => v !== null).length, JSON.stringify(periods))
    .run();
}

beforeAll(async () => {
  await seedEstate();
  const admin = await login("admin@example.com");
  manager = await login("manager@example.com");
  await env.DB.prepare(
    `INSERT INTO meters (mpan, fuel, site_id) VALUES ('${MPAN_E2}', 'electricity', 1000), ('${MPRN_G}', 'gas', 1000)`,
  ).run();
  // MPAN_A: 0.5 kWh × 48 = 24 kWh on both days. MPAN_E2: 47 × 1 kWh (one half-hour missing) on the 5th,
  // nothing on the 6th. The gas meter: 0.25 kWh × 48 = 12 kWh on both days.
  for (const date of ["2026-01-05", "2026-01-06"]) {
    await seedDay(MPAN_A, date, Array(48).fill(0.5));
    await seedDay(MPRN_G, date, Array(48).fill(0.25));
  }
  await seedDay(MPAN_E2, "2026-01-05", [...Array(47).fill(1), null]);
  const tariffs: [string, object][] = [
    [MPAN_A, flat("electricity", 20, 30, 0.2, false)],
    [MPAN_E2, flat("electricity", 10, 50, 0.05, true)],
    [MPRN_G, flat("gas", 5, 25, 0.2, false)],
  ];
  for (const [mpan, body] of tariffs) {
    const created = await call("POST", "/api/tariffs", body, { cookie: admin });
    expect(created.status).toBe(201);
    const assigned = await call(
      "POST",
      `/api/meters/${mpan}/tariffs`,
      { tariffId: (await json(created)).id, from: "2026-01-01" },
      { cookie: admin },
    );
    expect(assigned.status).toBe(201);
  }
});

describe("GET /api/sites/:id/costs", () => {
  it("sums the meters' bills per fuel, by day, rounding once", async () => {
    const res = await asManager("/api/sites/1000/costs?from=2026-01-05&to=2026-01-06");
    expect(res.status).toBe(200);
    const body = await json(res);
    // MPAN_A (20 p, 30 p/day, VAT 20 %, no CCL), per day: units 24 × 20 = 480, VAT (480 + 30) × 0.2 = 102,
    // total 612; two days 1,224.
    // MPAN_E2 (10 p, 50 p/day, VAT 5 %, CCL 0.775 p/kWh before April 2026): the 5th: units 470,
    // CCL 47 × 0.775 = 36.425, VAT (470 + 50 + 36.425) × 0.05 = 27.82125, total 584.24625; the 6th (no
    // readings, the standing charge still applies): 50 + VAT 2.5 = 52.5; meter total 636.74625 → 636.75.
    // Gas (5 p, 25 p/day, VAT 20 %): per day 60 + 25 + VAT 17 = 102; two days 204.
    expect(body.meters).toEqual([
      { mpan: MPAN_A, fuel: "electricity", totalPence: 1224 },
      { mpan: MPAN_E2, fuel: "electricity", totalPence: 636.75 },
      { mpan: MPRN_G, fuel: "gas", totalPence: 204 },
    ]);
    expect(body).toMatchObject({ siteId: 1000, from: "2026-01-05", to: "2026-01-06", granularity: "day" });
    const e = body.fuels.electricity;
    expect(e.data).toEqual([
      // 71 kWh; units 480 + 470; standing 30 + 50; CCL 36.425 → 36.43; VAT 102 + 27.82125 → 129.82;
      // total 612 + 584.24625 = 1,196.24625 → 1,196.25.
      {
        from: "2026-01-05",
        to: "2026-01-05",
        kwh: 71,
        unitsPence: 950,
        standingPence: 80,
        cclPence: 36.43,
        vatPence: 129.82,
        totalPence: 1196.25,
        // Both meters' flat rates are named "Unit rate": one band, 480 + 470.
        bands: [{ name: "Unit rate", pence: 950 }],
      },
      // 24 kWh; VAT 102 + 2.5; total 612 + 52.5.
      {
        from: "2026-01-06",
        to: "2026-01-06",
        kwh: 24,
        unitsPence: 480,
        standingPence: 80,
        cclPence: 0,
        vatPence: 104.5,
        totalPence: 664.5,
        bands: [{ name: "Unit rate", pence: 480 }],
      },
    ]);
    // The total from the unrounded days: VAT 234.32125 → 234.32, total 1,860.74625 → 1,860.75.
    expect(e.total).toEqual({
      kwh: 95,
      unitsPence: 1430,
      standingPence: 160,
      cclPence: 36.43,
      vatPence: 234.32,
      totalPence: 1860.75,
    });
    expect(e.byBand).toEqual([{ name: "Unit rate", kwh: 95, pence: 1430 }]);
    // MPAN_E2's missing half-hour and its day without readings; 143 of 2 × 96 half-hours present.
    expect(e.missing).toEqual({ periods: 1, days: 1 });
    expect(e.completeness).toBe(0.7448);
    expect(body.fuels.gas.total).toEqual({
      kwh: 24,
      unitsPence: 120,
      standingPence: 50,
      cclPence: 0,
      vatPence: 34,
      totalPence: 204,
    });
    expect(body.fuels.gas.missing).toEqual({ periods: 0, days: 0 });
  });

  it("buckets by month, with the same totals", async () => {
    const body = await json(
      await asManager("/api/sites/1000/costs?from=2026-01-05&to=2026-01-06&granularity=month"),
    );
    expect(body.fuels.electricity.data).toEqual([
      {
        from: "2026-01-05",
        to: "2026-01-06",
        ...body.fuels.electricity.total,
        bands: [{ name: "Unit rate", pence: 1430 }],
      },
    ]);
    expect(body.fuels.gas.data).toHaveLength(1);
  });

  it("answers a site outside the caller's grants, or unknown, with 404, and bad dates with 400", async () => {
    expect((await asManager("/api/sites/2000/costs?from=2026-01-05&to=2026-01-06")).status).toBe(404);
    expect((await asManager("/api/sites/9999/costs?from=2026-01-05&to=2026-01-06")).status).toBe(404);
    const bad = await asManager("/api/sites/1000/costs?from=2026-01-06&to=2026-01-05");
    expect(bad.status).toBe(400);
  });
});
