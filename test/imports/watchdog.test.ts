// The import watchdog: a job whose queue messages were lost (dropped here on purpose, as a crash or a
// restart of the local server loses them) is found and finished with exact counts, with no manual step.
// Range size is 160 bytes in tests. Every file here is one December day of MPAN_B (GMT = UTC, so 00:00Z
// is period 1): 48 rows of 39 bytes after a 22-byte header, so cutRanges gives 10 ranges, 9 of 5 rows
// (195 bytes) and a last one of 3; range k starts at byte 22 + 195k. The values 1.5, 2.5 … 9.5 repeat,
// so the day is 5 × 49.5 + 1.5 + 2.5 + 3.5 = 255 kWh.
import { createScheduledController, env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { runScheduled } from "../../cron/index";
import { createJob } from "../../src/imports/jobs";
import { ImportOptionsSchema } from "../../src/imports/options";
import { handleImportMessage } from "../../src/imports/pipeline";
import { call, json, login, MPAN_B, ORIGIN, seedEstate } from "../helpers";
import { getJob, readings, settle } from "./support";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

type Body = { kind: string; batchId: string; index?: number; start?: number; end?: number };

function dayFile(date: string): string {
  const first = Date.parse(`${date}T00:00:00Z`);
  const rows = Array.from({ length: 48 }, (_, i) => {
    const t = new Date(first + i * 1_800_000).toISOString().slice(0, 19);
    return `${MPAN_B},${t}Z,${(i % 9) + 1}.5`;
  });
  return ["MPAN,ReadDateTime,kWh", ...rows].join("\n");
}

/** The test's bindings with the queue producer wrapped: every message is logged, those `keep` refuses are lost. */
function withQueue(keep: (body: Body) => boolean, log: Body[] = []): Env {
  const IMPORTS = {
    async send(body: Body, options?: QueueSendOptions) {
      log.push(body);
      if (keep(body)) await env.IMPORTS.send(body, options);
    },
    async sendBatch(messages: MessageSendRequest<Body>[], options?: QueueSendBatchOptions) {
      for (const m of messages) log.push(m.body);
      const kept = messages.filter((m) => keep(m.body));
      if (kept.length > 0) await env.IMPORTS.sendBatch(kept, options);
    },
  };
  return { ...env, IMPORTS } as unknown as Env;
}

/** A job for one day's file whose plan message is lost: it stays queued. */
async function queuedJob(date: string): Promise<string> {
  const batchId = `imp_watchdog_${date.replace(/-/g, "")}_${Math.random().toString(36).slice(2, 8)}`;
  const csv = dayFile(date);
  await env.UPLOADS.put(`imports/${batchId}`, csv);
  await createJob(
    withQueue(() => false),
    {
      batchId,
      options: ImportOptionsSchema.parse({}),
      r2Key: `imports/${batchId}`,
      fileName: `${date}.csv`,
      fileOffset: 0,
      fileEnd: csv.length,
      createdBy: 1,
    },
  );
  return batchId;
}

const progress = (batchId: string) => env.IMPORT_JOBS.get(env.IMPORT_JOBS.idFromName(batchId)).progress();

/**
 * A job planned in the test with ranges 1 and 3 lost; the real queue delivers the other eight and the
 * job's Durable Object counts them. Returns the two lost messages.
 */
async function jobMissingRanges(date: string): Promise<{ batchId: string; lost: Body[] }> {
  const batchId = await queuedJob(date);
  const sent: Body[] = [];
  await handleImportMessage(
    withQueue((b) => !(b.kind === "range" && (b.index === 1 || b.index === 3)), sent),
    { kind: "plan", batchId },
  );
  for (let i = 0; i < 400 && (await progress(batchId)).rangesDone < 8; i++)
    await new Promise((r) => setTimeout(r, 25));
  expect((await progress(batchId)).rangesDone).toBe(8);
  await new Promise((r) => setTimeout(r, 100)); // no ninth range comes
  expect(await progress(batchId)).toMatchObject({ rangesDone: 8, rangesTotal: 10, status: "processing" });
  return { batchId, lost: sent.filter((b) => b.index === 1 || b.index === 3) };
}

/** Runs the watchdog cron as if it fired `minutesLater`, logging what it sends. */
async function watchdog(minutesLater: number, cron = "*/5 * * * *", scheduledTime?: number) {
  const sent: Body[] = [];
  await runScheduled(
    createScheduledController({ cron, scheduledTime: scheduledTime ?? Date.now() + minutesLater * 60_000 }),
    withQueue(() => true, sent),
  );
  return sent;
}

const post = (path: string) =>
  SELF.fetch(`${ORIGIN}${path}`, { method: "POST", headers: { Cookie: admin, Origin: ORIGIN } });

const backdate = (batchId: string, minutes: number) =>
  env.DB.prepare("UPDATE import_jobs SET progress_at = ?2 WHERE batch_id = ?1")
    .bind(batchId, new Date(Date.now() - minutes * 60_000).toISOString())
    .run();

async function expectDayImported(batchId: string, date: string) {
  const job = await settle(admin, batchId);
  expect(job).toMatchObject({
    status: "completed",
    rowsProcessed: 48,
    rowsImported: 48,
    rowsFailed: 0,
    readingsWritten: 48,
    progress: 100,
    error: null,
  });
  expect((await readings(admin, MPAN_B, date, date, "day")).data).toEqual([
    { date, kwh: 255, periods: 48, expectedPeriods: 48, estimated: false },
  ]);
  return job;
}

describe("the watchdog", () => {
  it("leaves a job alone while it has progressed within the last 5 minutes", async () => {
    const { batchId } = await jobMissingRanges("2026-12-01");
    expect((await watchdog(4)).filter((b) => b.batchId === batchId)).toEqual([]);
    expect((await getJob(admin, batchId)).status).toBe("processing");
    await post(`/api/import/jobs/${batchId}/cancel`);
  });

  it("sends again exactly the ranges the job's Durable Object has not counted, and the job completes", async () => {
    const date = "2026-12-02";
    const { batchId, lost } = await jobMissingRanges(date);
    expect(lost).toEqual([
      { kind: "range", batchId, index: 1, start: 217, end: 412 },
      { kind: "range", batchId, index: 3, start: 607, end: 802 },
    ]);
    const sent = await watchdog(6);
    expect(sent.filter((b) => b.batchId === batchId)).toEqual(lost);
    const job = await expectDayImported(batchId, date);
    expect(job).toMatchObject({ attempts: 0, recoveries: 1 });
    const run = await env.DB.prepare(
      "SELECT last_status AS status, last_detail AS detail FROM cron_runs WHERE job = 'import-watchdog'",
    ).first();
    expect(run).toEqual({ status: "ok", detail: `${batchId}: sent 2 uncounted ranges again (1, 3)` });
  });

  it("sends the plan again when the job's first message was lost", async () => {
    const date = "2026-12-03";
    const batchId = await queuedJob(date);
    expect((await getJob(admin, batchId)).status).toBe("queued");
    const sent = await watchdog(6);
    expect(sent.filter((b) => b.batchId === batchId)).toEqual([{ kind: "plan", batchId }]);
    await expectDayImported(batchId, date);
  });

  it("finishes a job whose every range was counted when the process died before it finished", async () => {
    const date = "2026-12-04";
    const batchId = await queuedJob(date);
    const ranges: Body[] = [];
    await handleImportMessage(
      withQueue(() => false, ranges),
      { kind: "plan", batchId },
    );
    expect(ranges).toHaveLength(10);
    // Each range is written and counted, then the process dies before the job row hears of it.
    const dies = {
      ...env,
      IMPORT_JOBS: {
        idFromName: (name: string) => env.IMPORT_JOBS.idFromName(name),
        get: (id: DurableObjectId) => ({
          rangeDone: async (...args: Parameters<ReturnType<typeof env.IMPORT_JOBS.get>["rangeDone"]>) => {
            await env.IMPORT_JOBS.get(id).rangeDone(...args);
            throw new Error("killed");
          },
        }),
      },
    } as unknown as Env;
    for (const range of ranges) await expect(handleImportMessage(dies, range)).rejects.toThrow("killed");
    expect(await progress(batchId)).toMatchObject({ rangesDone: 10, rowsImported: 48, status: "processing" });
    expect(await getJob(admin, batchId)).toMatchObject({ status: "processing", rowsImported: 0 });

    // The watchdog finishes the job itself: nothing is sent again but the checks after completion.
    const sent = (await watchdog(6)).filter((b) => b.batchId === batchId);
    expect(sent).toEqual([{ kind: "check", batchId }]);
    await handleImportMessage(env, sent[0]);
    await expectDayImported(batchId, date);
  });

  it("fails the job with its reason once it has been sent again 3 times", async () => {
    const { batchId } = await jobMissingRanges("2026-12-05");
    await env.DB.prepare("UPDATE import_jobs SET recoveries = 3 WHERE batch_id = ?").bind(batchId).run();
    expect((await watchdog(6)).filter((b) => b.batchId === batchId)).toEqual([]);
    const job = await getJob(admin, batchId);
    expect(job).toMatchObject({
      status: "failed",
      error: "stalled: no progress for 5 minutes after 3 automatic recoveries (8 of 10 ranges counted)",
      recoveries: 3,
    });
    expect(job.finishedAt).toEqual(expect.any(String));
    expect(await progress(batchId)).toMatchObject({ status: "failed" });
  });

  it("at start-up locally, recovers every job that last progressed before the server started", async () => {
    const before = await queuedJob("2026-12-06");
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const after = await queuedJob("2026-12-07"); // lost too, but after the start: left to the cron
    const sent = await watchdog(0, "@start-up", started);
    expect(sent.filter((b) => b.batchId === before || b.batchId === after)).toEqual([
      { kind: "plan", batchId: before },
    ]);
    await expectDayImported(before, "2026-12-06");
    expect((await getJob(admin, after)).status).toBe("queued");
    expect((await post(`/api/import/jobs/${after}/cancel`)).status).toBe(200);
  });
});

describe("Retry", () => {
  it("runs a stalled processing job again (202), and refuses one that is still progressing (409)", async () => {
    const date = "2026-12-08";
    const { batchId } = await jobMissingRanges(date);
    const busy = await post(`/api/import/jobs/${batchId}/retry`);
    expect(busy.status).toBe(409);

    await backdate(batchId, 6);
    const retry = await post(`/api/import/jobs/${batchId}/retry`);
    expect(retry.status).toBe(202);
    expect((await json(busy)).error).toEqual({
      code: "conflict",
      message: expect.stringMatching(
        /^only failed, cancelled or stalled jobs can be retried; this one is processing and last progressed \d+ s ago \(stalled after 5 minutes\)$/,
      ),
    });
    expect(await json(retry)).toMatchObject({ batchId, status: "queued", stalled: false, recoveries: 0 });
    const job = await expectDayImported(batchId, date);
    expect(job.attempts).toBe(1);
  });
});

describe("GET /api/health", () => {
  it("is degraded while a job is stalled, naming it, and healthy once the watchdog has finished it", async () => {
    const date = "2026-12-09";
    const { batchId } = await jobMissingRanges(date);
    // ?deep=1 as an admin: the checks afresh, not the report an isolate reuses for 5 s.
    const health = async () =>
      (await call("GET", "/api/health?deep=1", undefined, { cookie: admin })).json() as Promise<any>;
    expect((await health()).checks.imports).toEqual({ status: "ok", detail: "1 jobs waiting" });

    await backdate(batchId, 6);
    const stalled = await health();
    expect(stalled.status).toBe("degraded");
    expect(stalled.checks.imports).toEqual({
      status: "warn",
      detail: `1 jobs waiting, 1 stalled with no progress for 5 minutes: ${batchId}`,
    });
    expect((await getJob(admin, batchId)).stalled).toBe(true);

    await watchdog(0);
    await expectDayImported(batchId, date);
    const after = await health();
    expect(after.checks.imports).toEqual({ status: "ok", detail: "0 jobs waiting" });
    expect(after.status).toBe("healthy");
  });
});
