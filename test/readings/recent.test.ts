// An isolate gives the same caller the same readings answer for RECENT_READINGS_MS, unless a write
// went through it meanwhile; callers never share answers.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { RECENT_READINGS_MS, recentReadings } from "../../src/readings/recent";
import { call, json, login, MPAN_A, MPAN_C, seedEstate } from "../helpers";

let admin: string;
let viewer: string;
beforeEach(async () => {
  recentReadings.clear();
  await seedEstate();
  await env.DB.prepare(
    `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask)
     SELECT id, '2026-03-28', 24, NULL, 0 FROM meters WHERE mpan IN ('${MPAN_A}', '${MPAN_C}')`,
  ).run();
  admin = await login("admin@example.com");
  viewer = await login("viewer@example.com"); // sees MPAN_A, not MPAN_C
});

const kwh = async (cookie: string, mpan: string) => {
  const res = await call("GET", `/api/meters/${mpan}/readings?from=2026-03-28&to=2026-03-28`, undefined, {
    cookie,
  });
  expect(res.status).toBe(200);
  return (await json<{ data: { kwh: number }[] }>(res)).data.map((d) => d.kwh);
};
const changeBehindTheApp = () => env.DB.prepare("UPDATE readings SET total_kwh = 30").run();
/** However slow this machine is, what was answered so far counts as recent. */
const keepRecent = () => recentReadings.entries.forEach((e) => (e.until = Infinity));

describe("recent readings answers", () => {
  it("are given again within RECENT_READINGS_MS, even if the data changed behind the isolate", async () => {
    expect(await kwh(viewer, MPAN_A)).toEqual([24]);
    keepRecent();
    await changeBehindTheApp();
    expect(await kwh(viewer, MPAN_A)).toEqual([24]);
    // Another caller asks afresh.
    expect(await kwh(admin, MPAN_A)).toEqual([30]);
  });

  it("are forgotten after any write through the isolate", async () => {
    expect(await kwh(viewer, MPAN_A)).toEqual([24]);
    keepRecent();
    await changeBehindTheApp();
    const patch = await call("PATCH", `/api/meters/${MPAN_A}`, { name: "Main" }, { cookie: admin });
    expect(patch.status).toBe(200);
    expect(await kwh(viewer, MPAN_A)).toEqual([30]);
  });

  it("are never given to another caller", async () => {
    expect(await kwh(admin, MPAN_C)).toEqual([24]);
    const res = await call("GET", `/api/meters/${MPAN_C}/readings?from=2026-03-28&to=2026-03-28`, undefined, {
      cookie: viewer,
    });
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: { code: "not_found", message: "meter not found" } });
  });

  it("expire after RECENT_READINGS_MS", () => {
    recentReadings.set("k", "[1]", 1000);
    expect(recentReadings.get("k", 1000 + RECENT_READINGS_MS - 1)).toBe("[1]");
    expect(recentReadings.get("k", 1000 + RECENT_READINGS_MS)).toBeUndefined();
    expect(recentReadings.entries.size).toBe(0);
    expect(recentReadings.chars).toBe(0);
  });

  it("keep at most 4 Mi characters, the oldest going first, and no answer over 256 Ki", () => {
    const big = "x".repeat(256 * 1024);
    for (let i = 0; i < 17; i++) recentReadings.set(`k${i}`, big, 0);
    expect([...recentReadings.entries.keys()]).toEqual(Array.from({ length: 16 }, (_, i) => `k${i + 1}`));
    expect(recentReadings.chars).toBe(4 * 1024 * 1024);
    recentReadings.set("huge", `${big}x`, 0);
    expect(recentReadings.get("huge", 0)).toBeUndefined();
  });
});
