// The role matrix: every API route × every role, plus no credentials at all.
import { env } from "cloudflare:test";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ROLES, roleAtLeast, type Role } from "../../src/enums";
import { call, login, MPAN_A, seedEstate } from "../helpers";

/**
 * `ok` is the exact answer for a role that may call it (a 500 fails the test); `template` is the
 * documented path when the sample path's ids are not numeric.
 */
type RouteCase = { method: string; path: string; min: Role; ok: number; body?: unknown; template?: string };

// Bodies are valid where the role allows, so an allowed call never answers 401/403.
const ROUTES: RouteCase[] = [
  { method: "POST", path: "/api/auth/logout", ok: 204, min: "viewer" },
  { method: "GET", path: "/api/auth/me", ok: 200, min: "viewer" },
  { method: "GET", path: "/api/auth/locks", ok: 200, min: "admin" },
  {
    method: "DELETE",
    path: "/api/auth/locks/pair%3A192.0.2.1%7Cnone%40example.com",
    ok: 404,
    min: "admin",
    template: "/api/auth/locks/:",
  },
  { method: "GET", path: "/api/companies", ok: 200, min: "viewer" },
  { method: "POST", path: "/api/companies", ok: 201, min: "admin", body: { name: "New Co" } },
  { method: "DELETE", path: "/api/companies/999", ok: 404, min: "admin" },
  { method: "GET", path: "/api/regions", ok: 200, min: "viewer" },
  { method: "POST", path: "/api/regions", ok: 201, min: "admin", body: { name: "South", companyId: 10 } },
  { method: "GET", path: "/api/sites", ok: 200, min: "viewer" },
  { method: "POST", path: "/api/sites", ok: 201, min: "admin", body: { name: "Matrix Site" } },
  { method: "POST", path: "/api/sites/import", ok: 200, min: "admin", body: "name\nImported Site\n" },
  { method: "GET", path: "/api/sites/1000", ok: 200, min: "viewer" },
  { method: "PATCH", path: "/api/sites/1000", ok: 200, min: "admin", body: { address: "1 Street" } },
  { method: "DELETE", path: "/api/sites/999", ok: 404, min: "admin" },
  { method: "GET", path: "/api/meters", ok: 200, min: "viewer" },
  {
    method: "POST",
    path: "/api/meters",
    ok: 201,
    min: "admin",
    body: { mpan: "2200012767323", siteId: 1000, fuel: "electricity" },
  },
  { method: "GET", path: `/api/meters/${MPAN_A}`, ok: 200, min: "viewer" },
  { method: "PATCH", path: `/api/meters/${MPAN_A}`, ok: 200, min: "admin", body: { name: "Renamed" } },
  { method: "DELETE", path: "/api/meters/2000006183919", ok: 404, min: "admin" },
  { method: "GET", path: "/api/suppliers", ok: 200, min: "viewer" },
  { method: "POST", path: "/api/suppliers", ok: 201, min: "admin", body: { name: "Matrix Power" } },
  { method: "PATCH", path: "/api/suppliers/999", ok: 404, min: "admin", body: { name: "X" } },
  { method: "DELETE", path: "/api/suppliers/999", ok: 404, min: "admin" },
  { method: "GET", path: "/api/users", ok: 200, min: "admin" },
  {
    method: "POST",
    path: "/api/users",
    ok: 201,
    min: "admin",
    body: { email: "new@example.com", password: "long enough", role: "viewer" },
  },
  { method: "PATCH", path: "/api/users/5", ok: 200, min: "admin", body: { name: "Renamed" } },
  { method: "DELETE", path: "/api/users/999", ok: 404, min: "admin" },
  { method: "POST", path: "/api/users/5/grants", ok: 201, min: "admin", body: { siteId: 1000 } },
  { method: "DELETE", path: "/api/users/5/grants/999", ok: 404, min: "admin" },
  { method: "GET", path: "/api/tokens", ok: 200, min: "admin" },
  { method: "POST", path: "/api/tokens", ok: 201, min: "admin", body: { name: "matrix", role: "viewer" } },
  { method: "DELETE", path: "/api/tokens/999", ok: 404, min: "admin" },
  { method: "GET", path: "/api/audit", ok: 200, min: "admin" },
  {
    method: "GET",
    path: `/api/meters/${MPAN_A}/readings?from=2026-01-01&to=2026-01-02`,
    ok: 200,
    min: "viewer",
    template: "/api/meters/:/readings",
  },
  { method: "POST", path: "/api/import/jobs", ok: 400, min: "admin", body: { uploadId: "upl_none" } },
  { method: "GET", path: "/api/import/jobs", ok: 200, min: "admin" },
  { method: "GET", path: "/api/import/jobs/imp_none", ok: 404, min: "admin", template: "/api/import/jobs/:" },
  {
    method: "GET",
    path: "/api/import/jobs/imp_none/errors.csv",
    ok: 404,
    min: "admin",
    template: "/api/import/jobs/:/errors.csv",
  },
  {
    method: "POST",
    path: "/api/import/jobs/imp_none/cancel",
    ok: 404,
    min: "admin",
    template: "/api/import/jobs/:/cancel",
  },
  {
    method: "POST",
    path: "/api/import/jobs/imp_none/retry",
    ok: 404,
    min: "admin",
    template: "/api/import/jobs/:/retry",
  },
  {
    method: "GET",
    path: "/api/import/jobs/imp_none/live",
    ok: 426,
    min: "admin",
    template: "(WebSocket, undocumented)",
  },
  {
    method: "POST",
    path: "/api/import/jobs/imp_none/rerun",
    ok: 404,
    min: "admin",
    template: "/api/import/jobs/:/rerun",
    body: {},
  },
  { method: "POST", path: "/api/import/preview", ok: 400, min: "admin", body: { uploadId: "upl_none" } },
  { method: "GET", path: "/api/import/status", ok: 200, min: "admin" },
  { method: "POST", path: "/api/uploads", ok: 201, min: "admin", body: { fileName: "a.csv", size: 10 } },
  {
    method: "PUT",
    path: "/api/uploads/upl_none/parts/1",
    ok: 404,
    min: "admin",
    body: "abc",
    template: "/api/uploads/:/parts/:",
  },
  {
    method: "POST",
    path: "/api/uploads/upl_none/complete",
    ok: 404,
    min: "admin",
    template: "/api/uploads/:/complete",
  },
  { method: "GET", path: "/api/webhook-sources", ok: 200, min: "admin" },
  { method: "POST", path: "/api/webhook-sources", ok: 201, min: "admin", body: { name: "Matrix portal" } },
  { method: "DELETE", path: "/api/webhook-sources/999", ok: 404, min: "admin" },
  {
    method: "GET",
    path: `/api/meters/${MPAN_A}/summary?from=2026-01-01&to=2026-01-31`,
    ok: 200,
    min: "viewer",
    template: "/api/meters/:/summary",
  },
  {
    method: "GET",
    path: "/api/sites/1000/consumption?from=2026-01-01&to=2026-01-31&granularity=week",
    ok: 200,
    min: "viewer",
    template: "/api/sites/:/consumption",
  },
  {
    method: "GET",
    path: "/api/portfolio/consumption?from=2026-01-01&to=2026-01-31",
    ok: 200,
    min: "viewer",
    template: "/api/portfolio/consumption",
  },
  {
    method: "GET",
    path: "/api/reports/consumption?from=2026-01-01&to=2026-01-31&format=csv",
    ok: 200,
    min: "manager",
    template: "/api/reports/consumption",
  },
  {
    method: "POST",
    path: "/api/aggregates/rebuild?mode=pending",
    ok: 200,
    min: "admin",
    template: "/api/aggregates/rebuild",
  },
  // Carbon (src/carbon): nothing is stored in this file, so the current intensity is 404 for everyone allowed.
  { method: "GET", path: "/api/carbon-intensity", ok: 404, min: "viewer" },
  { method: "POST", path: "/api/carbon-intensity/refresh", ok: 200, min: "manager" },
  ...["history?days=7", "regional?region=13", "generation", "best-times?hours=2&siteId=1000"].map((q) => ({
    method: "GET",
    path: `/api/carbon-intensity/${q}`,
    ok: 200,
    min: "viewer" as const,
    template: `/api/carbon-intensity/${q.split("?")[0]}`,
  })),
  { method: "GET", path: "/api/sites/1000/grid-region", ok: 200, min: "viewer" },
  { method: "PUT", path: "/api/sites/1000/grid-region", ok: 200, min: "admin", body: { regionId: 13 } },
  {
    method: "GET",
    path: `/api/meters/${MPAN_A}/emissions?from=2026-01-01&to=2026-01-31`,
    ok: 200,
    min: "viewer",
    template: "/api/meters/:/emissions",
  },
  {
    method: "GET",
    path: "/api/sites/1000/emissions?from=2026-01-01&to=2026-01-31",
    ok: 200,
    min: "viewer",
    template: "/api/sites/:/emissions",
  },
  {
    method: "GET",
    path: "/api/portfolio/emissions?from=2026-01-01&to=2026-01-31&granularity=month",
    ok: 200,
    min: "viewer",
    template: "/api/portfolio/emissions",
  },
  // Data quality, alarms, notifications, scheduler (issue 15).
  { method: "POST", path: "/api/quality/run", ok: 200, min: "admin", body: {} },
  { method: "GET", path: "/api/quality/issues", ok: 200, min: "viewer" },
  { method: "GET", path: "/api/quality/counts", ok: 200, min: "viewer" },
  { method: "PATCH", path: "/api/quality/issues/999", ok: 404, min: "manager", body: { status: "resolved" } },
  { method: "PATCH", path: `/api/quality/meters/${MPAN_A}`, ok: 200, min: "admin", body: { zeroRun: true } },
  { method: "GET", path: "/api/scheduler/executions", ok: 200, min: "admin" },
  { method: "GET", path: "/api/alarms", ok: 200, min: "viewer" },
  {
    method: "POST",
    path: "/api/alarms",
    ok: 201,
    min: "admin",
    body: {
      name: "Matrix alarm",
      mpan: MPAN_A,
      metric: "kwh",
      period: "day",
      operator: "gt",
      threshold: 100,
    },
  },
  {
    method: "POST",
    path: "/api/alarms/preview",
    ok: 200,
    min: "admin",
    body: {
      name: "Matrix alarm",
      mpan: MPAN_A,
      metric: "kwh",
      period: "day",
      operator: "gt",
      threshold: 100,
    },
  },
  { method: "GET", path: "/api/alarms/999", ok: 404, min: "viewer" },
  { method: "PATCH", path: "/api/alarms/999", ok: 404, min: "admin", body: { name: "x" } },
  { method: "DELETE", path: "/api/alarms/999", ok: 404, min: "admin" },
  { method: "GET", path: "/api/alarms/999/triggers", ok: 404, min: "viewer" },
  { method: "GET", path: "/api/notifications", ok: 200, min: "viewer" },
  { method: "POST", path: "/api/notifications/read", ok: 200, min: "viewer", body: { ids: "all" } },
  // Tariffs: global configuration (managers read, admins write); costs and analyses for managers up.
  { method: "GET", path: "/api/tariffs", ok: 200, min: "manager" },
  {
    method: "POST",
    path: "/api/tariffs",
    ok: 201,
    min: "admin",
    body: {
      name: "Matrix Flat",
      fuel: "electricity",
      type: "flat",
      validFrom: "2026-01-01",
      standingChargePence: 40,
      vatRate: 0.2,
      ccl: false,
      unitRatePence: 25,
    },
  },
  { method: "GET", path: "/api/tariffs/999", ok: 404, min: "manager" },
  { method: "PATCH", path: "/api/tariffs/999", ok: 404, min: "admin", body: { name: "X" } },
  { method: "DELETE", path: "/api/tariffs/999", ok: 404, min: "admin" },
  {
    method: "POST",
    path: "/api/tariffs/999/prices",
    ok: 404,
    min: "admin",
    body: "valid_from,valid_to,value_exc_vat\n",
  },
  {
    method: "GET",
    path: "/api/tariffs/999/prices?from=2026-01-01&to=2026-01-02",
    ok: 404,
    min: "manager",
    template: "/api/tariffs/:/prices",
  },
  {
    method: "GET",
    path: `/api/meters/${MPAN_A}/tariffs`,
    ok: 200,
    min: "manager",
    template: "/api/meters/:/tariffs",
  },
  {
    method: "POST",
    path: `/api/meters/${MPAN_A}/tariffs`,
    ok: 400,
    min: "admin",
    body: { tariffId: 999, from: "2026-01-01" },
    template: "/api/meters/:/tariffs",
  },
  {
    method: "GET",
    path: `/api/meters/${MPAN_A}/costs?from=2026-01-01&to=2026-01-31`,
    ok: 200,
    min: "manager",
    template: "/api/meters/:/costs",
  },
  {
    method: "POST",
    path: "/api/analyses/switching",
    ok: 201,
    min: "manager",
    body: { mpan: MPAN_A, from: "2026-01-01", to: "2026-01-31" },
  },
  { method: "GET", path: "/api/analyses/switching", ok: 200, min: "manager" },
  { method: "GET", path: "/api/analyses/switching/999", ok: 404, min: "manager" },
  {
    method: "GET",
    path: "/api/reports/costs?from=2026-01-01&to=2026-01-31&format=csv",
    ok: 200,
    min: "manager",
    template: "/api/reports/costs",
  },
  {
    method: "GET",
    path: "/api/sites/1000/costs?from=2026-01-01&to=2026-01-31",
    ok: 200,
    min: "manager",
    template: "/api/sites/:/costs",
  },
];

