// Sites, the portfolio and the report, after real imports. Expected numbers were worked out by hand from
// the files below (kWh per half-hour × 48 a day): the current span is ISO week 2025-W02 (Mon 6 – Sun 12 Jan
// 2025), its previous span 2025-W01 (30 Dec – 5 Jan), last year 2024-W02 (8–14 Jan 2024).
//   MPAN_A (Acme North Office, electricity): W02 0.5 → 24 a day, 168; W01 only 30 Dec–1 Jan, 72; 2024-W02 0.25 → 84.
//   GAS    (Acme North Office, gas):         W02 2 → 96 a day, 672; W01 1 → 48 a day, 336; nothing a year earlier.
//   MPAN_B (Acme Depot, electricity):        W02 and W01 0.125 → 6 a day, 42 each.
//   MPAN_C (Bravo Tower, electricity):       W02 1 → 48 a day, 336.
// Acme North Office: 200 m², 10 beds; Acme Depot: 100 m².
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, MPAN_A, MPAN_B, MPAN_C, seedEstate } from "../helpers";
import { importCsv } from "../imports/support";
import { datesBetween, flat, getJson, wideFile } from "./support";

const GAS = "3212345678";
const W02 = "from=2025-01-06&to=2025-01-12";
let admin: string;

beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
  const created = await call(
    "POST",
    "/api/meters",
    { mpan: GAS, siteId: 1000, fuel: "gas" },
    { cookie: admin },
  );
  expect(created.status).toBe(201);
  const patch = (id: number, body: unknown) => call("PATCH", `/api/sites/${id}`, body, { cookie: admin });
  expect((await patch(1000, { floorAreaM2: 200, normalisers: [{ name: "beds", value: 10 }] })).status).toBe(
    200,
  );
  expect((await patch(1001, { floorAreaM2: 100 })).status).toBe(200);
  const days = (mpan: string, from: string, to: string, kwh: number) =>
    datesBetween(from, to).map((d): [string, string, number[]] => [mpan, d, flat(kwh)]);
  const job = await importCsv(
    admin,
    wideFile([
      ...days(MPAN_A, "2025-01-06", "2025-01-12", 0.5),
      ...days(MPAN_A, "2024-12-30", "2025-01-01", 0.5),
      ...days(MPAN_A, "2024-01-08", "2024-01-14", 0.25),
      ...days(GAS, "2025-01-06", "2025-01-12", 2),
      ...days(GAS, "2024-12-30", "2025-01-05", 1),
      ...days(MPAN_B, "2024-12-30", "2025-01-12", 0.125),
      ...days(MPAN_C, "2025-01-06", "2025-01-12", 1),
    ]),
  );
  expect(job.status).toBe("completed");
}, 60_000);

describe("a site", () => {
  it("keeps electricity and gas apart, each with its series, comparisons and normalised figures", async () => {
    const body = await getJson(admin, `/api/sites/1000/consumption?${W02}&granularity=day`);
    // Flat files: a day's 8 lowest half-hours are its every half-hour, so baseload = 2 × kWh a half-hour.
    const series = (kwh: number, baseloadKw: number) =>
      datesBetween("2025-01-06", "2025-01-12").map((d) => ({
        period: d,
        from: d,
        to: d,
        kwh,
        completeness: 1,
        baseloadKw,
      }));
    expect(body).toEqual({
      siteId: 1000,
      from: "2025-01-06",
      to: "2025-01-12",
      granularity: "day",
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      fuels: {
        electricity: {
          kwh: 168,
          completeness: 1,
          series: series(24, 1), // 2 × 0.5
          // W01 holds 3 of 7 days: partial. 168 − 72 = 96 kWh = 133.33 %.
          previous: {
            from: "2024-12-30",
            to: "2025-01-05",
            kwh: 72,
            changeKwh: 96,
            changePct: 133.33,
            partial: true,
          },
          lastYear: {
            from: "2024-01-08",
            to: "2024-01-14",
            kwh: 84,
            changeKwh: 84,
            changePct: 100,
            partial: false,
          },
          perM2: 0.84, // 168 / 200
          perNormaliser: { beds: 16.8 },
        },
        gas: {
          kwh: 672,
          completeness: 1,
          series: series(96, 4), // 2 × 2
          previous: {
            from: "2024-12-30",
            to: "2025-01-05",
            kwh: 336,
            changeKwh: 336,
            changePct: 100,
            partial: false,
          },
          lastYear: {
            from: "2024-01-08",
            to: "2024-01-14",
            kwh: 0,
            changeKwh: 672,
            changePct: null,
            partial: true,
          },
          perM2: 3.36,
          perNormaliser: { beds: 67.2 },
        },
      },
      meters: [
        { mpan: MPAN_A, fuel: "electricity", kwh: 168, share: 1 },
        { mpan: GAS, fuel: "gas", kwh: 672, share: 1 },
      ],
    });
  });

  it("is 404 outside the caller's grants", async () => {
    const viewer = await login("viewer@example.com"); // region A1: Acme North Office only
    expect(
      (await call("GET", `/api/sites/1001/consumption?${W02}`, undefined, { cookie: viewer })).status,
    ).toBe(404);
    expect(
      (await call("GET", `/api/sites/1000/consumption?${W02}`, undefined, { cookie: viewer })).status,
    ).toBe(200);
  });
});

