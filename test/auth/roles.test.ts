// The role matrix: every API route × every role, plus no credentials at all.
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, roleAtLeast, type Role } from "../../src/enums";
import { call, login, MPAN_A, seedEstate } from "../helpers";

/** `template` is the documented path when the sample path's ids are not numeric. */
type RouteCase = { method: string; path: string; min: Role; body?: unknown; template?: string };

// Bodies are valid where the role allows, so an allowed call never answers 401/403.
const ROUTES: RouteCase[] = [
  { method: "POST", path: "/api/auth/logout", min: "viewer" },
  { method: "GET", path: "/api/auth/me", min: "viewer" },
  { method: "GET", path: "/api/companies", min: "viewer" },
  { method: "POST", path: "/api/companies", min: "admin", body: { name: "New Co" } },
  { method: "DELETE", path: "/api/companies/999", min: "admin" },
  { method: "GET", path: "/api/regions", min: "viewer" },
  { method: "POST", path: "/api/regions", min: "admin", body: { name: "South", companyId: 10 } },
  { method: "GET", path: "/api/sites", min: "viewer" },
  { method: "POST", path: "/api/sites", min: "admin", body: { name: "Matrix Site" } },
  { method: "POST", path: "/api/sites/import", min: "admin", body: "name\nImported Site\n" },
  { method: "GET", path: "/api/sites/1000", min: "viewer" },
  { method: "PATCH", path: "/api/sites/1000", min: "admin", body: { address: "1 Street" } },
  { method: "DELETE", path: "/api/sites/999", min: "admin" },
  { method: "GET", path: "/api/meters", min: "viewer" },
  {
    method: "POST",
    path: "/api/meters",
    min: "admin",
    body: { mpan: "2200012767323", siteId: 1000, fuel: "electricity" },
  },
  { method: "GET", path: `/api/meters/${MPAN_A}`, min: "viewer" },
  { method: "PATCH", path: `/api/meters/${MPAN_A}`, min: "admin", body: { name: "Renamed" } },
  { method: "DELETE", path: "/api/meters/2000006183919", min: "admin" },
  { method: "GET", path: "/api/suppliers", min: "viewer" },
  { method: "POST", path: "/api/suppliers", min: "admin", body: { name: "Matrix Power" } },
  { method: "PATCH", path: "/api/suppliers/999", min: "admin", body: { name: "X" } },
  { method: "DELETE", path: "/api/suppliers/999", min: "admin" },
  { method: "GET", path: "/api/users", min: "admin" },
  {
    method: "POST",
    path: "/api/users",
    min: "admin",
    body: { email: "new@example.com", password: "long enough", role: "viewer" },
  },
  { method: "PATCH", path: "/api/users/5", min: "admin", body: { name: "Renamed" } },
  { method: "DELETE", path: "/api/users/999", min: "admin" },
  { method: "POST", path: "/api/users/5/grants", min: "admin", body: { siteId: 1000 } },
  { method: "DELETE", path: "/api/users/5/grants/999", min: "admin" },
  { method: "GET", path: "/api/tokens", min: "admin" },
  { method: "POST", path: "/api/tokens", min: "admin", body: { name: "matrix", role: "viewer" } },
  { method: "DELETE", path: "/api/tokens/999", min: "admin" },
  { method: "GET", path: "/api/audit", min: "admin" },
  {
    method: "GET",
    path: `/api/meters/${MPAN_A}/readings?from=2026-01-01&to=2026-01-02`,
    min: "viewer",
    template: "/api/meters/:/readings",
  },
  { method: "POST", path: "/api/import/jobs", min: "admin", body: { uploadId: "upl_none" } },
  { method: "GET", path: "/api/import/jobs", min: "admin" },
  { method: "GET", path: "/api/import/jobs/imp_none", min: "admin", template: "/api/import/jobs/:" },
  {
    method: "GET",
    path: "/api/import/jobs/imp_none/errors.csv",
    min: "admin",
    template: "/api/import/jobs/:/errors.csv",
  },
  {
    method: "POST",
    path: "/api/import/jobs/imp_none/cancel",
    min: "admin",
    template: "/api/import/jobs/:/cancel",
  },
  {
    method: "POST",
    path: "/api/import/jobs/imp_none/retry",
    min: "admin",
    template: "/api/import/jobs/:/retry",
  },
  {
    method: "GET",
    path: "/api/import/jobs/imp_none/live",
    min: "admin",
    template: "(WebSocket, undocumented)",
  },
  { method: "GET", path: "/api/import/status", min: "admin" },
  { method: "POST", path: "/api/uploads", min: "admin", body: { fileName: "a.csv", size: 10 } },
  {
    method: "PUT",
    path: "/api/uploads/upl_none/parts/1",
    min: "admin",
    body: "abc",
    template: "/api/uploads/:/parts/:",
  },
  {
    method: "POST",
    path: "/api/uploads/upl_none/complete",
    min: "admin",
    template: "/api/uploads/:/complete",
  },
  { method: "GET", path: "/api/webhook-sources", min: "admin" },
  { method: "POST", path: "/api/webhook-sources", min: "admin", body: { name: "Matrix portal" } },
  { method: "DELETE", path: "/api/webhook-sources/999", min: "admin" },
];

const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  await seedEstate();
  cookies.viewer = await login("viewer@example.com");
  cookies.manager = await login("manager@example.com");
  cookies.admin = await login("admin@example.com");
});

describe.each(ROUTES)("$method $path (min $min)", ({ method, path, min, body }) => {
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
      expect([401, 403]).not.toContain(res.status);
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