const cookies = {} as Record<Role, string>;

// The carbon refresh polls the Carbon Intensity API, at most once a minute per deployment: tests never
// touch the network, so an empty feed answers, and each role's call is the first of its minute.
beforeAll(() => vi.stubGlobal("fetch", async () => Response.json({ data: [] })));
beforeEach(async () => {
  await env.DB.prepare("UPDATE carbon_feed SET last_refresh_at = NULL").run();
});

beforeAll(async () => {
  await seedEstate();
  cookies.viewer = await login("viewer@example.com");
  cookies.manager = await login("manager@example.com");
  cookies.admin = await login("admin@example.com");
});

describe.each(ROUTES)("$method $path (min $min)", ({ method, path, min, ok, body }) => {
  it("answers 401 without credentials", async () => {
    const res = await call(method, path, body);
    expect(res.status).toBe(401);
    expect((await res.json()) as unknown).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it.each(ROLES)("as %s", async (role) => {
    // logout would end the shared session: use a fresh one for it.
    const cookie = path === "/api/auth/logout" ? await login(`${role}@example.com`) : cookies[role];
    const res = await call(method, path, body, { cookie });
    if (!roleAtLeast(role, min)) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    } else {
      expect(res.status).toBe(ok);
    }
  });
});

it("every documented route is in the matrix", async () => {
  const doc = (await (await call("GET", "/api/openapi.json")).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{[^}]+\}/g, ":")}`),
  );
  const public_ = ["POST /api/auth/login", "GET /api/health", "POST /api/webhooks/imports/:"];
  // Every documented route but the public ones, plus the undocumented WebSocket route.
  expect(documented.length).toBe(ROUTES.length - 1 + public_.length);
  const covered = ROUTES.map(
    (r) => `${r.method} ${r.template ?? r.path.replace(/\/(\d+|[0-9]{13})(?=\/|$)/g, "/:")}`,
  );
  for (const route of documented) {
    if (public_.includes(route)) continue;
    expect(covered, `${route} is missing from the role matrix`).toContain(route);
  }
});
