// The tariffs API end to end: tariffs and their band checks, price uploads, meter assignments, a meter's
// costs, switching analyses (ranked, stored) and the cost report. Bills are hand-computed in comments.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, MPAN_A, MPAN_C, seedEstate } from "../helpers";

let admin: string;
let manager: string;
const asAdmin = (method: string, path: string, body?: unknown) => call(method, path, body, { cookie: admin });
const asManager = (method: string, path: string, body?: unknown) =>
  call(method, path, body, { cookie: manager });

const flat = (name: string, unitRatePence: number, standingChargePence: number, extra: object = {}) => ({
  name,
  fuel: "electricity",
  type: "flat",
  validFrom: "2025-01-01",
  standingChargePence,
  vatRate: 0.2,
  ccl: false,
  unitRatePence,
  active: true,
  ...extra,
});
const e7 = {
  name: "Economy 7",
  fuel: "electricity",
  type: "tou",
  validFrom: "2025-01-01",
  standingChargePence: 40,
  vatRate: 0.2,
  ccl: false,
  bands: [
    { name: "Night", pencePerKwh: 10, start: "00:00", end: "07:00" },
    { name: "Day", pencePerKwh: 30, start: "07:00", end: "00:00" },
  ],
  active: true,
};

const ids: Record<string, number> = {};

/** 0.5 kWh in each of 48 half-hours: 24 kWh a day. */
async function seedReadings(mpan: string, dates: string[]) {
  const periods = JSON.stringify(Array(48).fill(0.5));
  await env.DB.batch(
    dates.map((date) =>
      env.DB.prepare(
        "INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, periods) SELECT id, ?2, 24, 48, 0, ?3 FROM meters WHERE mpan = ?1",
      ).bind(mpan, date, periods),
    ),
  );
}
const week = [
  "2026-01-05",
  "2026-01-06",
  "2026-01-07",
  "2026-01-08",
  "2026-01-09",
  "2026-01-10",
  "2026-01-11",
];

beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
  manager = await login("manager@example.com");
  await seedReadings(MPAN_A, week);
  for (const [key, body] of Object.entries({
    current: flat("Current Flat", 25, 40),
    cheap: flat("Cheap Flat", 20, 60),
    e7,
    gas: flat("Gas Saver", 1, 0, { fuel: "gas" }),
    inactive: flat("Old Flat", 1, 0, { active: false }),
  })) {
    const res = await asAdmin("POST", "/api/tariffs", body);
    expect(res.status, await res.clone().text()).toBe(201);
    ids[key] = (await json(res)).id;
  }
});

