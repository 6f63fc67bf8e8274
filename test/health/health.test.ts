import { createScheduledController, env, SELF } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { runScheduled } from "../../cron/index";
import { HEALTH_CACHE_MS, healthReport, lastReport } from "../../src/health/routes";
import { call, json, login, seedEstate } from "../helpers";

// The report is isolate state shared by every test in this file: start each from none.
beforeEach(() => Object.assign(lastReport, { report: null, at: 0, refreshing: null }));

type Health = {
  status: string;
  checkedAt: string;
  checks: Record<string, { status: string; detail: string }>;
};

describe("GET /api/health", () => {
  it("is public and reports each check", async () => {
    const res = await SELF.fetch("http://localhost/api/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      checks: Record<string, { status: string; detail: string }>;
    };
    expect(body.status).toBe("healthy");
    expect(Object.keys(body.checks).sort()).toEqual(
      [
        "carbon",
        "cron.aggregation",
        "cron.carbon",
        "cron.cleanup",
        "cron.data-quality",
        "cron.import-watchdog",
        "d1",
        "imports",
        "queue",
        "r2",
      ].sort(),
    );
    expect(body.checks["cron.cleanup"]).toEqual({ status: "ok", detail: "has not run yet" });
  });

  it("shows every built job that has not run yet as ok, not as failing or overdue", async () => {
    const res = await SELF.fetch("http://localhost/api/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      checks: Record<string, { status: string; detail: string }>;
    };
    expect(body.status).toBe("healthy");
    // Aggregation, carbon and data quality are built: jobs that have not run yet.
    expect(body.checks["cron.aggregation"]).toEqual({ status: "ok", detail: "has not run yet" });
    expect(body.checks["cron.carbon"]).toEqual({ status: "ok", detail: "has not run yet" });
    expect(body.checks.carbon).toEqual({ status: "ok", detail: "not polled yet" });
    expect(body.checks["cron.data-quality"]).toEqual({ status: "ok", detail: "has not run yet" });
  });

  it("turns degraded when a cron job's last run failed, and shows the run", async () => {
    await seedEstate();
    const admin = await login("admin@example.com");
    await env.DB.prepare(
      "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('old', 1, 0), ('live', 1, 9e15)",
    ).run();
    await runScheduled(createScheduledController({ cron: "0 3 * * 0", scheduledTime: Date.now() }), env);
    let body = await json<Health>(await call("GET", "/api/health?deep=1", undefined, { cookie: admin }));
    expect(body.checks["cron.cleanup"].status).toBe("ok");
    expect(body.checks["cron.cleanup"].detail).toMatch(
      /removed 0 old import files, 0 abandoned uploads, 1 expired sessions, 0 stale throttle rows$/,
    );

    await env.DB.prepare(
      "INSERT INTO scheduler_executions (job, trigger, started_at, finished_at, status, error) VALUES ('cleanup', 'cron', '2999-01-01T00:00:00.000Z', '2999-01-01T00:00:01.000Z', 'failed', 'boom')",
    ).run();
    body = await json<Health>(await call("GET", "/api/health?deep=1", undefined, { cookie: admin }));
    expect(body.status).toBe("degraded");
    expect(body.checks["cron.cleanup"]).toEqual({ status: "warn", detail: "last run failed: boom" });
  });
});

describe("GET /api/health reuses its report", () => {
  const failCleanup = () =>
    env.DB.prepare(
      "INSERT INTO scheduler_executions (job, trigger, started_at, finished_at, status, error) VALUES ('cleanup', 'cron', '2999-01-01T00:00:00.000Z', '2999-01-01T00:00:01.000Z', 'failed', 'boom')",
    ).run();

  it("for anyone but an admin asking ?deep=1, until HEALTH_CACHE_MS have passed", async () => {
    await seedEstate();
    const first = await json<Health>(await SELF.fetch("http://localhost/api/health"));
    expect(first.status).toBe("healthy");
    expect(first.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    await failCleanup();

    // Anonymous, a manager, and a bad token asking for a deep check all get the same report.
    const manager = await login("manager@example.com");
    for (const auth of [{}, { cookie: manager }, { token: "eet_not-a-token" }]) {
      for (const path of ["/api/health", "/api/health?deep=1"]) {
        const res = await call("GET", path, undefined, auth);
        expect(res.status).toBe(200);
        expect(await json(res)).toEqual(first);
      }
    }

    // An admin's deep check runs afresh, and later callers get its report.
    const admin = await login("admin@example.com");
    const deep = await json<Health>(await call("GET", "/api/health?deep=1", undefined, { cookie: admin }));
    expect(deep.status).toBe("degraded");
    expect(deep.checks["cron.cleanup"]).toEqual({ status: "warn", detail: "last run failed: boom" });
    expect(await json(await SELF.fetch("http://localhost/api/health"))).toEqual(deep);
  });

  it("runs the checks again once HEALTH_CACHE_MS have passed", async () => {
    await seedEstate();
    const t = Date.parse("2026-06-01T12:00:00.000Z");
    const first = await healthReport(env, { now: t });
    await failCleanup();
    expect(await healthReport(env, { now: t + HEALTH_CACHE_MS - 1 })).toBe(first);
    const later = await healthReport(env, { now: t + HEALTH_CACHE_MS });
    expect(later.status).toBe("degraded");
    expect(later.checkedAt).toBe("2026-06-01T12:00:05.000Z");
  });

  it("while one caller refreshes a stale report, hands the others the stale one", async () => {
    await seedEstate();
    const t = Date.parse("2026-06-01T12:00:00.000Z");
    const first = await healthReport(env, { now: t });
    await failCleanup();
    const stale = t + HEALTH_CACHE_MS;
    const refreshing = healthReport(env, { now: stale }); // its checks are under way
    expect(await healthReport(env, { now: stale + 1 })).toBe(first);
    expect((await refreshing).status).toBe("degraded");
    expect(await healthReport(env, { now: stale + 2 })).toBe(await refreshing);
  });

  it("stops waiting for a refresh that has not ended within HEALTH_CACHE_MS", async () => {
    await seedEstate();
    const t = Date.parse("2026-06-01T12:00:00.000Z");
    const first = await healthReport(env, { now: t });
    await failCleanup();
    // A refresh begun at 12:00:05 whose request went away before its checks ended.
    lastReport.refreshing = { since: t + HEALTH_CACHE_MS };
    expect(await healthReport(env, { now: t + 2 * HEALTH_CACHE_MS - 1 })).toBe(first);
    const next = await healthReport(env, { now: t + 2 * HEALTH_CACHE_MS });
    expect(next.status).toBe("degraded");
    expect(lastReport.refreshing).toBeNull();
  });

  it("refuses a deep value other than 0 or 1", async () => {
    const res = await SELF.fetch("http://localhost/api/health?deep=yes");
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: { code: "invalid", message: 'deep: Invalid option: expected one of "0"|"1"', field: "deep" },
    });
  });
});

describe("OpenAPI", () => {
  it("documents the API as OpenAPI 3.1 with a readable page", async () => {
    const doc = (await (await SELF.fetch("http://localhost/api/openapi.json")).json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/meters/{mpan}");
    expect(doc.paths["/api/meters"].post.requestBody.content["application/json"].schema).toBeDefined();
    const page = await SELF.fetch("http://localhost/api/docs");
    expect(page.headers.get("Content-Type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("<code>/api/meters/{mpan}</code>");
  });
});
