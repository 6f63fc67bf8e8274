// The import pipeline end to end in workerd: multipart upload → R2 → queue (plan, ranges) → D1, with the
// job's Durable Object counting ranges. Range size is 160 bytes in tests, so every file spans many ranges.
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { backoffSeconds, importDeadLetters, importQueue } from "../../src/imports/pipeline";
import { call, json, login, MPAN_A, MPAN_B, ORIGIN, seedEstate } from "../helpers";
import { getJob, importCsv, readings, settle, upload } from "./support";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())?.n ?? 0;

// 2026-01-15 is a winter day (GMT = UTC): 00:00Z is period 1, 02:00Z period 5.
const NARROW = [
  "MPAN,ReadDateTime,kWh",
  `${MPAN_A},2026-01-15T00:00:00Z,1.5`,
  `${MPAN_A},2026-01-15T00:30:00Z,2.25`,
  `${MPAN_A},2026-01-15T01:00:00Z,-1`,
  `${MPAN_A},2026-01-15T01:30:00Z,abc`,
  `2499999999990,2026-01-15T00:00:00Z,1`,
  `2200012767323,2026-01-15T00:00:00Z,1`,
  `${MPAN_A},2026-01-15T02:00:00Z,0.75`,
].join("\n");

describe("a narrow file", () => {
  it("imports every valid row and names each rejected line", async () => {
    const job = await importCsv(admin, NARROW, { notes: "January", tags: "hh, test" });
    expect(job).toMatchObject({
      status: "completed_with_errors",
      dryRun: false,
      format: "narrow",
      rowsProcessed: 7,
      rowsImported: 3,
      rowsFailed: 4,
      readingsWritten: 3,
      progress: 100,
      notes: "January",
      tags: ["hh", "test"],
    });
    expect(job.bytesDone).toBe(job.bytesTotal);
    expect(job.errors.map((e) => e.line)).toEqual([4, 5, 6, 7]);
    expect(job.errors[3].message).toBe(
      "meter 2200012767323 is not registered (add it, or import with autoCreateMeters)",
    );

    const day = await readings(admin, MPAN_A, "2026-01-15", "2026-01-15", "day");
    expect(day.data).toEqual([
      { date: "2026-01-15", kwh: 4.5, periods: 3, expectedPeriods: 48, estimated: false },
    ]);
    const hh = await readings(admin, MPAN_A, "2026-01-15", "2026-01-15", "hh");
    expect(hh).toEqual({
      mpan: MPAN_A,
      unit: "kWh",
      granularity: "hh",
      data: [
        {
          date: "2026-01-15",
          period: 1,
          start: "2026-01-15T00:00:00.000Z",
          end: "2026-01-15T00:30:00.000Z",
          kwh: 1.5,
          estimated: false,
        },
        {
          date: "2026-01-15",
          period: 2,
          start: "2026-01-15T00:30:00.000Z",
          end: "2026-01-15T01:00:00.000Z",
          kwh: 2.25,
          estimated: false,
        },
        {
          date: "2026-01-15",
          period: 5,
          start: "2026-01-15T02:00:00.000Z",
          end: "2026-01-15T02:30:00.000Z",
          kwh: 0.75,
          estimated: false,
        },
      ],
    });
  });

  it("changes nothing when imported again (idempotent)", async () => {
    const before = await env.DB.prepare("SELECT * FROM readings ORDER BY meter_id, date").all();
    const again = await importCsv(admin, NARROW);
    expect(again.rowsImported).toBe(3);
    const after = await env.DB.prepare("SELECT * FROM readings ORDER BY meter_id, date").all();
    // Only the stamps of the write differ: its batch, and its rev (the aggregation's seq at the write).
    const data = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, batch_id: null, rev: null }));
    expect(data(after.results)).toEqual(data(before.results));
  });

  it("names every row of an unregistered meter, however its rows run between other meters' rows", async () => {
    // The meter screen checks a cell once per run of equal cells: each run must still reject each row.
    const unknown = "2200012767323";
    const csv = [
      "MPAN,ReadDateTime,kWh",
      `${unknown},2026-02-03T00:00:00Z,1`,
      `${unknown},2026-02-03T00:30:00Z,1`,
      `${MPAN_A},2026-02-03T00:00:00Z,0.5`,
      `${unknown},2026-02-03T01:00:00Z,1`,
      `22 0001 2767 323,2026-02-03T01:30:00Z,1`,
      `${MPAN_A},2026-02-03T00:30:00Z,0.25`,
      `${MPAN_A},2026-02-03T01:00:00Z,0.25`,
    ].join("\n");
    const job = await importCsv(admin, csv);
    expect(job).toMatchObject({ status: "completed_with_errors", rowsImported: 3, rowsFailed: 4 });
    const unregistered = `meter ${unknown} is not registered (add it, or import with autoCreateMeters)`;
    expect(job.errors.map((e) => [e.line, e.message])).toEqual([
      [2, unregistered],
      [3, unregistered],
      [5, unregistered],
      [6, unregistered],
    ]);
    const day = await readings(admin, MPAN_A, "2026-02-03", "2026-02-03", "day");
    expect(day.data).toEqual([
      { date: "2026-02-03", kwh: 1, periods: 3, expectedPeriods: 48, estimated: false },
    ]);
  });

  it("lists every error in errors.csv, defusing formula-looking cells", async () => {
    const csv = [
      "MPAN,ReadDateTime,kWh",
      `=HYPERLINK("x"),2026-01-15T00:00:00Z,1`,
      `${MPAN_A},2026-01-15T03:00:00Z,2`,
    ].join("\n");
    const job = await importCsv(admin, csv);
    const res = await SELF.fetch(`${ORIGIN}/api/import/jobs/${job.batchId}/errors.csv`, {
      headers: { Cookie: admin },
    });
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = await res.text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("line,severity,code,message");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^2,error,/);
    expect(text).not.toMatch(/,=HYPERLINK/);
  });
});

