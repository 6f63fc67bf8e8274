// Scheduled-job telemetry: a row per run, health per job (overdue → degraded, two failures in a row →
// critical) and the alert to the webhook and admins' email on the second failure in a row.
import { createScheduledController, env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CRON_JOBS, runScheduled } from "../../cron/index";
import { healthReport, lastReport } from "../../src/health/routes";
import { call, json, login, seedEstate } from "../helpers";
import { recordingEnv, stubWebhook } from "../notifications-support";

beforeEach(async () => {
  Object.assign(lastReport, { report: null, at: 0, refreshing: null });
  await seedEstate();
});
afterEach(() => vi.restoreAllMocks());

const cleanup = CRON_JOBS["0 3 * * 0"];
const tick = (e: Env, time: number) =>
  runScheduled(createScheduledController({ cron: "0 3 * * 0", scheduledTime: time }), e);

describe("scheduler_executions", () => {
  it("gets a row per cron run with its trigger, duration, items and status", async () => {
    await tick(env, Date.now());
    const admin = await login("admin@example.com");
    const res = await call("GET", "/api/scheduler/executions?job=cleanup", undefined, { cookie: admin });
    expect(res.status).toBe(200);
    const { data, total } = await json(res);
    expect(total).toBe(1);
    expect(data[0]).toMatchObject({ job: "cleanup", trigger: "cron", status: "ok", error: null });
    expect(data[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(data[0].detail).toMatch(/^removed 0 old import files/);
  });

  it("makes health degraded when a job is more than twice its interval late", async () => {
    // cleanup runs weekly (10,080 minutes): last finished 2 × 10,080 + 11 minutes before now.
    const now = Date.parse("2026-06-01T12:00:00.000Z");
    const finished = new Date(now - (2 * 10_080 + 11) * 60_000).toISOString();
    await env.DB.prepare(
      "INSERT INTO scheduler_executions (job, trigger, started_at, finished_at, status) VALUES ('cleanup', 'cron', ?1, ?1, 'ok')",
    )
      .bind(finished)
      .run();
    const report = await healthReport(env, { fresh: true, now });
    expect(report.status).toBe("degraded");
    expect(report.checks["cron.cleanup"]).toEqual({
      status: "warn",
      detail: "overdue: last ran 20171 minutes ago",
    });
    // 2 × 10,080 + 9 minutes is within the slack: fine.
    const sooner = await healthReport(env, { fresh: true, now: now - 2 * 60_000 });
    expect(sooner.checks["cron.cleanup"].status).toBe("ok");
  });

  it("on the second failure in a row: critical health, an alert to the webhook and every admin's email", async () => {
    const run = cleanup.run;
    cleanup.run = async () => {
      throw new Error("R2 unreachable");
    };
    try {
      const { env: e, emails } = recordingEnv();
      const hook = stubWebhook();
      await tick(e, Date.now());
      expect(emails).toEqual([]); // one failure is not alerted
      let report = await healthReport(env, { fresh: true });
      expect(report.status).toBe("degraded");
      expect(report.checks["cron.cleanup"]).toEqual({
        status: "warn",
        detail: "last run failed: R2 unreachable",
      });

      await tick(e, Date.now() + 1);
      report = await healthReport(env, { fresh: true });
      expect(report.status).toBe("critical");
      expect(report.checks["cron.cleanup"]).toEqual({
        status: "fail",
        detail: "the last two runs failed: R2 unreachable",
      });
      expect(emails.map((m) => [m.to, m.subject])).toEqual([
        ["admin@example.com", "Scheduled job cleanup failed twice in a row"],
      ]);
      expect(emails[0].text).toContain("Last error: R2 unreachable");
      expect(emails[0].html).toContain('<a href="http://127.0.0.1:8787/admin/jobs">');
      expect(hook.bodies).toEqual([
        expect.objectContaining({
          text: "[critical] Scheduled job cleanup failed twice in a row\nR2 unreachable",
        }),
      ]);
      const deliveries = await env.DB.prepare(
        "SELECT channel, status, attempts FROM deliveries ORDER BY id",
      ).all();
      expect(deliveries.results).toEqual([
        { channel: "email", status: "sent", attempts: 1 },
        { channel: "webhook", status: "sent", attempts: 1 },
      ]);
    } finally {
      cleanup.run = run;
    }
  });
});
