// A company-scoped admin token walked over every route of the OpenAPI document: it sees and changes only
// its own company (Acme, 10) and is refused (403) what is global by nature. Every documented route must
// have a row here, and every operation must declare its scope rule (`x-scope`), so a new route fails this
// file until someone decides what a scoped principal may do with it.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { call, json, login, MPAN_A, MPAN_B, MPAN_C, ORIGIN, seedEstate } from "../helpers";
import { settle } from "../imports/support";

let adminCookie: string;
let token: string;
/** A job the unscoped admin made, which the scoped token must not see. */
let adminJob: string;
/** An upload the unscoped admin began. */
let adminUpload: string;
let ownJob: string;

const asToken = (method: string, path: string, body?: unknown) => call(method, path, body, { token });

function csvForm(csv: string, field = "file") {
  const form = new FormData();
  form.append(field, new File([csv], "readings.csv", { type: "text/csv" }));
  return form;
}

const namesOf = async (res: Response) =>
  ((await json(res)).data as { name?: string; mpan?: string }[]).map((r) => r.name ?? r.mpan);

beforeAll(async () => {
  // The carbon refresh polls the Carbon Intensity API: an empty stand-in answers (no network in tests).
  vi.stubGlobal("fetch", async () => Response.json({ data: [] }));
  await seedEstate();
  adminCookie = await login("admin@example.com");
  const created = await json(
    await call(
      "POST",
      "/api/tokens",
      { name: "acme feed", role: "admin", companyId: 10 },
      { cookie: adminCookie },
    ),
  );
  token = created.token;
  const res = await call(
    "POST",
    "/api/import/jobs",
    csvForm(`mpan,timestamp,kwh\n${MPAN_C},2026-01-05T00:00Z,1\n`),
    {
      cookie: adminCookie,
    },
  );
  adminJob = (await json(res)).batchId;
  await settle(adminCookie, adminJob);
  adminUpload = (
    await json(
      await call("POST", "/api/uploads", { fileName: "big.csv", size: 100 }, { cookie: adminCookie }),
    )
  ).uploadId;
});

type Case = {
  path: string;
  status: number;
  body?: unknown;
  /** Further checks on the answer (bodies of filtered lists, what was written). */
  check?: (res: Response) => Promise<void>;
};

/**
 * The expected answer of every documented operation for the Acme-scoped admin token. Keys are
 * "METHOD /template" as in the OpenAPI document; several cases per route try inside and outside the scope.
 */