describe("merging partial days", () => {
  it("keeps every period of a day split across two files", async () => {
    const first = [
      "MPAN,ReadDateTime,kWh",
      `${MPAN_B},2026-02-02T00:00:00Z,1`,
      `${MPAN_B},2026-02-02T00:30:00Z,2`,
    ].join("\n");
    const second = [
      "MPAN,ReadDateTime,kWh",
      `${MPAN_B},2026-02-02T01:00:00Z,3`,
      `${MPAN_B},2026-02-02T01:30:00Z,4`,
    ].join("\n");
    await importCsv(admin, first);
    await importCsv(admin, second);
    const day = await readings(admin, MPAN_B, "2026-02-02", "2026-02-02", "day");
    expect(day.data).toEqual([
      { date: "2026-02-02", kwh: 10, periods: 4, expectedPeriods: 48, estimated: false },
    ]);
  });

  it("keeps every period of a day split across byte ranges", async () => {
    const rows = Array.from({ length: 48 }, (_, i) => {
      const t = new Date(Date.parse("2026-02-03T00:00:00Z") + i * 1_800_000).toISOString().slice(0, 19);
      return `${MPAN_B},${t}Z,${(i + 1) / 4}`;
    });
    const job = await importCsv(admin, ["MPAN,ReadDateTime,kWh", ...rows].join("\n"));
    expect(job.bytesTotal).toBeGreaterThan(160 * 10); // many 160-byte ranges
    expect(job.readingsWritten).toBe(48);
    // 1/4 + 2/4 + … + 48/4 = (48 × 49 / 2) / 4 = 294
    const day = await readings(admin, MPAN_B, "2026-02-03", "2026-02-03", "day");
    expect(day.data).toEqual([
      { date: "2026-02-03", kwh: 294, periods: 48, expectedPeriods: 48, estimated: false },
    ]);
  });

  it("records each meter's span of changed days in each range, and aggregates them before completing", async () => {
    // Sorted by meter then time, across many 160-byte ranges: A on 10–12 April, B on 11–14 April.
    const rows = [
      ...["10", "11", "12"].flatMap((d) => [
        `${MPAN_A},2026-04-${d}T00:00:00Z,1`,
        `${MPAN_A},2026-04-${d}T00:30:00Z,1`,
      ]),
      ...["11", "12", "13", "14"].map((d) => `${MPAN_B},2026-04-${d}T12:00:00Z,2`),
    ];
    const job = await importCsv(admin, ["MPAN,ReadDateTime,kWh", ...rows].join("\n"));
    expect(job.readingsWritten).toBe(10);
    // The ranges' spans (A 10–12 and 12–12, B 11–14) were turned into each day's figures, then cleared.
    expect(await count(`SELECT COUNT(*) AS n FROM changed_spans WHERE batch_id = '${job.batchId}'`)).toBe(0);
    const figured = await env.DB.prepare(
      `SELECT m.mpan, d.date, d.kwh FROM meter_days d JOIN meters m ON m.id = d.meter_id
       WHERE d.date BETWEEN '2026-04-10' AND '2026-04-14' ORDER BY m.mpan, d.date`,
    ).all();
    expect(figured.results).toEqual([
      { mpan: MPAN_A, date: "2026-04-10", kwh: 2 },
      { mpan: MPAN_A, date: "2026-04-11", kwh: 2 },
      { mpan: MPAN_A, date: "2026-04-12", kwh: 2 },
      { mpan: MPAN_B, date: "2026-04-11", kwh: 2 },
      { mpan: MPAN_B, date: "2026-04-12", kwh: 2 },
      { mpan: MPAN_B, date: "2026-04-13", kwh: 2 },
      { mpan: MPAN_B, date: "2026-04-14", kwh: 2 },
    ]);
  });

  it("replaces overlapping values by default and keeps them with onConflict=keep", async () => {
    const v = (kwh: number) => ["MPAN,ReadDateTime,kWh", `${MPAN_B},2026-02-04T00:00:00Z,${kwh}`].join("\n");
    await importCsv(admin, v(1));
    await importCsv(admin, v(2));
    expect((await readings(admin, MPAN_B, "2026-02-04", "2026-02-04", "day")).data[0].kwh).toBe(2);
    await importCsv(admin, v(3), { onConflict: "keep" });
    expect((await readings(admin, MPAN_B, "2026-02-04", "2026-02-04", "day")).data[0].kwh).toBe(2);
  });

  // Periods as [period, kWh, estimated] from the hh API.
  const halfHours = async (date: string) =>
    (await readings(admin, MPAN_B, date, date, "hh")).data.map(
      (h: { period: number; kwh: number; estimated: boolean }) => [h.period, h.kwh, h.estimated],
    );
  const statusFile = (date: string, rows: [number, number, "A" | "E"][]) =>
    [
      "MPAN,ReadDateTime,kWh,Status",
      ...rows.map(([p, kwh, s]) => {
        const t = new Date(Date.parse(`${date}T00:00:00Z`) + (p - 1) * 1_800_000).toISOString();
        return `${MPAN_B},${t.slice(0, 19)}Z,${kwh},${s}`;
      }),
    ].join("\n");

  it("merges partial days period by period, each period's estimated flag from the value it keeps", async () => {
    const first = (date: string) =>
      statusFile(date, [
        [1, 1, "A"],
        [2, 2, "E"],
        [3, 3, "A"],
      ]);
    const second = (date: string) =>
      statusFile(date, [
        [2, 20, "A"],
        [4, 40, "E"],
      ]);
    // replace: the new value wins where both have one.
    await importCsv(admin, first("2026-02-05"));
    await importCsv(admin, second("2026-02-05"));
    expect(await halfHours("2026-02-05")).toEqual([
      [1, 1, false],
      [2, 20, false],
      [3, 3, false],
      [4, 40, true],
    ]);
    // 1 + 20 + 3 + 40 = 64
    expect((await readings(admin, MPAN_B, "2026-02-05", "2026-02-05", "day")).data).toEqual([
      { date: "2026-02-05", kwh: 64, periods: 4, expectedPeriods: 48, estimated: true },
    ]);
    // keep: the stored value wins where both have one; the gap is still filled.
    await importCsv(admin, first("2026-02-06"));
    await importCsv(admin, second("2026-02-06"), { onConflict: "keep" });
    expect(await halfHours("2026-02-06")).toEqual([
      [1, 1, false],
      [2, 2, true],
      [3, 3, false],
      [4, 40, true],
    ]);
    // 1 + 2 + 3 + 40 = 46
    expect((await readings(admin, MPAN_B, "2026-02-06", "2026-02-06", "day")).data[0].kwh).toBe(46);
  });

  it("replaces a whole day with a complete one, and keep leaves a complete stored day alone", async () => {
    const day = (date: string, kwh: number, status: "A" | "E") =>
      statusFile(
        date,
        Array.from({ length: 48 }, (_, i) => [i + 1, kwh, status]),
      );
    await importCsv(admin, day("2026-02-09", 1, "E"));
    await importCsv(admin, day("2026-02-09", 2, "A"));
    // 48 × 2 = 96, none estimated any more
    expect((await readings(admin, MPAN_B, "2026-02-09", "2026-02-09", "day")).data).toEqual([
      { date: "2026-02-09", kwh: 96, periods: 48, expectedPeriods: 48, estimated: false },
    ]);
    await importCsv(admin, day("2026-02-09", 3, "E"), { onConflict: "keep" });
    expect((await readings(admin, MPAN_B, "2026-02-09", "2026-02-09", "day")).data).toEqual([
      { date: "2026-02-09", kwh: 96, periods: 48, expectedPeriods: 48, estimated: false },
    ]);
    const batch = await env.DB.prepare(
      "SELECT batch_id AS b FROM readings WHERE date = '2026-02-09'",
    ).first();
    expect(batch).toEqual({ b: expect.stringMatching(/^imp_/) });
    expect((await halfHours("2026-02-09"))[47]).toEqual([48, 2, false]);
  });

  it("half-hourly data supersedes a daily total, and a daily total never overwrites half-hours", async () => {
    const daily = (date: string, kwh: number) => ["MPAN,Date,kWh", `${MPAN_B},${date},${kwh}`].join("\n");
    const hh = (date: string) =>
      statusFile(date, [
        [1, 1.5, "A"],
        [2, 2.5, "A"],
      ]);
    for (const [date, onConflict] of [
      ["2026-02-10", "replace"],
      ["2026-02-11", "keep"],
    ] as const) {
      const job = await importCsv(admin, daily(date, 50));
      expect(job.format).toBe("daily");
      expect((await readings(admin, MPAN_B, date, date, "day")).data).toEqual([
        { date, kwh: 50, periods: null, expectedPeriods: 48, estimated: false },
      ]);
      await importCsv(admin, hh(date), { onConflict });
      // 1.5 + 2.5 = 4
      expect((await readings(admin, MPAN_B, date, date, "day")).data).toEqual([
        { date, kwh: 4, periods: 2, expectedPeriods: 48, estimated: false },
      ]);
      await importCsv(admin, daily(date, 70), { onConflict });
      expect((await readings(admin, MPAN_B, date, date, "day")).data[0].kwh).toBe(4);
    }
  });
});

