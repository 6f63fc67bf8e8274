// Alarms: the API contract (400s naming the field, roles, scope), evaluation once per span, the
// pctAbovePrevious rule, the email read back from a recording EMAIL binding, and a webhook delivery
// that fails and is retried from the queue. Day totals by hand: `varied` = 1+(p mod 5) over 48
// periods = 9 × 15 + 1 + 2 + 3 = 141 kWh; flat(3) = 144 kWh; flat(6) = 288 kWh.
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { evaluateAlarms } from "../../src/alarms/evaluate";
import { notificationQueue } from "../../src/notifications/deliver";
import { addDays, settlementPeriodAt } from "../../src/time/settlement";
import { flat, wideFile } from "../analytics/support";
import { call, json, login, MPAN_A, MPAN_B, seedEstate } from "../helpers";
import { importCsv } from "../imports/support";
import { recordingEnv, stubWebhook } from "../notifications-support";

const varied = () => Array.from({ length: 48 }, (_, i): number | null => 1 + (i % 5));
let admin: string;
let manager: string;
let viewer: string;
let siteViewer: string;
let meterA: number;

afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  await seedEstate();
  [admin, manager, viewer, siteViewer] = await Promise.all(
    ["admin@example.com", "manager@example.com", "viewer@example.com", "siteviewer@example.com"].map((e) =>
      login(e),
    ),
  );
  const job = await importCsv(
    admin,
    wideFile([
      [MPAN_A, "2025-01-13", varied()],
      [MPAN_A, "2025-01-14", flat(3)],
      [MPAN_A, "2025-01-15", flat(6)],
    ]),
  );
  expect(job.status).toBe("completed");
  meterA = (await env.DB.prepare("SELECT id FROM meters WHERE mpan = ?1")
    .bind(MPAN_A)
    .first<{ id: number }>())!.id;
});

const create = (body: Record<string, unknown>, cookie = admin) =>
  call("POST", "/api/alarms", body, { cookie });
const dayAlarm = { name: "Day over 142", mpan: MPAN_A, metric: "kwh", period: "day", operator: "gt" };

describe("POST /api/alarms", () => {
  it.each([
    [{ ...dayAlarm, threshold: 1, recipients: ["not-an-email"] }, "recipients.0"],
    [{ ...dayAlarm, threshold: 1, siteId: 1000 }, "siteId"],
    [{ ...dayAlarm, mpan: undefined, threshold: 1 }, "mpan"],
    [{ ...dayAlarm, threshold: 1, pctAbovePrevious: 10 }, "pctAbovePrevious"],
    [dayAlarm, "threshold"],
    [{ ...dayAlarm, threshold: 1, metric: "kvarh" }, "metric"],
    [{ ...dayAlarm, threshold: 1, mpan: MPAN_B.replace(/1$/, "2") }, "mpan"],
  ])("answers 400 naming the field (%#)", async (body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect((await json(res)).error.field).toBe(field);
  });

  it("is for admins; others see the alarms in their scope, and 404 outside it", async () => {
    expect((await create({ ...dayAlarm, threshold: 1 }, manager)).status).toBe(403);
    const res = await create({ ...dayAlarm, name: "Scope probe", threshold: 1e9 });
    expect(res.status).toBe(201);
    const alarm = await json(res);
    expect(alarm).toMatchObject({
      mpan: MPAN_A,
      siteId: 1000,
      scope: "meter",
      threshold: 1e9,
      pctAbovePrevious: null,
      recipients: [],
      webhook: false,
      active: true,
      triggers: 0,
    });
    expect((await call("GET", `/api/alarms/${alarm.id}`, undefined, { cookie: viewer })).status).toBe(200);
    expect((await call("GET", `/api/alarms/${alarm.id}`, undefined, { cookie: siteViewer })).status).toBe(
      404,
    );
    expect(
      (await call("GET", `/api/alarms/${alarm.id}/triggers`, undefined, { cookie: siteViewer })).status,
    ).toBe(404);
    // Switching rule needs the other cleared: both at once is the same 400.
    const both = await call(
      "PATCH",
      `/api/alarms/${alarm.id}`,
      { pctAbovePrevious: 5, threshold: 3 },
      { cookie: admin },
    );
    expect(both.status).toBe(400);
    expect((await json(both)).error.field).toBe("pctAbovePrevious");
    const switched = await call(
      "PATCH",
      `/api/alarms/${alarm.id}`,
      { pctAbovePrevious: 5 },
      { cookie: admin },
    );
    expect(await json(switched)).toMatchObject({ threshold: null, pctAbovePrevious: 5 });
    expect((await call("DELETE", `/api/alarms/${alarm.id}`, undefined, { cookie: admin })).status).toBe(204);
  });
});