const WALK: Record<string, Case[]> = {
  "POST /api/auth/logout": [{ path: "/api/auth/logout", status: 400 }],
  "GET /api/auth/locks": [{ path: "/api/auth/locks", status: 403 }],
  "DELETE /api/auth/locks/{key}": [
    { path: "/api/auth/locks/pair%3A192.0.2.1%7Cx%40example.com", status: 403 },
  ],
  "GET /api/auth/me": [{ path: "/api/auth/me", status: 200 }],
  "GET /api/companies": [
    {
      path: "/api/companies",
      status: 200,
      check: async (r) => expect(await namesOf(r)).toEqual(["Acme Estates"]),
    },
  ],
  "POST /api/companies": [{ path: "/api/companies", status: 403, body: { name: "Scoped Co" } }],
  "DELETE /api/companies/{id}": [{ path: "/api/companies/20", status: 403 }],
  "GET /api/regions": [
    { path: "/api/regions", status: 200, check: async (r) => expect(await namesOf(r)).toEqual(["North"]) },
  ],
  "POST /api/regions": [
    { path: "/api/regions", status: 404, body: { name: "Bravo East", companyId: 20 } },
    { path: "/api/regions", status: 201, body: { name: "Acme East", companyId: 10 } },
  ],
  "GET /api/sites": [
    {
      path: "/api/sites",
      status: 200,
      check: async (r) => expect(await namesOf(r)).toEqual(["Acme Depot", "Acme North Office"]),
    },
    {
      path: "/api/sites?companyId=20",
      status: 200,
      check: async (r) => expect(await namesOf(r)).toEqual([]),
    },
  ],
  "POST /api/sites": [
    { path: "/api/sites", status: 400, body: { name: "In Bravo", companyId: 20 } },
    {
      path: "/api/sites",
      status: 201,
      body: { name: "Acme Annex" },
      check: async (r) => expect((await json(r)).companyId).toBe(10),
    },
  ],
  "POST /api/sites/import": [
    {
      path: "/api/sites/import",
      status: 200,
      body: "name,company\nBravo Shed,Bravo Holdings\nNew Co Site,Brand New Co\nAcme Yard,Acme Estates\nAcme Store,\n",
      check: async (r) =>
        expect(await json(r)).toEqual({
          sitesCreated: 2,
          metersCreated: 0,
          companiesCreated: 0,
          suppliersCreated: 0,
          errors: [
            {
              line: 2,
              field: "company",
              message: 'company "Bravo Holdings" does not exist or is outside your scope',
            },
            {
              line: 3,
              field: "company",
              message: 'company "Brand New Co" does not exist or is outside your scope',
            },
          ],
        }),
    },
  ],
  "GET /api/sites/{id}": [
    { path: "/api/sites/2000", status: 404 },
    { path: "/api/sites/1000", status: 200 },
  ],
  "PATCH /api/sites/{id}": [
    { path: "/api/sites/2000", status: 404, body: { address: "x" } },
    { path: "/api/sites/1000", status: 400, body: { companyId: 20 } },
    { path: "/api/sites/1000", status: 200, body: { address: "1 Acme Road" } },
  ],
  "DELETE /api/sites/{id}": [{ path: "/api/sites/2000", status: 404 }],
  "GET /api/meters": [
    {
      path: "/api/meters",
      status: 200,
      check: async (r) => expect(await namesOf(r)).toEqual([MPAN_B, MPAN_A]),
    },
  ],
  "POST /api/meters": [
    { path: "/api/meters", status: 400, body: { mpan: "2200012767323", siteId: 2000, fuel: "electricity" } },
    { path: "/api/meters", status: 201, body: { mpan: "2200012767323", siteId: 1000, fuel: "electricity" } },
  ],
  "GET /api/meters/{mpan}": [
    { path: `/api/meters/${MPAN_C}`, status: 404 },
    { path: `/api/meters/${MPAN_A}`, status: 200 },
  ],
  "PATCH /api/meters/{mpan}": [
    { path: `/api/meters/${MPAN_C}`, status: 404, body: { name: "x" } },
    { path: `/api/meters/${MPAN_A}`, status: 400, body: { siteId: 2000 } },
  ],
  "DELETE /api/meters/{mpan}": [{ path: `/api/meters/${MPAN_C}`, status: 404 }],
  "GET /api/meters/{mpan}/readings": [
    { path: `/api/meters/${MPAN_C}/readings?from=2026-01-05&to=2026-01-05`, status: 404 },
    { path: `/api/meters/${MPAN_A}/readings?from=2026-01-05&to=2026-01-05`, status: 200 },
  ],
  "GET /api/suppliers": [{ path: "/api/suppliers", status: 200 }],
  "POST /api/suppliers": [{ path: "/api/suppliers", status: 403, body: { name: "Scoped Power" } }],
  "PATCH /api/suppliers/{id}": [{ path: "/api/suppliers/1", status: 403, body: { name: "x" } }],
  "DELETE /api/suppliers/{id}": [{ path: "/api/suppliers/1", status: 403 }],
  "GET /api/users": [{ path: "/api/users", status: 403 }],
  "POST /api/users": [
    {
      path: "/api/users",
      status: 403,
      body: { email: "x@example.com", password: "long enough", role: "admin" },
    },
  ],
  "PATCH /api/users/{id}": [{ path: "/api/users/5", status: 403, body: { role: "admin" } }],
  "DELETE /api/users/{id}": [{ path: "/api/users/5", status: 403 }],
  "POST /api/users/{id}/grants": [{ path: "/api/users/5/grants", status: 403, body: { companyId: 20 } }],
  "DELETE /api/users/{id}/grants/{grantId}": [{ path: "/api/users/2/grants/1", status: 403 }],
  "GET /api/tokens": [{ path: "/api/tokens", status: 403 }],
  "POST /api/tokens": [{ path: "/api/tokens", status: 403, body: { name: "wider", role: "admin" } }],
  "DELETE /api/tokens/{id}": [{ path: "/api/tokens/1", status: 403 }],
  "GET /api/audit": [{ path: "/api/audit", status: 403 }],
  "POST /api/import/jobs": [
    {
      path: "/api/import/jobs",
      status: 202,
      body: csvForm(`mpan,timestamp,kwh\n${MPAN_C},2026-01-06T00:00Z,5\n${MPAN_A},2026-01-06T00:00Z,2\n`),
      check: async (r) => {
        ownJob = (await json(r)).batchId;
        const job = await settleAsToken(ownJob);
        expect(job.status).toBe("completed_with_errors");
        expect(job.rowsImported).toBe(1);
        expect(job.errors).toEqual([
          {
            line: 2,
            message: `meter ${MPAN_C} is not registered (add it, or import with autoCreateMeters)`,
          },
        ]);
        // Bravo's meter got nothing, seen by the unscoped admin.
        const bravo = await call(
          "GET",
          `/api/meters/${MPAN_C}/readings?from=2026-01-06&to=2026-01-06&granularity=day`,
          undefined,
          {
            cookie: adminCookie,
          },
        );
        expect((await json(bravo)).data).toEqual([]);
      },
    },
    {
      // Another scope's upload is as unknown as a made-up id.
      path: "/api/import/jobs",
      status: 400,
      body: { uploadId: "placeholder-admin-upload" },
      check: async (r) =>
        expect((await json(r)).error.message).toBe(`uploadId: upload ${adminUpload} not found`),
    },
  ],
  "GET /api/import/jobs": [
    {
      path: "/api/import/jobs",
      status: 200,
      check: async (r) => {
        const body = await json(r);
        expect(body.total).toBe(1);
        expect(body.data.map((j: { batchId: string }) => j.batchId)).toEqual([ownJob]);
      },
    },
  ],
  "GET /api/import/jobs/{batchId}": [
    { path: "/api/import/jobs/ADMIN_JOB", status: 404 },
    { path: "/api/import/jobs/OWN_JOB", status: 200 },
  ],
  "GET /api/import/jobs/{batchId}/errors.csv": [
    { path: "/api/import/jobs/ADMIN_JOB/errors.csv", status: 404 },
    { path: "/api/import/jobs/OWN_JOB/errors.csv", status: 200 },
  ],
  "POST /api/import/jobs/{batchId}/cancel": [{ path: "/api/import/jobs/ADMIN_JOB/cancel", status: 404 }],
  "POST /api/import/jobs/{batchId}/retry": [{ path: "/api/import/jobs/ADMIN_JOB/retry", status: 404 }],
  "POST /api/import/jobs/{batchId}/rerun": [
    { path: "/api/import/jobs/ADMIN_JOB/rerun", status: 404, body: { unit: "Wh" } },
  ],
  "POST /api/import/preview": [
    {
      // Another scope's upload is as unknown as a made-up id, for a preview too.
      path: "/api/import/preview",
      status: 400,
      body: { uploadId: "placeholder-admin-upload" },
      check: async (r) =>
        expect((await json(r)).error.message).toBe(`uploadId: upload ${adminUpload} not found`),
    },
  ],
  "GET /api/import/status": [
    {
      path: "/api/import/status",
      status: 200,
      check: async (r) => {
        const counts = (await json(r)).counts as Record<string, number>;
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
        expect(counts.completed_with_errors).toBe(1);
      },
    },
  ],
  "POST /api/uploads": [{ path: "/api/uploads", status: 201, body: { fileName: "mine.csv", size: 10 } }],
  "PUT /api/uploads/{id}/parts/{n}": [
    { path: "/api/uploads/ADMIN_UPLOAD/parts/1", status: 404, body: "x".repeat(100) },
  ],
  "POST /api/uploads/{id}/complete": [{ path: "/api/uploads/ADMIN_UPLOAD/complete", status: 404 }],
  "GET /api/webhook-sources": [{ path: "/api/webhook-sources", status: 403 }],
  "POST /api/webhook-sources": [
    { path: "/api/webhook-sources", status: 403, body: { name: "Scoped portal" } },
  ],
  "DELETE /api/webhook-sources/{id}": [{ path: "/api/webhook-sources/1", status: 403 }],
  // Consumption analytics: by now the token's own job has put 2 kWh on MPAN_A (Acme North Office) on 6 Jan.
  "GET /api/meters/{mpan}/summary": [
    { path: `/api/meters/${MPAN_C}/summary?from=2026-01-06&to=2026-01-06`, status: 404 },
    {
      path: `/api/meters/${MPAN_A}/summary?from=2026-01-06&to=2026-01-06`,
      status: 200,
      check: async (r) => expect((await json(r)).kwh).toBe(2),
    },
  ],
  "GET /api/sites/{id}/consumption": [
    { path: "/api/sites/2000/consumption?from=2026-01-06&to=2026-01-06", status: 404 },
    {
      path: "/api/sites/1000/consumption?from=2026-01-06&to=2026-01-06",
      status: 200,
      check: async (r) => expect((await json(r)).fuels.electricity.kwh).toBe(2),
    },
  ],
  "GET /api/portfolio/consumption": [
    {
      path: "/api/portfolio/consumption?from=2026-01-06&to=2026-01-06",
      status: 200,
      check: async (r) => {
        const body = await json(r);
        // Bravo's 1 kWh on MPAN_C (the admin's job, 5 Jan) is outside the range and the scope alike.
        expect(body.fuels.electricity.kwh).toBe(2);
        expect(body.sites.map((s: { name: string }) => s.name)).toEqual([
          "Acme North Office",
          "Acme Annex",
          "Acme Depot",
          "Acme Store",
          "Acme Yard",
        ]);
        expect(body.meters.map((m: { mpan: string }) => m.mpan)).not.toContain(MPAN_C);
      },
    },
  ],
  "GET /api/reports/consumption": [
    {
      path: "/api/reports/consumption?from=2026-01-06&to=2026-01-06",
      status: 200,
      check: async (r) =>
        expect((await json(r)).rows.map((row: { site: string; kwh: number }) => [row.site, row.kwh])).toEqual(
          [
            ["Acme Depot", 0],
            ["Acme North Office", 2],
          ],
        ),
    },
  ],
  "POST /api/aggregates/rebuild": [{ path: "/api/aggregates/rebuild", status: 403 }],
  // Carbon: the feed is shared (nothing stored here, an empty stand-in answers the refresh); a site's region
  // and emissions are filtered like its consumption.
  "GET /api/carbon-intensity": [{ path: "/api/carbon-intensity", status: 404 }],
  "POST /api/carbon-intensity/refresh": [{ path: "/api/carbon-intensity/refresh", status: 200 }],
  "GET /api/carbon-intensity/history": [{ path: "/api/carbon-intensity/history?days=30", status: 200 }],
  "GET /api/carbon-intensity/regional": [{ path: "/api/carbon-intensity/regional?region=13", status: 200 }],
  "GET /api/carbon-intensity/generation": [{ path: "/api/carbon-intensity/generation", status: 200 }],
  "GET /api/carbon-intensity/best-times": [
    { path: "/api/carbon-intensity/best-times?hours=1&siteId=2000", status: 404 },
    { path: "/api/carbon-intensity/best-times?hours=1&siteId=1000", status: 200 },
  ],
  "GET /api/sites/{id}/grid-region": [
    { path: "/api/sites/2000/grid-region", status: 404 },
    { path: "/api/sites/1000/grid-region", status: 200 },
  ],
  "PUT /api/sites/{id}/grid-region": [
    { path: "/api/sites/2000/grid-region", status: 404, body: { regionId: 12 } },
    { path: "/api/sites/1000/grid-region", status: 200, body: { regionId: 12 } },
  ],
  "GET /api/meters/{mpan}/emissions": [
    { path: `/api/meters/${MPAN_C}/emissions?from=2026-01-06&to=2026-01-06`, status: 404 },
    {
      path: `/api/meters/${MPAN_A}/emissions?from=2026-01-06&to=2026-01-06`,
      status: 200,
      check: async (r) => expect((await json(r)).total.kwh).toBe(2),
    },
  ],
  "GET /api/sites/{id}/emissions": [
    { path: "/api/sites/2000/emissions?from=2026-01-06&to=2026-01-06", status: 404 },
    { path: "/api/sites/1000/emissions?from=2026-01-06&to=2026-01-06", status: 200 },
  ],
  "GET /api/portfolio/emissions": [
    {
      path: "/api/portfolio/emissions?from=2026-01-05&to=2026-01-06",
      status: 200,
      // Bravo's 1 kWh on MPAN_C (5 Jan) is outside the scope.
      check: async (r) => expect((await json(r)).fuels.electricity.total.kwh).toBe(2),
    },
  ],
  // Data quality, alarms, notifications, scheduler (issue 15): runs over everything are global.
  "POST /api/quality/run": [{ path: "/api/quality/run", status: 403, body: {} }],
  "GET /api/quality/issues": [
    {
      path: "/api/quality/issues",
      status: 200,
      check: async (r) =>
        expect((await json(r)).data.map((i: { mpan: string }) => i.mpan)).not.toContain(MPAN_C),
    },
  ],
  "GET /api/quality/counts": [
    {
      path: `/api/quality/counts?mpan=${MPAN_C}`,
      status: 200,
      check: async (r) => expect((await json(r)).total).toBe(0),
    },
  ],
  "PATCH /api/quality/issues/{id}": [
    { path: "/api/quality/issues/999", status: 404, body: { status: "resolved" } },
  ],
  "PATCH /api/quality/meters/{mpan}": [
    { path: `/api/quality/meters/${MPAN_C}`, status: 404, body: { zeroRun: false } },
    { path: `/api/quality/meters/${MPAN_A}`, status: 200, body: { zeroRun: true } },
  ],
  "GET /api/scheduler/executions": [{ path: "/api/scheduler/executions", status: 403 }],
  "GET /api/alarms": [{ path: "/api/alarms", status: 200 }],
  "POST /api/alarms": [
    {
      path: "/api/alarms",
      status: 400,
      body: {
        name: "Scoped alarm",
        mpan: MPAN_C,
        metric: "kwh",
        period: "day",
        operator: "gt",
        threshold: 1,
      },
    },
    {
      path: "/api/alarms",
      status: 201,
      body: {
        name: "Scoped alarm",
        mpan: MPAN_A,
        metric: "kwh",
        period: "day",
        operator: "gt",
        threshold: 1,
      },
    },
  ],
  "POST /api/alarms/preview": [
    {
      path: "/api/alarms/preview",
      status: 400,
      body: {
        name: "Scoped alarm",
        mpan: MPAN_C,
        metric: "kwh",
        period: "day",
        operator: "gt",
        threshold: 1,
      },
    },
    {
      path: "/api/alarms/preview",
      status: 200,
      body: {
        name: "Scoped alarm",
        mpan: MPAN_A,
        metric: "kwh",
        period: "day",
        operator: "gt",
        threshold: 1,
      },
    },
  ],
  "GET /api/alarms/{id}": [{ path: "/api/alarms/999", status: 404 }],
  "PATCH /api/alarms/{id}": [{ path: "/api/alarms/999", status: 404, body: { name: "x" } }],
  "DELETE /api/alarms/{id}": [{ path: "/api/alarms/999", status: 404 }],
  "GET /api/alarms/{id}/triggers": [{ path: "/api/alarms/999/triggers", status: 404 }],
  "GET /api/notifications": [{ path: "/api/notifications", status: 200 }],
  "POST /api/notifications/read": [{ path: "/api/notifications/read", status: 200, body: { ids: "all" } }],
  // Tariffs are global configuration: read by all (shared), written only unscoped (global), because one
  // tariff prices meters of many companies. Assignments, costs and analyses follow the meter's site.
  "GET /api/tariffs": [{ path: "/api/tariffs", status: 200 }],
  "POST /api/tariffs": [
    {
      path: "/api/tariffs",
      status: 403,
      body: {
        name: "Scoped Flat",
        fuel: "electricity",
        type: "flat",
        validFrom: "2026-01-01",
        standingChargePence: 1,
        vatRate: 0.2,
        ccl: false,
        unitRatePence: 1,
      },
    },
  ],
  "GET /api/tariffs/{id}": [{ path: "/api/tariffs/999", status: 404 }],
  "PATCH /api/tariffs/{id}": [{ path: "/api/tariffs/999", status: 403, body: { name: "x" } }],
  "DELETE /api/tariffs/{id}": [{ path: "/api/tariffs/999", status: 403 }],
  "POST /api/tariffs/{id}/prices": [{ path: "/api/tariffs/999/prices", status: 403, body: "valid_from\n" }],
  "GET /api/tariffs/{id}/prices": [
    { path: "/api/tariffs/999/prices?from=2026-01-01&to=2026-01-01", status: 404 },
  ],
  "GET /api/meters/{mpan}/tariffs": [
    { path: `/api/meters/${MPAN_C}/tariffs`, status: 404 },
    { path: `/api/meters/${MPAN_A}/tariffs`, status: 200 },
  ],
  "POST /api/meters/{mpan}/tariffs": [
    { path: `/api/meters/${MPAN_C}/tariffs`, status: 404, body: { tariffId: 999, from: "2026-01-01" } },
    { path: `/api/meters/${MPAN_A}/tariffs`, status: 400, body: { tariffId: 999, from: "2026-01-01" } },
  ],
  "GET /api/meters/{mpan}/costs": [
    { path: `/api/meters/${MPAN_C}/costs?from=2026-01-06&to=2026-01-06`, status: 404 },
    { path: `/api/meters/${MPAN_A}/costs?from=2026-01-06&to=2026-01-06`, status: 200 },
  ],
  "POST /api/analyses/switching": [
    { path: "/api/analyses/switching", status: 404, body: { mpan: MPAN_C } },
    { path: "/api/analyses/switching", status: 404, body: { siteId: 2000 } },
    { path: "/api/analyses/switching", status: 201, body: { mpan: MPAN_A } },
  ],
  "GET /api/analyses/switching": [
    {
      path: "/api/analyses/switching",
      status: 200,
      check: async (r) => expect((await json(r)).data.map((a: { mpan: string }) => a.mpan)).toEqual([MPAN_A]),
    },
  ],
  "GET /api/analyses/switching/{id}": [{ path: "/api/analyses/switching/999", status: 404 }],
  "GET /api/reports/costs": [
    {
      path: "/api/reports/costs?from=2026-01-06&to=2026-01-06",
      status: 200,
      check: async (r) =>
        expect((await json(r)).sites.map((s: { name: string }) => s.name)).not.toContain("Bravo Tower"),
    },
  ],
  "GET /api/sites/{id}/costs": [
    { path: "/api/sites/2000/costs?from=2026-01-06&to=2026-01-06", status: 404 },
    { path: "/api/sites/1000/costs?from=2026-01-06&to=2026-01-06", status: 200 },
  ],
};
const PUBLIC = ["POST /api/auth/login", "GET /api/health", "POST /api/webhooks/imports/{sourceId}"];