describe("tariffs", () => {
  it("stores a time-of-use tariff with its bands and the local clock by default", async () => {
    const t = await json(await asManager("GET", `/api/tariffs/${ids.e7}`));
    expect(t).toMatchObject({
      type: "tou",
      clock: "local",
      bands: e7.bands,
      unitRatePence: null,
      supplierName: null,
    });
  });

  it("refuses a gap between bands with a 400 naming the band", async () => {
    const res = await asAdmin("POST", "/api/tariffs", {
      ...e7,
      bands: [e7.bands[0], { ...e7.bands[1], start: "07:30" }],
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toEqual({
      code: "invalid",
      field: "bands.0",
      message: 'bands.0 ("Night"): no band covers 07:00–07:30 on mon, next to this band',
    });
  });

  it("refuses overlapping bands, a flat tariff without a rate, and a PATCH that breaks the bands", async () => {
    const overlap = await asAdmin("POST", "/api/tariffs", {
      ...e7,
      bands: [e7.bands[0], { ...e7.bands[1], start: "06:30" }],
    });
    expect(overlap.status).toBe(400);
    expect((await json(overlap)).error.field).toBe("bands.1");
    const noRate = await asAdmin("POST", "/api/tariffs", { ...flat("x", 1, 0), unitRatePence: undefined });
    expect(noRate.status).toBe(400);
    expect((await json(noRate)).error.field).toBe("unitRatePence");
    const patch = await asAdmin("PATCH", `/api/tariffs/${ids.e7}`, { bands: [e7.bands[0]] });
    expect(patch.status).toBe(400);
    expect((await json(patch)).error.field).toBe("bands.0");
  });

  it("takes a dynamic tariff's prices as CSV or as the supplier's JSON, and lists them", async () => {
    const t = await json(
      await asAdmin("POST", "/api/tariffs", {
        ...flat("Agile", 0, 45),
        type: "dynamic",
        unitRatePence: null,
        active: false,
      }),
    );
    const csv =
      "valid_from,valid_to,value_exc_vat\n2026-01-05T00:00:00Z,2026-01-05T00:30:00Z,12.5\n2026-01-05T00:30:00Z,2026-01-05T01:30:00Z,14\n";
    const up = await call("POST", `/api/tariffs/${t.id}/prices`, csv, { cookie: admin });
    // The second row spans two half-hours: three stored.
    expect(await json(up)).toEqual({
      stored: 3,
      from: "2026-01-05T00:00:00.000Z",
      to: "2026-01-05T01:30:00.000Z",
    });
    const res = await call(
      "POST",
      `/api/tariffs/${t.id}/prices`,
      {
        results: [
          {
            value_exc_vat: 20,
            value_inc_vat: 21,
            valid_from: "2026-01-05T01:30:00Z",
            valid_to: "2026-01-05T02:00:00Z",
          },
        ],
      },
      { cookie: admin },
    );
    expect(res.status).toBe(200);
    const listed = await json(
      await asManager("GET", `/api/tariffs/${t.id}/prices?from=2026-01-05&to=2026-01-05`),
    );
    expect(
      listed.data.map((p: { period: number; valueExcVat: number }) => [p.period, p.valueExcVat]),
    ).toEqual([
      [1, 12.5],
      [2, 14],
      [3, 14],
      [4, 20],
    ]);
    expect(listed.missing).toBe(44);
    const bad = await call(
      "POST",
      `/api/tariffs/${t.id}/prices`,
      "valid_from,valid_to,value_exc_vat\n2026-01-05T00:10:00Z,2026-01-05T00:30:00Z,1\n",
      { cookie: admin },
    );
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatchObject({
      field: "valid_from",
      message: "line 2: valid_from: 2026-01-05T00:10:00Z is not on a half-hour",
    });
  });
});

describe("meter tariff assignments", () => {
  it("assigns, refuses an overlap with 409 and a tariff of the other fuel with 400", async () => {
    const res = await asAdmin("POST", `/api/meters/${MPAN_A}/tariffs`, {
      tariffId: ids.current,
      from: "2026-01-01",
    });
    expect(res.status).toBe(201);
    expect((await json(res)).data).toEqual([
      {
        id: expect.any(Number),
        tariffId: ids.current,
        tariffName: "Current Flat",
        from: "2026-01-01",
        to: null,
      },
    ]);
    const overlap = await asAdmin("POST", `/api/meters/${MPAN_A}/tariffs`, {
      tariffId: ids.cheap,
      from: "2025-12-01",
      to: "2026-01-01",
    });
    expect(overlap.status).toBe(409);
    const gas = await asAdmin("POST", `/api/meters/${MPAN_A}/tariffs`, {
      tariffId: ids.gas,
      from: "2025-01-01",
      to: "2025-06-30",
    });
    expect(gas.status).toBe(400);
    expect((await json(gas)).error.field).toBe("tariffId");
  });

  it("keeps a tariff in use from being deleted", async () => {
    expect((await asAdmin("DELETE", `/api/tariffs/${ids.current}`)).status).toBe(409);
  });

  it("is 404 for a meter outside the caller's grants", async () => {
    expect((await asManager("GET", `/api/meters/${MPAN_C}/tariffs`)).status).toBe(404);
  });
});

describe("costs", () => {
  it("prices the week under the assigned tariff", async () => {
    // 168 kWh × 25 p = 4200; standing 7 × 40 = 280; VAT 20 % of 4480 = 896; total 5376.
    const res = await asManager(
      "GET",
      `/api/meters/${MPAN_A}/costs?from=2026-01-05&to=2026-01-11&granularity=month`,
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    const total = {
      kwh: 168,
      unitsPence: 4200,
      standingPence: 280,
      cclPence: 0,
      vatPence: 896,
      totalPence: 5376,
    };
    expect(body.total).toEqual(total);
    expect(body.data).toEqual([
      { from: "2026-01-05", to: "2026-01-11", ...total, bands: [{ name: "Unit rate", pence: 4200 }] },
    ]);
    expect(body.byBand).toEqual([{ name: "Unit rate", kwh: 168, pence: 4200 }]);
    expect(body.missing).toEqual({ periods: 0, days: 0 });
    expect(body.tariffs).toEqual([{ tariffId: ids.current, from: "2026-01-05", to: "2026-01-11" }]);
  });

  it("is refused to a viewer (403) and 404 outside the grants", async () => {
    const viewer = await login("viewer@example.com");
    const res = await call("GET", `/api/meters/${MPAN_A}/costs?from=2026-01-05&to=2026-01-11`, undefined, {
      cookie: viewer,
    });
    expect(res.status).toBe(403);
    expect((await asManager("GET", `/api/meters/${MPAN_C}/costs?from=2026-01-05&to=2026-01-11`)).status).toBe(
      404,
    );
  });
});

describe("switching analysis", () => {
  let analysisId: number;

  it("ranks the active electricity tariffs by saving, never a gas or inactive one", async () => {
    // Cheap Flat: 168 × 20 = 3360 + standing 420 = 3780, VAT 756, total 4536: saves 840 (15.63 %).
    // Economy 7: per day 7 kWh × 10 + 17 kWh × 30 = 580, × 7 = 4060 + 280 = 4340, VAT 868, total 5208: saves 168 (3.13 %).
    // Annualised: 840 × 365 / 7 = 43800.
    const res = await asManager("POST", "/api/analyses/switching", {
      mpan: MPAN_A,
      from: "2026-01-05",
      to: "2026-01-11",
    });
    expect(res.status).toBe(201);
    const a = await json(res);
    analysisId = a.id;
    expect(a.current).toMatchObject({ tariffId: ids.current, name: "Current Flat", totalPence: 5376 });
    expect(
      a.alternatives.map(
        (x: { name: string; totalPence: number; savingPence: number; savingPct: number }) => [
          x.name,
          x.totalPence,
          x.savingPence,
          x.savingPct,
        ],
      ),
    ).toEqual([
      ["Cheap Flat", 4536, 840, 15.63],
      ["Economy 7", 5208, 168, 3.13],
    ]);
    expect(a.alternatives[1].breakdown.byBand).toEqual([
      { name: "Night", kwh: 49, pence: 490 },
      { name: "Day", kwh: 119, pence: 3570 },
    ]);
    expect(a.annualisedSavingPence).toBe(43800);
    expect(a.completeness).toMatchObject({ ratio: 1, missing: { periods: 0, days: 0 } });
  });

  it("defaults to the last 90 days of data and prices alternatives over the days the current tariff covers", async () => {
    const a = await json(await asManager("POST", "/api/analyses/switching", { mpan: MPAN_A }));
    expect([a.from, a.to]).toEqual(["2025-10-14", "2026-01-11"]);
    // The current tariff starts on 1 January: 11 days of standing charges for every tariff.
    expect(a.current.breakdown.standingPence).toBe(440);
    expect(a.alternatives[0].breakdown.standingPence).toBe(660);
    expect(a.completeness.missing.days).toBe(83);
  });

  it("is stored, listed newest first and read back; another scope's is 404", async () => {
    const list = await json(await asManager("GET", `/api/analyses/switching?mpan=${MPAN_A}`));
    expect(list.data.length).toBe(2);
    expect(list.data[1]).toMatchObject({
      id: analysisId,
      mpan: MPAN_A,
      currentTotalPence: 5376,
      best: { name: "Cheap Flat", savingPence: 840 },
    });
    const one = await json(await asManager("GET", `/api/analyses/switching/${analysisId}`));
    expect(one).toMatchObject({
      id: analysisId,
      from: "2026-01-05",
      createdBy: 2,
      siteName: "Acme North Office",
    });
    const bravo = await json(
      await asAdmin("POST", "/api/analyses/switching", {
        siteId: 2000,
        from: "2026-01-05",
        to: "2026-01-05",
      }),
    );
    expect((await asManager("GET", `/api/analyses/switching/${bravo.id}`)).status).toBe(404);
  });

  it("analyses a site as the sum of its meters", async () => {
    const a = await json(
      await asManager("POST", "/api/analyses/switching", {
        siteId: 1000,
        from: "2026-01-05",
        to: "2026-01-11",
      }),
    );
    expect(a).toMatchObject({ meters: 1, fuel: "electricity", current: { totalPence: 5376 } });
  });
});

describe("cost report", () => {
  it("sums per site and per supplier, with formula-safe CSV", async () => {
    const supplier = await json(await asAdmin("POST", "/api/suppliers", { name: "=HYPERLINK(1)" }));
    await asAdmin("PATCH", `/api/tariffs/${ids.current}`, { supplierId: supplier.id });
    const report = await json(await asManager("GET", "/api/reports/costs?from=2026-01-05&to=2026-01-11"));
    expect(report.sites.map((s: { name: string; totalPence: number }) => [s.name, s.totalPence])).toEqual([
      ["Acme Depot", 0],
      ["Acme North Office", 5376],
    ]);
    expect(report.suppliers).toEqual([
      {
        id: supplier.id,
        name: "=HYPERLINK(1)",
        meters: 1,
        kwh: 168,
        unitsPence: 4200,
        standingPence: 280,
        cclPence: 0,
        vatPence: 896,
        totalPence: 5376,
      },
    ]);
    const csv = await (
      await asManager("GET", "/api/reports/costs?from=2026-01-05&to=2026-01-11&format=csv")
    ).text();
    expect(csv.split("\r\n")).toContain(`supplier,${supplier.id},'=HYPERLINK(1),1,168,4200,280,0,896,5376`);
  });
});

describe("dynamic prices in analyses", () => {
  it("uses a new upload at once (parsed series kept in memory are stamped with the upload's version)", async () => {
    const t = await json(
      await asAdmin("POST", "/api/tariffs", {
        ...flat("Agile Live", 0, 0),
        type: "dynamic",
        unitRatePence: null,
      }),
    );
    const upload = (price: number) =>
      call(
        "POST",
        `/api/tariffs/${t.id}/prices`,
        `valid_from,valid_to,value_exc_vat\n2026-01-05T00:00:00Z,2026-01-06T00:00:00Z,${price}\n`,
        { cookie: admin },
      );
    const units = async () => {
      const a = await json(
        await asManager("POST", "/api/analyses/switching", {
          mpan: MPAN_A,
          from: "2026-01-05",
          to: "2026-01-05",
        }),
      );
      return a.alternatives.find((x: { tariffId: number }) => x.tariffId === t.id).breakdown.unitsPence;
    };
    // 24 kWh on 5 January at 10 p, then at 20 p.
    expect((await upload(10)).status).toBe(200);
    expect(await units()).toBe(240);
    expect((await upload(20)).status).toBe(200);
    expect(await units()).toBe(480);
  });
});