describe("evaluation", () => {
  it("triggers once per alarm and span, with the figures, and notifies by email, webhook and the bell", async () => {
    const a1 = await json(
      await create({ ...dayAlarm, threshold: 142, recipients: ["energy@example.com"], webhook: true }),
    );
    const a2 = await json(await create({ ...dayAlarm, name: "Day up 50 %", pctAbovePrevious: 50 }));
    const { env: e, emails } = recordingEnv();
    const hook = stubWebhook();
    const changed = [{ meterId: meterA, siteId: 1000, from: "2025-01-13", to: "2025-01-15" }];
    const now = new Date("2025-01-16T09:00:00Z");
    // a1: 144 > 142 on the 14th, 288 on the 15th. a2: 14th 144 ≤ 141 × 1.5; 15th 288 > 144 × 1.5 = 216;
    // the 13th has no previous day.
    expect(await evaluateAlarms(e, changed, now)).toEqual({ triggered: 3 });
    expect(await evaluateAlarms(e, changed, now)).toEqual({ triggered: 0 });

    const t1 = await json(await call("GET", `/api/alarms/${a1.id}/triggers`, undefined, { cookie: viewer }));
    expect(t1).toEqual({
      total: 2,
      data: [
        {
          id: expect.any(Number),
          from: "2025-01-15",
          to: "2025-01-15",
          value: 288,
          threshold: 142,
          triggeredAt: "2025-01-16T09:00:00.000Z",
          notified: ["email", "webhook", "app"],
        },
        {
          id: expect.any(Number),
          from: "2025-01-14",
          to: "2025-01-14",
          value: 144,
          threshold: 142,
          triggeredAt: "2025-01-16T09:00:00.000Z",
          notified: ["email", "webhook", "app"],
        },
      ],
    });
    const t2 = await json(await call("GET", `/api/alarms/${a2.id}/triggers`, undefined, { cookie: admin }));
    expect(
      t2.data.map((t: { from: string; value: number; threshold: number; notified: string[] }) => [
        t.from,
        t.value,
        t.threshold,
        t.notified,
      ]),
    ).toEqual([["2025-01-15", 288, 216, ["app"]]]);

    expect(emails).toHaveLength(2);
    const email = emails.find((m) => m.subject.endsWith("2025-01-14"))!;
    expect(email).toEqual({
      from: "alerts@eclectyc.energy",
      to: "energy@example.com",
      subject: 'Alarm "Day over 142": 144 kWh for 2025-01-14',
      text: `consumption of ${MPAN_A} for 2025-01-14 was 144 kWh, above 142 kWh.\n\nAlarm: Day over 142\nSee it at http://127.0.0.1:8787/alarms/${a1.id}\n`,
      html: expect.stringContaining(`<a href="http://127.0.0.1:8787/alarms/${a1.id}">Open the alarm</a>`),
    });
    expect(email.html).toContain('<tr><th align="left">Value</th><td>144 kWh</td></tr>');
    expect(hook.bodies).toHaveLength(2);
    expect(hook.bodies[0]).toMatchObject({
      text: `:rotating_light: consumption of ${MPAN_A} for 2025-01-14 was 144 kWh, above 142 kWh. <http://127.0.0.1:8787/alarms/${a1.id}|Open the alarm>`,
    });

    // The bell: the viewer (region A1) has the three triggers; the site viewer (site A2) none.
    const bell = await json(await call("GET", "/api/notifications?unread=1", undefined, { cookie: viewer }));
    expect(
      bell.data
        .filter((n: { kind: string }) => n.kind === "alarm")
        .map((n: { title: string }) => n.title)
        .sort(),
    ).toEqual(["Alarm: Day over 142", "Alarm: Day over 142", "Alarm: Day up 50 %"]);
    const theirs = await json(await call("GET", "/api/notifications", undefined, { cookie: siteViewer }));
    expect(theirs.data.filter((n: { kind: string }) => n.kind === "alarm")).toEqual([]);
    const read = await call(
      "POST",
      "/api/notifications/read",
      { ids: [bell.data[0].id] },
      { cookie: viewer },
    );
    expect(await json(read)).toEqual({ marked: 1 });
    // Someone else's id is not theirs to mark.
    expect(
      await json(
        await call("POST", "/api/notifications/read", { ids: [bell.data[1].id] }, { cookie: siteViewer }),
      ),
    ).toEqual({ marked: 0 });
    expect((await json(await call("GET", "/api/notifications", undefined, { cookie: viewer }))).unread).toBe(
      bell.unread - 1,
    );
  });

  it("evaluates after an import for the spans it changed, once", async () => {
    const a3 = await json(await create({ ...dayAlarm, name: "Over 200", threshold: 200 }));
    await importCsv(admin, wideFile([[MPAN_A, "2025-01-16", flat(5)]])); // 240 kWh
    await importCsv(admin, wideFile([[MPAN_A, "2025-01-16", flat(5)]])); // the same again
    const t = await json(await call("GET", `/api/alarms/${a3.id}/triggers`, undefined, { cookie: admin }));
    expect(t.data.map((x: { from: string; value: number }) => [x.from, x.value])).toEqual([
      ["2025-01-16", 240],
    ]);
  });

  it("previews what an alarm would have triggered over the last 90 days", async () => {
    const today = settlementPeriodAt(Date.now()).date;
    const d = (n: number) => addDays(today, -n);
    await importCsv(
      admin,
      wideFile([
        [MPAN_A, d(10), flat(1)],
        [MPAN_A, d(9), flat(2)],
        [MPAN_A, d(8), flat(1)],
      ]),
    );
    const res = await call("POST", "/api/alarms/preview", { ...dayAlarm, threshold: 50 }, { cookie: admin });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      from: d(90),
      to: today,
      data: [{ from: d(9), to: d(9), value: 96, threshold: 50, previous: null }],
    });
  });
});