describe("the portfolio", () => {
  it("gives each bucket the meters' daily baseloads summed, averaged over the days that have one", async () => {
    const body = await getJson(
      admin,
      "/api/portfolio/consumption?from=2024-12-30&to=2025-01-05&granularity=week",
    );
    // 2025-W01: MPAN_A (1 kW) only 30 Dec–1 Jan, MPAN_B (0.25 kW) every day, MPAN_C nothing: three days of
    // 1.25 kW and four of 0.25 kW, (3 × 1.25 + 4 × 0.25) / 7 = 0.678571…; gas 2 × 1 kW every day.
    expect(body.fuels.electricity.series[0].baseloadKw).toBe(0.678571);
    expect(body.fuels.gas.series[0].baseloadKw).toBe(2);
    // A week with no readings has no baseload, not 0 kW.
    const empty = await getJson(
      admin,
      "/api/portfolio/consumption?from=2023-01-02&to=2023-01-08&granularity=week",
    );
    expect(empty.fuels.electricity.series[0].baseloadKw).toBeNull();
  });

  it("sums every site per fuel, ranks the sites and gives each meter its share of its fuel", async () => {
    const body = await getJson(admin, `/api/portfolio/consumption?${W02}&granularity=week`);
    // Electricity 168 + 42 + 336 = 546 (gas's 672 never added). W01: 72 + 42 + 0 = 114 over
    // (144 + 336 + 0) / (3 × 336) of its periods: partial; 546 − 114 = 432 = 378.95 %. 2024-W02: 84,
    // 336 of 1008 periods. Per m²: (168 + 42) / (200 + 100); per bed: 168 / 10.
    expect(body.fuels.electricity).toEqual({
      kwh: 546,
      completeness: 1,
      // Baseload: 2 × (0.5 + 0.125 + 1) kW, the meters' daily baselines summed, every day the same.
      series: [
        {
          period: "2025-W02",
          from: "2025-01-06",
          to: "2025-01-12",
          kwh: 546,
          completeness: 1,
          baseloadKw: 3.25,
        },
      ],
      previous: {
        from: "2024-12-30",
        to: "2025-01-05",
        kwh: 114,
        changeKwh: 432,
        changePct: 378.95,
        partial: true,
      },
      lastYear: {
        from: "2024-01-08",
        to: "2024-01-14",
        kwh: 84,
        changeKwh: 462,
        changePct: 550,
        partial: true,
      },
      perM2: 0.7,
      perNormaliser: { beds: 16.8 },
    });
    expect(body.fuels.gas.kwh).toBe(672);
    expect(body.sites).toEqual([
      { id: 2000, name: "Bravo Tower", electricityKwh: 336, gasKwh: 0, changePct: null },
      { id: 1000, name: "Acme North Office", electricityKwh: 168, gasKwh: 672, changePct: 133.33 },
      { id: 1001, name: "Acme Depot", electricityKwh: 42, gasKwh: 0, changePct: 0 },
    ]);
    // Shares of 546: 336 → 0.6154, 168 → 0.3077, 42 → 0.0769.
    expect(body.meters).toEqual([
      { mpan: MPAN_C, fuel: "electricity", kwh: 336, share: 0.6154 },
      { mpan: MPAN_A, fuel: "electricity", kwh: 168, share: 0.3077 },
      { mpan: MPAN_B, fuel: "electricity", kwh: 42, share: 0.0769 },
      { mpan: GAS, fuel: "gas", kwh: 672, share: 1 },
    ]);
  });

  it("reads whole months from the month sums and the edges from the days, by calendar month and year", async () => {
    // December 2024: A 30–31 Dec 48 + B 12 = 60. January 2025: A 1 Jan 24 + W02 168, B 1–12 Jan 72, C 336 = 600.
    const months = await getJson(
      admin,
      "/api/portfolio/consumption?from=2024-12-30&to=2025-01-31&granularity=month",
    );
    expect(
      months.fuels.electricity.series.map((s: { period: string; kwh: number }) => [s.period, s.kwh]),
    ).toEqual([
      ["2024-12", 60],
      ["2025-01", 600],
    ]);
    // 2024: 84 (January) + 60 (December) = 144.
    const years = await getJson(
      admin,
      "/api/portfolio/consumption?from=2024-01-01&to=2025-12-31&granularity=year",
    );
    expect(
      years.fuels.electricity.series.map((s: { period: string; kwh: number }) => [s.period, s.kwh]),
    ).toEqual([
      ["2024", 144],
      ["2025", 600],
    ]);
    expect(years.fuels.gas.series.map((s: { kwh: number }) => s.kwh)).toEqual([48 * 2, 336 - 96 + 672]);
  });

  it("shows a manager granted one site only that site", async () => {
    // "nobody" is a manager with no grant: give them Acme Depot alone.
    expect((await call("POST", "/api/users/5/grants", { siteId: 1001 }, { cookie: admin })).status).toBe(201);
    const manager = await login("nobody@example.com");
    const body = await getJson(manager, `/api/portfolio/consumption?${W02}`);
    expect(body.sites).toEqual([
      { id: 1001, name: "Acme Depot", electricityKwh: 42, gasKwh: 0, changePct: 0 },
    ]);
    expect(Object.keys(body.fuels)).toEqual(["electricity"]);
    expect(body.fuels.electricity.kwh).toBe(42);
    expect(body.meters).toEqual([{ mpan: MPAN_B, fuel: "electricity", kwh: 42, share: 1 }]);
    expect(
      (await call("GET", `/api/sites/1000/consumption?${W02}`, undefined, { cookie: manager })).status,
    ).toBe(404);
  });
});