describe("clock-change days end to end", () => {
  const periodsStored = async (date: string) =>
    (await env.DB.prepare("SELECT json_array_length(periods) AS n FROM readings WHERE date = ?")
      .bind(date)
      .first<{ n: number }>())!.n;

  it("stores and serves 46 half-hours on the spring day (wide) and 50 on the autumn day (narrow)", async () => {
    const header = [
      "MPAN",
      "Date",
      ...Array.from({ length: 50 }, (_, i) => `HH${String(i + 1).padStart(2, "0")}`),
    ];
    const spring = [
      MPAN_A,
      "2026-03-29",
      ...Array.from({ length: 46 }, (_, i) => ((i + 1) / 10).toFixed(1)),
      "",
      "",
      "",
      "",
    ];
    await importCsv(admin, [header.join(","), spring.join(",")].join("\n"));
    // 0.1 × 46 × 47 / 2 = 108.1
    expect((await readings(admin, MPAN_A, "2026-03-29", "2026-03-29", "day")).data).toEqual([
      { date: "2026-03-29", kwh: 108.1, periods: 46, expectedPeriods: 46, estimated: false },
    ]);
    expect(await periodsStored("2026-03-29")).toBe(46);
    const springHh = (await readings(admin, MPAN_A, "2026-03-29", "2026-03-29", "hh")).data;
    expect(springHh).toHaveLength(46);
    // 00:00–01:00 GMT, then BST: period 3 starts at 02:00 BST = 01:00Z; the last at 23:30 BST = 22:30Z.
    expect(springHh[2]).toMatchObject({ period: 3, start: "2026-03-29T01:00:00.000Z", kwh: 0.3 });
    expect(springHh[45]).toMatchObject({ period: 46, start: "2026-03-29T22:30:00.000Z", kwh: 4.6 });

    // Local midnight is 23:00Z the day before; 50 half-hours run to 00:00Z on the 26th.
    const first = Date.parse("2026-10-24T23:00:00Z");
    const narrow = [
      "MPAN,ReadDateTime,kWh",
      ...Array.from(
        { length: 50 },
        (_, i) => `${MPAN_A},${new Date(first + i * 1_800_000).toISOString()},${((i + 1) / 10).toFixed(1)}`,
      ),
    ];
    await importCsv(admin, narrow.join("\n"));
    // 0.1 × 50 × 51 / 2 = 127.5
    expect((await readings(admin, MPAN_A, "2026-10-25", "2026-10-25", "day")).data).toEqual([
      { date: "2026-10-25", kwh: 127.5, periods: 50, expectedPeriods: 50, estimated: false },
    ]);
    expect(await periodsStored("2026-10-25")).toBe(50);
    const autumnHh = (await readings(admin, MPAN_A, "2026-10-25", "2026-10-25", "hh")).data;
    expect(autumnHh).toHaveLength(50);
    expect(autumnHh[49]).toMatchObject({ period: 50, end: "2026-10-26T00:00:00.000Z", kwh: 5 });
  });
});