describe("deliveries", () => {
  it("records a webhook delivery that fails, and retries it from the queue with backoff", async () => {
    const { deliver } = await import("../../src/notifications/deliver");
    const { env: e, queued, emails } = recordingEnv();
    const hook = stubWebhook([503]);
    const outcomes = await deliver(e, [
      { channel: "webhook", source: "test", subject: "s", text: "hello" },
      { channel: "email", source: "test", to: "a@example.com", subject: "s", text: "t", html: "<p>t</p>" },
    ]);
    // The webhook's failure did not stop the email.
    expect(outcomes).toEqual(["failed", "sent"]);
    expect(emails).toHaveLength(1);
    const row = await env.DB.prepare(
      "SELECT id, status, attempts, last_error FROM deliveries WHERE source = 'test' AND channel = 'webhook'",
    ).first<{ id: number }>();
    expect(row).toEqual({
      id: expect.any(Number),
      status: "failed",
      attempts: 1,
      last_error: "webhook answered 503",
    });
    expect(queued).toEqual([{ body: { kind: "delivery", id: row!.id }, delaySeconds: 30 }]);

    const ack = vi.fn();
    await notificationQueue(
      {
        queue: "eclectyc-notifications",
        messages: [{ body: queued[0].body, ack, retry: vi.fn(), attempts: 1 }],
      } as unknown as MessageBatch<unknown>,
      e,
    );
    expect(ack).toHaveBeenCalledOnce();
    expect(
      await env.DB.prepare("SELECT status, attempts, last_error FROM deliveries WHERE id = ?1")
        .bind(row!.id)
        .first(),
    ).toEqual({ status: "sent", attempts: 2, last_error: null });
    expect(hook.bodies).toEqual([
      { text: "hello", blocks: [{ type: "section", text: { type: "mrkdwn", text: "hello" } }] },
      { text: "hello", blocks: [{ type: "section", text: { type: "mrkdwn", text: "hello" } }] },
    ]);
  });
});