async function settleAsToken(batchId: string) {
  for (let i = 0; i < 400; i++) {
    const job = await json(await asToken("GET", `/api/import/jobs/${batchId}`));
    if (!["queued", "processing"].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${batchId} did not settle`);
}

const fill = (path: string) =>
  path.replace("ADMIN_JOB", adminJob).replace("OWN_JOB", ownJob).replace("ADMIN_UPLOAD", adminUpload);

describe("every documented route, as an admin token scoped to one company", () => {
  it("has a scope rule and a row in the walk", async () => {
    const doc = await json(await call("GET", "/api/openapi.json"));
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { "x-scope"?: string }>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    for (const { key, op } of operations) {
      expect(op["x-scope"], `${key} declares no scope rule`).toMatch(/^(filtered|own|shared|global|public)$/);
      if (PUBLIC.includes(key)) expect(op["x-scope"]).toBe("public");
      else expect(Object.keys(WALK), `${key} is missing from the scoped walk`).toContain(key);
    }
    expect(operations.length).toBe(Object.keys(WALK).length + PUBLIC.length);
  });

  // Run in order: later rows read what earlier ones wrote (the token's own job).
  for (const [route, cases] of Object.entries(WALK)) {
    it.each(cases.map((c, i) => ({ ...c, i })))(
      `${route} #$i → $status`,
      async ({ path, status, body, check }) => {
        const resolvedBody =
          body && typeof body === "object" && "uploadId" in body ? { uploadId: adminUpload } : body;
        const res = await asToken(route.split(" ")[0], fill(path), resolvedBody);
        expect(res.status, await res.clone().text()).toBe(status);
        if (status >= 400)
          expect(await res.clone().json()).toMatchObject({ error: { code: expect.any(String) } });
        if (check) await check(res);
      },
    );
  }

  it("cannot watch another scope's job live", async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/import/jobs/${adminJob}/live`, {
      headers: { Authorization: `Bearer ${token}`, Upgrade: "websocket" },
    });
    expect(res.status).toBe(404);
  });

  it("left company B untouched", async () => {
    const bravo = await json(
      await call("GET", "/api/sites?companyId=20", undefined, { cookie: adminCookie }),
    );
    expect(bravo.data.map((s: { name: string }) => s.name)).toEqual(["Bravo Tower"]);
    const regions = await json(
      await call("GET", "/api/regions?companyId=20", undefined, { cookie: adminCookie }),
    );
    expect(regions.data).toEqual([]);
  });
});

describe("a token acts with at most its creator's current role and scope", () => {
  let opsCookie: string;
  let opsId: number;
  let opsToken: string;
  let opsTokenId: number;

  beforeAll(async () => {
    const created = await json(
      await call(
        "POST",
        "/api/users",
        { email: "ops@example.com", password: "long enough", role: "admin" },
        { cookie: adminCookie },
      ),
    );
    opsId = created.id;
    opsCookie = await login("ops@example.com", "long enough");
    const t = await json(
      await call("POST", "/api/tokens", { name: "ops robot", role: "admin" }, { cookie: opsCookie }),
    );
    opsToken = t.token;
    opsTokenId = t.id;
  });

  const asOps = (method: string, path: string, body?: unknown) =>
    call(method, path, body, { token: opsToken });

  it("works as an admin while its creator is one", async () => {
    expect(await namesOf(await asOps("GET", "/api/sites"))).toEqual([
      // The scoped walk above added three Acme sites.
      "Acme Annex",
      "Acme Depot",
      "Acme North Office",
      "Acme Store",
      "Acme Yard",
      "Bravo Tower",
    ]);
    expect((await asOps("GET", "/api/users")).status).toBe(200);
  });

  it("drops to the creator's role and grants when the creator is demoted", async () => {
    expect(
      (await call("PATCH", `/api/users/${opsId}`, { role: "manager" }, { cookie: adminCookie })).status,
    ).toBe(200);
    expect(
      (await call("POST", `/api/users/${opsId}/grants`, { companyId: 20 }, { cookie: adminCookie })).status,
    ).toBe(201);
    expect(await namesOf(await asOps("GET", "/api/sites"))).toEqual(["Bravo Tower"]);
    const write = await asOps("POST", "/api/sites", { name: "Not allowed" });
    expect(write.status).toBe(403);
    expect((await json(write)).error.code).toBe("forbidden");
    expect((await asOps("GET", `/api/meters/${MPAN_A}`)).status).toBe(404);
    const list = await json(await call("GET", "/api/tokens", undefined, { cookie: adminCookie }));
    expect(list.data.find((t: { id: number }) => t.id === opsTokenId)).toMatchObject({
      role: "admin",
      actsAs: "manager",
      createdBy: { id: opsId, email: "ops@example.com", role: "manager", active: true },
    });
  });

  it("stops at once when the creator is deactivated, and again works when reactivated", async () => {
    expect(
      (await call("PATCH", `/api/users/${opsId}`, { active: false }, { cookie: adminCookie })).status,
    ).toBe(200);
    const res = await asOps("GET", "/api/auth/me");
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe("invalid_token");
    const list = await json(await call("GET", "/api/tokens", undefined, { cookie: adminCookie }));
    expect(list.data.find((t: { id: number }) => t.id === opsTokenId).actsAs).toBeNull();
    expect(
      (await call("PATCH", `/api/users/${opsId}`, { active: true }, { cookie: adminCookie })).status,
    ).toBe(200);
    expect((await asOps("GET", "/api/auth/me")).status).toBe(200);
  });

  it("stops for good when the creator is deleted", async () => {
    expect((await call("DELETE", `/api/users/${opsId}`, undefined, { cookie: adminCookie })).status).toBe(
      204,
    );
    expect((await asOps("GET", "/api/auth/me")).status).toBe(401);
    const list = await json(await call("GET", "/api/tokens", undefined, { cookie: adminCookie }));
    expect(list.data.find((t: { id: number }) => t.id === opsTokenId)).toMatchObject({
      createdBy: null,
      actsAs: null,
    });
  });

  it("an unscoped admin token cannot mint tokens either: credentials come from people", async () => {
    const full = await json(
      await call("POST", "/api/tokens", { name: "full", role: "admin" }, { cookie: adminCookie }),
    );
    const res = await call("POST", "/api/tokens", { name: "child", role: "viewer" }, { token: full.token });
    expect(res.status).toBe(403);
  });
});
