// costPence alarms: a span's cost incl. VAT from the meters' tariffs (the bill calculator the costs route
// uses). MPAN_A (site 1000's only meter) is on a flat tariff of 25 p/kWh, 40 p a day standing, VAT 20 %,
// no CCL; MPAN_B has no tariff. Day costs by hand, (kWh × 25 + 40) × 1.2:
//   13th  48 kWh → (1200 + 40) × 1.2 = 1488 p;  14th  96 kWh → 2928 p;  15th  144 kWh → 4368 p.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { spanValue } from "../../src/alarms/domain";
import { evaluateAlarms } from "../../src/alarms/evaluate";
import { prepareReadings, priceReadings } from "../../src/tariffs/bill";
import { flat, wideFile } from "../analytics/support";
import { call, json, login, MPAN_A, MPAN_B, seedEstate } from "../helpers";
import { importCsv } from "../imports/support";
import { recordingEnv } from "../notifications-support";

let admin: string;
const meterIds: Record<string, number> = {};

beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
  const rows = (mpan: string): [string, string, number[]][] => [
    [mpan, "2025-01-13", flat(1)],
    [mpan, "2025-01-14", flat(2)],
    [mpan, "2025-01-15", flat(3)],
  ];
  expect((await importCsv(admin, wideFile([...rows(MPAN_A), ...rows(MPAN_B)]))).status).toBe("completed");
  for (const mpan of [MPAN_A, MPAN_B])
    meterIds[mpan] = (await env.DB.prepare("SELECT id FROM meters WHERE mpan = ?1")
      .bind(mpan)
      .first<{ id: number }>())!.id;
  const tariff = await json(
    await call(
      "POST",
      "/api/tariffs",
      {
        name: "Flat 25",
        fuel: "electricity",
        type: "flat",
        validFrom: "2025-01-01",
        standingChargePence: 40,
        vatRate: 0.2,
        ccl: false,
        unitRatePence: 25,
        active: true,
      },
      { cookie: admin },
    ),
  );
  const assigned = await call(
    "POST",
    `/api/meters/${MPAN_A}/tariffs`,
    { tariffId: tariff.id, from: "2025-01-01" },
    { cookie: admin },
  );
  expect(assigned.status).toBe(201);
});

const costAlarm = { metric: "costPence", period: "day", operator: "gt" };
const create = async (body: Record<string, unknown>) => {
  const res = await call("POST", "/api/alarms", body, { cookie: admin });
  expect(res.status).toBe(201);
  return json(res);
};
const triggers = async (id: number) =>
  (await json(await call("GET", `/api/alarms/${id}/triggers`, undefined, { cookie: admin }))).data.map(
    (t: { from: string; value: number; threshold: number }) => [t.from, t.value, t.threshold],
  );

