// Keeping figures current. Incremental aggregation (each import aggregating its own changes) must leave
// exactly, bit for bit, what a full rebuild computes from the same readings; the kWh checked along the
// way were worked out by hand from the files (a half-hour's kWh × the half-hours of the day).
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { CRON_JOBS, runScheduled } from "../../cron/index";
import { aggregatePending } from "../../src/analytics/aggregate";
import { figureStatements, readSnapshot } from "../../src/analytics/store";
import { handleImportMessage } from "../../src/imports/pipeline";
import { call, json, login, MPAN_A, MPAN_B, seedEstate } from "../helpers";
import { importCsv } from "../imports/support";
import { dailyFile, datesBetween, flat, pending, stored, wideFile } from "./support";

let admin: string;

beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

const dayKwh = async (mpan: string, date: string) =>
  (await env.DB.prepare(
    "SELECT d.kwh, d.periods FROM meter_days d JOIN meters m ON m.id = d.meter_id WHERE m.mpan = ?1 AND d.date = ?2",
  )
    .bind(mpan, date)
    .first<{ kwh: number; periods: number | null }>()) ?? null;
const rebuild = async (mode = "full") => {
  const res = await call("POST", `/api/aggregates/rebuild?mode=${mode}`, undefined, { cookie: admin });
  expect(res.status).toBe(200);
  return json(res);
};

