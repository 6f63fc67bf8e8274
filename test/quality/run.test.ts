// Quality checks end to end: after an import completes, on demand (idempotent), and resolving what a
// later import fixes; the issues API with its roles and scope. Files are built by hand (support.ts):
// 1 + (p mod 5) kWh per period, so no run or outlier rule fires unless a test says so.
import { beforeAll, describe, expect, it } from "vitest";
import { daysBetween, settlementPeriodAt } from "../../src/time/settlement";
import { dailyFile, wideFile } from "../analytics/support";
import { call, json, login, MPAN_A, MPAN_C, seedEstate } from "../helpers";
import { importCsv } from "../imports/support";

const varied = () => Array.from({ length: 48 }, (_, i): number | null => 1 + (i % 5));
const withGap = () => {
  const v = varied();
  v[2] = null; // 01:00–01:30
  v[3] = null; // 01:30–02:00
  return v;
};
const today = settlementPeriodAt(Date.now()).date;

let admin: string;
let manager: string;
let viewer: string;

type Issue = {
  id: number;
  type: string;
  from: string;
  to: string;
  status: string;
  note: string | null;
  detail: string;
};
const issuesOf = async (cookie: string, query: string) =>
  json<{ data: Issue[]; total: number }>(
    await call("GET", `/api/quality/issues?${query}`, undefined, { cookie }),
  );
const brief = (i: Issue) => [i.type, i.from, i.to, i.status];

beforeAll(async () => {
  await seedEstate();
  [admin, manager, viewer] = await Promise.all(
    ["admin@example.com", "manager@example.com", "viewer@example.com"].map((e) => login(e)),
  );
  // 13–15 Jan clean; 16 Jan has no row; 17 Jan misses periods 3 and 4. MPAN_C (company B): one day.
  const job = await importCsv(
    admin,
    wideFile([
      [MPAN_A, "2025-01-13", varied()],
      [MPAN_A, "2025-01-14", varied()],
      [MPAN_A, "2025-01-15", varied()],
      [MPAN_A, "2025-01-17", withGap()],
      [MPAN_C, "2025-01-13", withGap()],
    ]),
  );
  expect(job.status).toBe("completed");
  // The checks run after the job completes, and the job says when they finished.
  expect(job.checkedAt! >= job.finishedAt!).toBe(true);
});

describe("after an import completes", () => {
  it("has checked the days it changed: a missing day, missing half-hours, and the meter is stale", async () => {
    const { data, total } = await issuesOf(admin, `mpan=${MPAN_A}`);
    expect(total).toBe(3);
    const stale = daysBetween("2025-01-17", today);
    expect(data.map((i) => [i.type, i.from, i.to, i.detail]).sort()).toEqual(
      [
        ["missing_days", "2025-01-16", "2025-01-16", "no reading on 2025-01-16"],
        [
          "missing_periods",
          "2025-01-17",
          "2025-01-17",
          "46 of 48 half-hours present; 2 missing between 01:00 and 02:00",
        ],
        ["stale", "2025-01-18", today, `no reading for ${stale} days: the last is for 2025-01-17`],
      ].sort(),
    );
    const missing = data.find((i) => i.type === "missing_periods")!;
    expect(missing).toMatchObject({
      periods: [3, 4],
      severity: "info",
      status: "open",
      note: null,
      siteId: 1000,
    });
  });

  it("records the run as a data-quality execution triggered by the import", async () => {
    const res = await call("GET", "/api/scheduler/executions?job=data-quality", undefined, { cookie: admin });
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data[0]).toMatchObject({
      job: "data-quality",
      status: "ok",
      items: 2,
      rowsWritten: 5,
      error: null,
    });
    expect(data[0].trigger).toMatch(/^import:/);
  });
});

describe("the bell", () => {
  it("tells everyone who may see the meter about an issue that became critical, once", async () => {
    // Stale for well over 14 days is critical; the re-run below and the idempotence test add nothing.
    const titles = async (cookie: string) =>
      (await json(await call("GET", "/api/notifications", undefined, { cookie }))).data.map(
        (n: { title: string }) => n.title,
      );
    expect(await titles(viewer)).toEqual([`Critical data-quality issue on ${MPAN_A}`]);
    expect(await titles(manager)).toEqual([`Critical data-quality issue on ${MPAN_A}`]);
    // Admins see every meter: MPAN_C's (company B) too.
    expect((await titles(admin)).sort()).toEqual(
      [`Critical data-quality issue on ${MPAN_A}`, `Critical data-quality issue on ${MPAN_C}`].sort(),
    );
  });
});