describe("dry run", () => {
  it("runs the whole pipeline and writes no reading", async () => {
    const before = await count("SELECT COUNT(*) AS n FROM readings");
    const csv = [
      "MPAN,ReadDateTime,kWh",
      `${MPAN_B},2026-03-01T00:00:00Z,5`,
      `${MPAN_B},2026-03-01T00:30:00Z,x`,
    ].join("\n");
    const job = await importCsv(admin, csv, { dryRun: "true" });
    expect(job).toMatchObject({
      status: "completed_with_errors",
      dryRun: true,
      rowsImported: 1,
      rowsFailed: 1,
      readingsWritten: 1,
    });
    expect(await count("SELECT COUNT(*) AS n FROM readings")).toBe(before);
    expect(await count(`SELECT COUNT(*) AS n FROM changed_spans WHERE batch_id = '${job.batchId}'`)).toBe(0);
    expect((await readings(admin, MPAN_B, "2026-03-01", "2026-03-01", "day")).data).toEqual([]);
  });
});

describe("refused files", () => {
  it("415 for a binary file, keeping nothing", async () => {
    const objects = (await env.UPLOADS.list()).objects.length;
    const res = await upload(
      admin,
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0]),
      {},
      "readings.xlsx",
    );
    expect(res.status).toBe(415);
    expect((await json(res)).error.code).toBe("not_text");
    expect((await env.UPLOADS.list()).objects.length).toBe(objects);
  });

  it("400 for an empty file", async () => {
    const res = await upload(admin, "");
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: { code: "empty_file", message: "file: the file is empty", field: "file" },
    });
  });

  it("413 over the size limit (200,000 bytes in tests)", async () => {
    const res = await upload(admin, "x".repeat(200_001));
    expect(res.status).toBe(413);
  });

  it("400 naming the option that is wrong", async () => {
    const res = await upload(admin, NARROW, { onConflict: "merge" });
    expect(res.status).toBe(400);
    expect((await json(res)).error.field).toBe("onConflict");
    const columns = await upload(admin, NARROW, { columns: "{not json" });
    expect((await json(columns)).error.field).toBe("columns");
  });

  it("fails a file with no valid row, writing nothing", async () => {
    const before = await count("SELECT COUNT(*) AS n FROM readings");
    const job = await importCsv(
      admin,
      ["MPAN,ReadDateTime,kWh", `${MPAN_A},2026-04-01T00:00:00Z,-5`].join("\n"),
    );
    expect(job.status).toBe("failed");
    expect(job.error).toBe("no valid row: all 1 rows were rejected");
    expect(await count("SELECT COUNT(*) AS n FROM readings")).toBe(before);
  });

  it("only admins import", async () => {
    for (const who of ["manager@example.com", "viewer@example.com"]) {
      const res = await upload(await login(who), NARROW);
      expect(res.status).toBe(403);
    }
  });
});