describe("the consumption report", () => {
  it("gives each site of the manager's scope its kWh, change, per-m² figure and completeness", async () => {
    const manager = await login("manager@example.com"); // company A
    expect(await getJson(manager, `/api/reports/consumption?${W02}`)).toEqual({
      from: "2025-01-06",
      to: "2025-01-12",
      fuel: "electricity",
      normaliser: "floorArea",
      previous: { from: "2024-12-30", to: "2025-01-05" },
      rows: [
        {
          siteId: 1001,
          site: "Acme Depot",
          kwh: 42,
          previousKwh: 42,
          changePct: 0,
          normalised: 0.42,
          completeness: 1,
        },
        {
          siteId: 1000,
          site: "Acme North Office",
          kwh: 168,
          previousKwh: 72,
          changePct: 133.33,
          normalised: 0.84,
          completeness: 1,
        },
      ],
    });
    const gas = await getJson(manager, `/api/reports/consumption?${W02}&fuel=gas&normaliser=beds`);
    expect(gas.rows).toEqual([
      {
        siteId: 1000,
        site: "Acme North Office",
        kwh: 672,
        previousKwh: 336,
        changePct: 100,
        normalised: 67.2,
        completeness: 1,
      },
    ]);
  });

  it("answers CSV with formula-safe cells, by format=csv or Accept: text/csv", async () => {
    expect(
      (await call("PATCH", "/api/sites/1001", { name: "=HYPERLINK(1)" }, { cookie: admin })).status,
    ).toBe(200);
    const manager = await login("manager@example.com");
    const res = await call("GET", `/api/reports/consumption?${W02}&format=csv&normaliser=beds`, undefined, {
      cookie: manager,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(await res.text()).toBe(
      [
        "site_id,site,kwh,previous_kwh,change_pct,kwh_per_beds,completeness",
        "1001,'=HYPERLINK(1),42,42,0,,1",
        "1000,Acme North Office,168,72,133.33,16.8,1",
        "",
      ].join("\r\n"),
    );
    const byAccept = await call("GET", `/api/reports/consumption?${W02}`, undefined, { cookie: manager });
    expect(byAccept.headers.get("Content-Type")).toContain("application/json");
    const csv = await SELF.fetch(`http://localhost/api/reports/consumption?${W02}`, {
      headers: { Cookie: manager, Accept: "text/csv" },
    });
    expect((await csv.text()).split("\r\n")[0]).toBe(
      "site_id,site,kwh,previous_kwh,change_pct,kwh_per_m2,completeness",
    );
  });

  it("is refused to a viewer", async () => {
    const viewer = await login("viewer@example.com");
    const res = await call("GET", `/api/reports/consumption?${W02}`, undefined, { cookie: viewer });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe("forbidden");
  });
});
