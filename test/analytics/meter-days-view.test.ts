// The meter_days view (migrations/0017) counts a day's expected periods in SQL: it must agree with
// src/time/settlement.ts, which owns the count, on every day the SQL could get wrong.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays, clockChangeDays, dateOfEpochDay, periodsInSettlementDay } from "../../src/time/settlement";
import { seedEstate } from "../helpers";

beforeAll(async () => {
  await seedEstate();
});

describe("the meter_days view", () => {
  it("expects the periods settlement.ts counts: every day of 2024–2027 and each clock change ±1 day, 1996–2100", async () => {
    const dates = new Set<string>();
    for (let d = "2024-01-01"; d < "2028-01-01"; d = addDays(d, 1)) dates.add(d);
    for (let year = 1996; year <= 2100; year++) {
      const { spring, autumn } = clockChangeDays(year);
      for (const day of [spring, autumn])
        for (const n of [-7, -1, 0, 1, 7]) dates.add(dateOfEpochDay(day + n));
    }
    // Daily totals: the view's expected is all the row can tell (its periods are NULL).
    await env.DB.prepare(
      `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, batch_id)
       SELECT 1, value, 1, NULL, 0, 'view-test' FROM json_each(?1)`,
    )
      .bind(JSON.stringify([...dates]))
      .run();
    const rows = await env.DB.prepare(
      "SELECT date, expected FROM meter_days WHERE meter_id = 1 AND date IN (SELECT value FROM json_each(?1))",
    )
      .bind(JSON.stringify([...dates]))
      .raw<[string, number]>();
    expect(rows.length).toBe(dates.size);
    const wrong = rows.filter(([date, expected]) => expected !== periodsInSettlementDay(date));
    expect(wrong).toEqual([]);
    // Hand-checked: 2025's clock changes are on 30 March (46) and 26 October (50).
    expect(rows.filter(([d]) => d.startsWith("2025-") && periodsInSettlementDay(d) !== 48)).toEqual([
      ["2025-03-30", 46],
      ["2025-10-26", 50],
    ]);
  });

  it("gives a half-hourly day's stored figures, and none for a daily total", async () => {
    await env.DB.prepare(
      `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, batch_id, periods, figures)
       VALUES (2, '2025-06-01', 24, 47, 8, 'view-test', ?1, '[1,0.75,1748736000000,12.5]')`,
    )
      .bind(JSON.stringify([...Array(47).fill(0.5), null]))
      .run();
    expect(
      await env.DB.prepare("SELECT * FROM meter_days WHERE meter_id = 2 AND date = '2025-06-01'").first(),
    ).toEqual({
      meter_id: 2,
      date: "2025-06-01",
      kwh: 24,
      periods: 47,
      expected: 48,
      estimated: 1,
      baseload_kw: 1,
      peak_kwh: 0.75,
      peak_at: 1748736000000,
      ooh_kwh: 12.5,
    });
    expect(
      await env.DB.prepare(
        "SELECT periods, estimated, baseload_kw, peak_kwh, peak_at, ooh_kwh FROM meter_days WHERE meter_id = 1 AND date = '2025-06-01'",
      ).first(),
    ).toEqual({
      periods: null,
      estimated: 0,
      baseload_kw: null,
      peak_kwh: null,
      peak_at: null,
      ooh_kwh: null,
    });
  });
});