describe("unknown meters", () => {
  it("are created with autoCreateMeters, on an Unassigned meters site", async () => {
    const csv = ["MPAN,ReadDateTime,kWh", `2200012767323,2026-05-01T00:00:00Z,1.25`].join("\n");
    const job = await importCsv(admin, csv, { autoCreateMeters: "true" });
    expect(job.status).toBe("completed");
    const meter = await json(await call("GET", "/api/meters/2200012767323", undefined, { cookie: admin }));
    expect(meter).toMatchObject({
      mpan: "2200012767323",
      fuel: "electricity",
      siteName: "Unassigned meters",
      name: "Created by import",
    });
  });
});

describe("failure and retry", () => {
  it("a job whose ranges keep failing fails from the dead-letter queue, and a retry imports it once", async () => {
    const csv = [
      "MPAN,ReadDateTime,kWh",
      `${MPAN_B},2026-06-01T00:00:00Z,1`,
      `${MPAN_B},2026-06-01T00:30:00Z,2`,
    ].join("\n");
    await env.DB.exec("ALTER TABLE changed_spans RENAME TO changed_spans_broken");
    const res = await upload(admin, csv);
    const { batchId } = await json(res);
    for (let i = 0; i < 200 && (await getJob(admin, batchId)).attempts === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    const failing = await getJob(admin, batchId);
    expect(failing.status).toBe("processing");
    expect(failing.error).toMatch(/no such table: changed_spans/);

    // The queue gives up on a range: its dead-letter consumer fails the job.
    const batch = createMessageBatch("eclectyc-imports-dlq", [
      {
        id: "m1",
        timestamp: new Date(),
        attempts: 6,
        body: { kind: "range", batchId, index: 0, start: 0, end: 1, firstLine: 2 },
      },
    ]);
    await importDeadLetters(batch, env);
    const failed = await getJob(admin, batchId);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^gave up after repeated failures: .*no such table: changed_spans/);
    await env.DB.exec("ALTER TABLE changed_spans_broken RENAME TO changed_spans");

    const retry = await SELF.fetch(`${ORIGIN}/api/import/jobs/${batchId}/retry`, {
      method: "POST",
      headers: { Cookie: admin, Origin: ORIGIN },
    });
    expect(retry.status).toBe(202);
    const done = await settle(admin, batchId);
    expect(done).toMatchObject({ status: "completed", rowsImported: 2, readingsWritten: 2, error: null });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const day = await readings(admin, MPAN_B, "2026-06-01", "2026-06-01", "day");
    expect(day.data).toEqual([
      { date: "2026-06-01", kwh: 3, periods: 2, expectedPeriods: 48, estimated: false },
    ]);
    // A completed job cannot be retried.
    const again = await SELF.fetch(`${ORIGIN}/api/import/jobs/${batchId}/retry`, {
      method: "POST",
      headers: { Cookie: admin, Origin: ORIGIN },
    });
    expect(again.status).toBe(409);
  });

  it("a redelivered range is counted once", async () => {
    const job = await importCsv(
      admin,
      ["MPAN,ReadDateTime,kWh", `${MPAN_B},2026-06-02T00:00:00Z,7`].join("\n"),
    );
    const stub = env.IMPORT_JOBS.get(env.IMPORT_JOBS.idFromName(job.batchId));
    const before = await stub.progress();
    const again = await stub.rangeDone(0, {
      rowsProcessed: 1,
      rowsImported: 1,
      rowsFailed: 0,
      readingsWritten: 1,
      bytes: 10,
    });
    expect(again.accepted).toBe(false);
    expect(await stub.progress()).toEqual(before);
  });

  it("asks for the job row to be written at most once a second, and always at the end", async () => {
    const stub = env.IMPORT_JOBS.get(env.IMPORT_JOBS.idFromName("imp_test_persist"));
    const ranges = [0, 1, 2].map((index) => ({ index, start: index * 10, end: index * 10 + 10 }));
    await stub.start("imp_test_persist", ranges, 30);
    const counts = { rowsProcessed: 1, rowsImported: 1, rowsFailed: 0, readingsWritten: 1, bytes: 10 };
    const first = await stub.rangeDone(0, counts);
    const second = await stub.rangeDone(1, counts);
    const last = await stub.rangeDone(2, counts);
    expect([first.persist, second.persist, last.persist]).toEqual([true, false, true]);
    expect([first.complete, second.complete, last.complete]).toEqual([false, false, true]);
    expect(last.progress).toMatchObject({ rangesDone: 3, rowsImported: 3, bytes: 30, progress: 99 });
  });
});

