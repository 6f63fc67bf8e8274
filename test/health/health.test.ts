import { createScheduledController, env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../cron/index";
import { seedEstate } from "../helpers";

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

  it("shows jobs of capabilities not built yet as not configured, neither ok nor failing", async () => {
    // A scheduled tick of a job that is not built records a skipped run; it stays not configured.
    await runScheduled(createScheduledController({ cron: "*/30 * * * *", scheduledTime: Date.now() }), env);
    const res = await SELF.fetch("http://localhost/api/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      checks: Record<string, { status: string; detail: string }>;
    };
    expect(body.status).toBe("healthy");
    expect(body.checks["cron.carbon"]).toEqual({
      status: "not_configured",
      detail: "carbon-intensity polling: not built yet",
    });
    expect(body.checks["cron.aggregation"]).toEqual({
      status: "not_configured",
      detail: "aggregation: not built yet",
    });
    expect(body.checks["cron.data-quality"]).toEqual({
      status: "not_configured",
      detail: "data-quality checks: not built yet",
    });
  });

  it("turns degraded when a cron job's last run failed, and shows the run", async () => {
    await seedEstate();
    await env.DB.prepare(
      "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('old', 1, 0), ('live', 1, 9e15)",
    ).run();
    await runScheduled(createScheduledController({ cron: "0 3 * * 0", scheduledTime: Date.now() }), env);
    let body = (await (await SELF.fetch("http://localhost/api/health")).json()) as any;
    expect(body.checks["cron.cleanup"].status).toBe("ok");
    expect(body.checks["cron.cleanup"].detail).toMatch(
      /removed 0 old import files, 0 abandoned uploads, 1 expired sessions, 0 stale throttle rows$/,
    );

    await env.DB.prepare(
      "UPDATE cron_runs SET last_status = 'failed', last_detail = 'boom' WHERE job = 'cleanup'",
    ).run();
    body = (await (await SELF.fetch("http://localhost/api/health")).json()) as any;
    expect(body.status).toBe("degraded");
    expect(body.checks["cron.cleanup"]).toEqual({ status: "warn", detail: "last run failed: boom" });
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