describe("POST /api/quality/run", () => {
  it("is idempotent: running again changes nothing", async () => {
    const res = await call("POST", "/api/quality/run", {}, { cookie: admin });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({
      executionId: expect.any(Number),
      issuesOpened: 0,
      issuesUpdated: 0,
      issuesResolved: 0,
    });
    expect((await issuesOf(admin, `mpan=${MPAN_A}`)).total).toBe(3);
    const runs = await json(
      await call("GET", "/api/scheduler/executions?job=data-quality", undefined, { cookie: admin }),
    );
    expect(runs.data[0]).toMatchObject({ id: body.executionId, trigger: "user:1", status: "ok", items: 2 });
  });

  it("answers 400 naming the field for a bad date or an unknown meter, and 403 below admin", async () => {
    const bad = await call("POST", "/api/quality/run", { from: "2025-13-01" }, { cookie: admin });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.field).toBe("from");
    const unknown = await call("POST", "/api/quality/run", { mpan: "2200012767323" }, { cookie: admin });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error.field).toBe("mpan");
    expect((await call("POST", "/api/quality/run", {}, { cookie: manager })).status).toBe(403);
  });
});

describe("PATCH /api/quality/issues/:id", () => {
  it("lets a manager acknowledge an issue in scope with a note", async () => {
    const stale = (await issuesOf(manager, `mpan=${MPAN_A}&type=stale`)).data[0];
    const res = await call(
      "PATCH",
      `/api/quality/issues/${stale.id}`,
      { status: "acknowledged", note: "meter removed for works" },
      { cookie: manager },
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      status: "acknowledged",
      note: "meter removed for works",
      changedBy: "manager@example.com",
    });
    // A re-run keeps it acknowledged.
    await call("POST", "/api/quality/run", {}, { cookie: admin });
    expect((await issuesOf(admin, `mpan=${MPAN_A}&type=stale`)).data[0].status).toBe("acknowledged");
  });

  it("is 403 for a viewer and 404 outside the caller's scope", async () => {
    const theirs = (await issuesOf(admin, `mpan=${MPAN_C}`)).data[0];
    expect(
      (await call("PATCH", `/api/quality/issues/${theirs.id}`, { status: "resolved" }, { cookie: viewer }))
        .status,
    ).toBe(403);
    expect(
      (await call("PATCH", `/api/quality/issues/${theirs.id}`, { status: "resolved" }, { cookie: manager }))
        .status,
    ).toBe(404);
    // The viewer (region A1: site 1000) sees MPAN_A's issues and none of company B's.
    expect(
      (await issuesOf(viewer, "")).data.every((i) => (i as unknown as { mpan: string }).mpan === MPAN_A),
    ).toBe(true);
    expect((await issuesOf(viewer, `mpan=${MPAN_C}`)).total).toBe(0);
  });
});

describe("a later import that fills the gaps", () => {
  it("resolves the missing day and the missing half-hours automatically, with a note", async () => {
    const job = await importCsv(
      admin,
      wideFile([
        [MPAN_A, "2025-01-16", varied()],
        [MPAN_A, "2025-01-17", varied()],
      ]),
    );
    expect(job.status).toBe("completed");
    const resolved = (await issuesOf(admin, `mpan=${MPAN_A}&status=resolved`)).data;
    expect(resolved.map((i) => [i.type, i.note]).sort()).toEqual([
      ["missing_days", "resolved automatically: a later import filled the days"],
      ["missing_periods", "resolved automatically: the day now has all its half-hours"],
    ]);
    // Still stale (nothing since 17 Jan), still acknowledged.
    expect((await issuesOf(admin, `mpan=${MPAN_A}&status=acknowledged`)).data.map(brief)).toEqual([
      ["stale", "2025-01-18", today, "acknowledged"],
    ]);
  });

  it("reopens an issue found again, and a daily total has no half-hours to miss", async () => {
    await importCsv(admin, dailyFile([[MPAN_A, "2025-01-19", 40]]));
    const open = (await issuesOf(admin, `mpan=${MPAN_A}&status=open`)).data.map(brief);
    expect(open).toEqual([["missing_days", "2025-01-18", "2025-01-18", "open"]]);
  });
});

describe("zero_run per meter", () => {
  it("flags 6 zero half-hours, and resolves them once the meter switches the rule off", async () => {
    const zeros = varied();
    for (let p = 1; p <= 6; p++) zeros[p - 1] = 0;
    await importCsv(admin, wideFile([[MPAN_A, "2025-01-20", zeros]]));
    expect((await issuesOf(admin, `mpan=${MPAN_A}&type=zero_run`)).data.map(brief)).toEqual([
      ["zero_run", "2025-01-20", "2025-01-20", "open"],
    ]);
    const off = await call("PATCH", `/api/quality/meters/${MPAN_A}`, { zeroRun: false }, { cookie: admin });
    expect(off.status).toBe(200);
    const run = await json(await call("POST", "/api/quality/run", { mpan: MPAN_A }, { cookie: admin }));
    expect(run).toMatchObject({ issuesOpened: 0, issuesResolved: 1 });
    expect((await issuesOf(admin, `mpan=${MPAN_A}&type=zero_run`)).data.map(brief)).toEqual([
      ["zero_run", "2025-01-20", "2025-01-20", "resolved"],
    ]);
  });
});