describe("the queue consumer", () => {
  it("handles a batch two messages at a time, acks what it handled and retries what failed", async () => {
    const job = await importCsv(
      admin,
      ["MPAN,ReadDateTime,kWh", `${MPAN_B},2026-06-03T00:00:00Z,1`].join("\n"),
    );
    await env.DB.prepare("UPDATE import_jobs SET status = 'processing' WHERE batch_id = ?")
      .bind(job.batchId)
      .run();
    // R2 answers slowly and then fails: the ranges overlap two at a time, never three.
    let active = 0;
    let most = 0;
    const flaky = {
      ...env,
      UPLOADS: {
        get: async () => {
          most = Math.max(most, ++active);
          await new Promise((r) => setTimeout(r, 30));
          active--;
          throw new Error("R2 unavailable");
        },
      },
    } as unknown as Env;
    const range = (index: number) => ({ kind: "range", batchId: job.batchId, index, start: 0, end: 10 });
    const batch = createMessageBatch<unknown>("eclectyc-imports", [
      { id: "m0", timestamp: new Date(), attempts: 1, body: { kind: "nonsense" } },
      ...[0, 1, 2, 3].map((i) => ({ id: `m${i + 1}`, timestamp: new Date(), attempts: 2, body: range(i) })),
    ]);
    const ctx = createExecutionContext();
    await importQueue(batch, flaky);
    const result = await getQueueResult(batch, ctx);
    expect(most).toBe(2);
    // A malformed message is dropped (acked); each failed range is retried (after backoffSeconds(2) =
    // 2² × 5 s: the test pool records retries without their delay).
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual(["m1", "m2", "m3", "m4"]);
    expect(backoffSeconds(2)).toBe(20);
    const after = await getJob(admin, job.batchId);
    expect(after.error).toBe("R2 unavailable");
    expect(after.attempts).toBe(job.attempts + 4);
    await env.DB.prepare("UPDATE import_jobs SET status = 'completed' WHERE batch_id = ?")
      .bind(job.batchId)
      .run();
  });
});