describe("costPence alarms", () => {
  it("trigger once per span whose cost crosses the threshold; a meter without a tariff never does", async () => {
    const meter = await create({
      ...costAlarm,
      name: "Day over £20",
      mpan: MPAN_A,
      threshold: 2000,
      recipients: ["energy@example.com"],
    });
    const site = await create({ ...costAlarm, name: "Site over £40", siteId: 1000, threshold: 4000 });
    const untariffed = await create({ ...costAlarm, name: "No tariff", mpan: MPAN_B, threshold: 0 });
    const { env: e, emails } = recordingEnv();
    const changed = [MPAN_A, MPAN_B].map((mpan) => ({
      meterId: meterIds[mpan],
      siteId: mpan === MPAN_A ? 1000 : 1001,
      from: "2025-01-13",
      to: "2025-01-15",
    }));
    const now = new Date("2025-01-16T09:00:00Z");
    // meter: 2928 and 4368 > 2000 (the 13th's 1488 is not); site: 4368 > 4000; no tariff: nothing.
    expect(await evaluateAlarms(e, changed, now)).toEqual({ triggered: 3 });
    expect(await evaluateAlarms(e, changed, now)).toEqual({ triggered: 0 });
    expect(await evaluateAlarms(e, null, new Date("2025-01-20T09:00:00Z"))).toEqual({ triggered: 0 });

    expect(await triggers(meter.id)).toEqual([
      ["2025-01-15", 4368, 2000],
      ["2025-01-14", 2928, 2000],
    ]);
    expect(await triggers(site.id)).toEqual([["2025-01-15", 4368, 4000]]);
    expect(await triggers(untariffed.id)).toEqual([]);

    // The email says pounds.
    const email = emails.find((m) => m.subject.endsWith("2025-01-14"))!;
    expect(email.subject).toBe('Alarm "Day over £20": £29.28 for 2025-01-14');
    expect(email.text).toBe(
      `cost (incl. VAT) of ${MPAN_A} for 2025-01-14 was £29.28, above £20.00.\n\nAlarm: Day over £20\nSee it at http://127.0.0.1:8787/alarms/${meter.id}\n`,
    );
  });

  it("compares with the previous span: pctAbovePrevious", async () => {
    const a = await create({ ...costAlarm, name: "Up 60 %", mpan: MPAN_A, pctAbovePrevious: 60 });
    const { env: e } = recordingEnv();
    const changed = [{ meterId: meterIds[MPAN_A], siteId: 1000, from: "2025-01-13", to: "2025-01-15" }];
    // 14th: 2928 > 1488 × 1.6 = 2380.8; 15th: 4368 ≤ 2928 × 1.6 = 4684.8. The 12th has no readings (only
    // a standing charge), so it has no cost to compare the 13th with, as a day without figures has no kWh.
    expect(await evaluateAlarms(e, changed, new Date("2025-01-16T09:00:00Z"))).toEqual({ triggered: 1 });
    expect(await triggers(a.id)).toEqual([["2025-01-14", 2928, 2380.8]]);
  });
});

describe("spanValue(costPence)", () => {
  const day = (date: string, costPence: number | null, measured = true) => ({
    date,
    kwh: 1,
    baseloadKw: null,
    peakKwh: null,
    costPence,
    measured,
  });
  it("sums the days, and has no value when a day cannot be priced or none has figures", () => {
    expect(spanValue("costPence", [day("2025-01-13", 100), day("2025-01-14", 48, false)])).toBe(148);
    expect(spanValue("costPence", [day("2025-01-13", 100), day("2025-01-14", null)])).toBeNull();
    expect(spanValue("costPence", [day("2025-01-13", 48, false)])).toBeNull();
  });
});

describe("priceReadings' days that cannot be priced", () => {
  it("marks a day with a half-hour without a price, and a day no tariff covers", () => {
    const dynamic = {
      id: 1,
      name: "Agile",
      supplierId: null,
      supplierName: null,
      fuel: "electricity" as const,
      type: "dynamic" as const,
      validFrom: "2025-01-01",
      validTo: null,
      standingChargePence: 40,
      vatRate: 0.2,
      ccl: false,
      unitRatePence: null,
      bands: null,
      clock: "local" as const,
      active: true,
    };
    const halfHours = Array<number | null>(48).fill(1);
    const prices = new Map([
      ["2025-01-13", Array<number | null>(48).fill(10)],
      ["2025-01-14", halfHours.map((_, i) => (i === 5 ? null : 10))],
    ]);
    const r = prepareReadings(
      "2025-01-13",
      "2025-01-15",
      ["2025-01-13", "2025-01-14", "2025-01-15"].map((date) => ({ date, kwh: 48, periods: halfHours })),
    );
    const p = priceReadings(
      r,
      [{ tariff: dynamic, prices, from: "2025-01-13", to: "2025-01-14" }],
      "electricity",
    );
    // 13th: every half-hour priced; 14th: period 6 has no price; 15th: no tariff.
    expect([...p.dayUnpriced]).toEqual([0, 1, 1]);
  });
});