describe("incremental aggregation", () => {
  it("equals a full rebuild after overlapping re-imports, and re-running changes nothing", async () => {
    const rows = (mpan: string, from: string, to: string, kwh: number) =>
      datesBetween(from, to).map((d): [string, string, number[]] => [mpan, d, flat(kwh)]);
    // 1: A 1–10 May at 0.5 (24 a day), B 1–3 May at 1 (48 a day).
    await importCsv(
      admin,
      wideFile([
        ...rows(MPAN_A, "2025-05-01", "2025-05-10", 0.5),
        ...rows(MPAN_B, "2025-05-01", "2025-05-03", 1),
      ]),
    );
    // 2, overlapping: A 8–15 May at 0.25 (12 a day) replaces 8–10 May.
    await importCsv(admin, wideFile(rows(MPAN_A, "2025-05-08", "2025-05-15", 0.25)));
    // 3: B's 3 May gets 5 kWh in periods 1 and 2: 48 − 2 + 10 = 56.
    await importCsv(
      admin,
      ["MPAN,ReadDateTime,kWh", `${MPAN_B},2025-05-02T23:00:00Z,5`, `${MPAN_B},2025-05-02T23:30:00Z,5`].join(
        "\n",
      ),
    );
    // 4: a daily total for A on 20 May, then two half-hours that supersede it (1.5 + 2.5).
    await importCsv(admin, dailyFile([[MPAN_A, "2025-05-20", 30]]));
    await importCsv(
      admin,
      [
        "MPAN,ReadDateTime,kWh",
        `${MPAN_A},2025-05-19T23:00:00Z,1.5`,
        `${MPAN_A},2025-05-19T23:30:00Z,2.5`,
      ].join("\n"),
    );
    // 5: onConflict=keep leaves B's complete 1 May as it was.
    await importCsv(admin, wideFile(rows(MPAN_B, "2025-05-01", "2025-05-01", 9)), { onConflict: "keep" });

    expect(await pending()).toBe(0);
    expect(await dayKwh(MPAN_A, "2025-05-07")).toEqual({ kwh: 24, periods: 48 });
    expect(await dayKwh(MPAN_A, "2025-05-09")).toEqual({ kwh: 12, periods: 48 });
    expect(await dayKwh(MPAN_B, "2025-05-03")).toEqual({ kwh: 56, periods: 48 });
    expect(await dayKwh(MPAN_A, "2025-05-20")).toEqual({ kwh: 4, periods: 2 });
    expect(await dayKwh(MPAN_B, "2025-05-01")).toEqual({ kwh: 48, periods: 48 });
    const incremental = await stored();
    // May for A: 7 × 24 + 8 × 12 + 4 = 268 over 16 days.
    expect(incremental.months).toEqual([
      { meter_id: 1, month: "2025-05", days: 16, kwh: 268, periods: 15 * 48 + 2 },
      { meter_id: 2, month: "2025-05", days: 3, kwh: 48 + 48 + 56, periods: 3 * 48 },
    ]);

    expect(await rebuild()).toMatchObject({ mode: "full", done: true, meters: 2, days: 19 });
    expect(await stored()).toEqual(incremental);
    expect(await rebuild()).toMatchObject({ done: true, days: 19 });
    expect(await stored()).toEqual(incremental);
    expect(await rebuild("pending")).toMatchObject({ mode: "pending", done: true, days: 0 });
    expect(await stored()).toEqual(incremental);
  }, 15_000); // six imports end to end: over 5 s on a busy machine

  it("stops when its share of D1 queries is spent and finishes on the next run with the same result", async () => {
    const before = await stored();
    await env.DB.prepare("UPDATE readings SET figures = NULL").run();
    await env.DB.prepare("DELETE FROM meter_months").run();
    await env.DB.prepare(
      "INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date) SELECT 'test', meter_id, min(date), max(date) FROM readings GROUP BY meter_id",
    ).run();
    // One page read and one chunk of 5 days fit in 12 statements.
    const first = await aggregatePending(env.DB, { budget: 12, chunkDays: 5 });
    expect(first).toMatchObject({ done: false, chunks: 1, days: 5 });
    expect(await pending()).toBeGreaterThan(0);
    // An "aggregate" queue message carries on with the rest.
    await handleImportMessage(env, { kind: "aggregate" });
    expect(await pending()).toBe(0);
    expect(await stored()).toEqual(before);
  });

  it("writes a day's figures only into the row its snapshot read", async () => {
    // A's 1 June: 48 × 0.5 kWh, written (rev) before the snapshot.
    await env.DB.prepare(
      `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, batch_id, periods, rev)
       VALUES (1, '2025-06-01', 24, 48, 0, 'manual', ?1, coalesce((SELECT seq FROM aggregation_state WHERE id = 1), 0))`,
    )
      .bind(JSON.stringify(flat(0.5)))
      .run();
    const span: [number, string, string] = [1, "2025-06-01", "2025-06-01"];
    const snapshot = await readSnapshot(env.DB, [span]);
    const [[, days]] = snapshot.days;
    const rev = (JSON.parse(days) as [string, number, unknown, number, number][])[0][4];
    expect(rev).toBe(snapshot.seq - 1);
    const write = (figures: string) =>
      env.DB.batch(figureStatements(env.DB, [[1, "2025-06-01", figures, rev]], [span], []));
    const baseload = async () =>
      (await env.DB.prepare(
        "SELECT baseload_kw FROM meter_days WHERE meter_id = 1 AND date = '2025-06-01'",
      ).first())!.baseload_kw;
    await write("[1,0.5,1748732400000,12]");
    expect(await baseload()).toBe(1);
    // The day is rewritten after the snapshot (rev now its seq): the snapshot's figures no longer fit it.
    await env.DB.prepare(
      `UPDATE readings SET periods = ?1, total_kwh = 48, figures = NULL,
         rev = (SELECT seq FROM aggregation_state WHERE id = 1) WHERE meter_id = 1 AND date = '2025-06-01'`,
    )
      .bind(JSON.stringify(flat(1)))
      .run();
    await write("[1,0.5,1748732400000,12]");
    expect(await baseload()).toBe(null);
    await env.DB.prepare("DELETE FROM readings WHERE date = '2025-06-01'").run();
    await env.DB.prepare("DELETE FROM meter_months WHERE month = '2025-06'").run();
  });
});

describe("the nightly job", () => {
  it("aggregates what no import did (readings written outside a job) and records its run", async () => {
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, batch_id, periods)
         VALUES (1, '2025-07-01', 24, 48, 0, 'manual', ?1)`,
      ).bind(JSON.stringify(flat(0.5))),
      env.DB.prepare(
        "INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date) VALUES ('manual', 1, '2025-07-01', '2025-07-01')",
      ),
    ]);
    expect(CRON_JOBS["30 1 * * *"].name).toBe("aggregation");
    await runScheduled({ cron: "30 1 * * *", scheduledTime: Date.now() } as ScheduledController, env);
    expect(await dayKwh(MPAN_A, "2025-07-01")).toEqual({ kwh: 24, periods: 48 });
    expect(await pending()).toBe(0);
    const run = await env.DB.prepare(
      "SELECT last_status, last_detail FROM cron_runs WHERE job = 'aggregation'",
    ).first();
    expect(run).toEqual({ last_status: "ok", last_detail: "1 meter-day of 1 meter aggregated" });
  });
});