describe("job list, status, cancel", () => {
  it("lists newest first, filters by status and searches", async () => {
    // Its own jobs, so the test stands alone: one that fails (no valid row) and one with searchable notes.
    const failed = await importCsv(admin, "MPAN,ReadDateTime,kWh\n2499999999990,2026-08-01T00:00:00Z,1\n");
    expect(failed.status).toBe("failed");
    const noted = await importCsv(admin, `MPAN,ReadDateTime,kWh\n${MPAN_B},2026-08-01T00:00:00Z,1\n`, {
      notes: "Quarterly upload zebra",
    });
    const list = await json(
      await call("GET", "/api/import/jobs?status=failed", undefined, { cookie: admin }),
    );
    expect(list.data.map((j: { batchId: string }) => j.batchId)).toContain(failed.batchId);
    expect(list.data.every((j: { status: string }) => j.status === "failed")).toBe(true);
    const search = await json(await call("GET", "/api/import/jobs?q=zebra", undefined, { cookie: admin }));
    expect(search.data.map((j: { batchId: string }) => j.batchId)).toEqual([noted.batchId]);
    const all = await json(await call("GET", "/api/import/jobs", undefined, { cookie: admin }));
    const created = all.data.map((j: { createdAt: string }) => j.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it("reports counts by status", async () => {
    const status = await json(await call("GET", "/api/import/status", undefined, { cookie: admin }));
    const jobs = await count("SELECT COUNT(*) AS n FROM import_jobs");
    expect(Object.values(status.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(jobs);
    expect(status.backlog).toEqual({ jobs: 0, bytesRemaining: 0 });
  });

  it("cancels a job that has not finished, and refuses to cancel a finished one", async () => {
    // Low priority holds the range messages back 30 s, so the job is still running when cancelled.
    const csv = ["MPAN,ReadDateTime,kWh", `${MPAN_B},2026-07-01T00:00:00Z,9`].join("\n");
    const { batchId } = await json(await upload(admin, csv, { priority: "low" }));
    for (let i = 0; i < 200 && (await getJob(admin, batchId)).status === "queued"; i++)
      await new Promise((r) => setTimeout(r, 25));
    const post = (path: string) =>
      SELF.fetch(`${ORIGIN}${path}`, { method: "POST", headers: { Cookie: admin, Origin: ORIGIN } });
    const cancel = await post(`/api/import/jobs/${batchId}/cancel`);
    expect(cancel.status).toBe(200);
    expect((await json(cancel)).status).toBe("cancelled");
    expect((await getJob(admin, batchId)).status).toBe("cancelled");
    expect((await post(`/api/import/jobs/${batchId}/cancel`)).status).toBe(409);
    expect((await readings(admin, MPAN_B, "2026-07-01", "2026-07-01", "day")).data).toEqual([]);
  });
});
