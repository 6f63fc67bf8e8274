// Sign-in lockouts: keyed by account and client IP together, so a stranger cannot lock the owner out.
// The rule (README, Security): 5 failures for one account from one IP in 15 minutes lock that pair for
// 15 minutes (900 s); once an account has failed 20 times from anywhere, or an IP has failed 20 times on
// any accounts, a pair locks at its first failure. An IP that has not failed on an account is never refused.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { call, json, login, PASSWORD, seedEstate } from "../helpers";

beforeEach(async () => {
  await seedEstate();
});

const attempt = (email: string, password: string, ip: string) =>
  call("POST", "/api/auth/login", { email, password }, { ip });

async function expectLocked(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers.get("Retry-After")).toBe("900");
  expect(await json(res)).toEqual({
    error: { code: "throttled", message: "too many failed sign-ins; try again in 15 minutes" },
  });
}

describe("per account and IP", () => {
  it("5 failures lock the account from that IP only", async () => {
    for (let i = 0; i < 5; i++)
      expect((await attempt("admin@example.com", "bad", "192.0.2.1")).status).toBe(401);
    await expectLocked(await attempt("admin@example.com", PASSWORD, "192.0.2.1"));
    // The owner, from another IP, still gets in; so does another account from the locked IP.
    expect((await attempt("admin@example.com", PASSWORD, "192.0.2.2")).status).toBe(200);
    expect((await attempt("viewer@example.com", PASSWORD, "192.0.2.1")).status).toBe(200);
  });

  it("8 failures from 8 IPs do not refuse the right password from a ninth", async () => {
    for (let i = 1; i <= 8; i++)
      expect((await attempt("admin@example.com", "bad", `198.51.100.${i}`)).status).toBe(401);
    expect((await attempt("admin@example.com", PASSWORD, "198.51.100.9")).status).toBe(200);
  });

  it("a success forgets that pair's failures", async () => {
    for (let i = 0; i < 4; i++) await attempt("admin@example.com", "bad", "192.0.2.3");
    expect((await attempt("admin@example.com", PASSWORD, "192.0.2.3")).status).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await attempt("admin@example.com", "bad", "192.0.2.3")).status).toBe(401);
    expect((await attempt("admin@example.com", PASSWORD, "192.0.2.3")).status).toBe(200);
  });
});

describe("an account under attack from many IPs", () => {
  it("locks each further IP at its first failure, never an IP that has not failed", async () => {
    for (let i = 1; i <= 20; i++)
      expect((await attempt("admin@example.com", "bad", `203.0.113.${i}`)).status).toBe(401);
    expect((await attempt("admin@example.com", "bad", "203.0.113.21")).status).toBe(401);
    await expectLocked(await attempt("admin@example.com", PASSWORD, "203.0.113.21"));
    // The owner's IP has not failed: the right password works.
    expect((await attempt("admin@example.com", PASSWORD, "203.0.113.99")).status).toBe(200);
  });
});

describe("an IP failing across accounts", () => {
  it("does not stop its sign-ins to an account it has not failed on", async () => {
    for (let i = 0; i < 25; i++) await attempt(`user${i}@example.com`, "bad", "192.0.2.50");
    expect((await attempt("admin@example.com", PASSWORD, "192.0.2.50")).status).toBe(200);
  });

  it("after 20 failures, one more failure on an account locks that account from the IP", async () => {
    for (let i = 0; i < 20; i++)
      expect((await attempt(`user${i}@example.com`, "bad", "192.0.2.60")).status).toBe(401);
    expect((await attempt("viewer@example.com", "bad", "192.0.2.60")).status).toBe(401);
    await expectLocked(await attempt("viewer@example.com", PASSWORD, "192.0.2.60"));
    expect((await attempt("manager@example.com", PASSWORD, "192.0.2.60")).status).toBe(200);
  });
});

describe("the audit log", () => {
  it("records the IP the throttle used for sign-ins and failures", async () => {
    await attempt("viewer@example.com", "bad", "192.0.2.70");
    await login("viewer@example.com", PASSWORD, "192.0.2.71");
    const rows = await env.DB.prepare("SELECT action, detail, ip FROM audit_log ORDER BY id").all();
    expect(rows.results).toEqual([
      { action: "auth.login_failed", detail: '{"email":"viewer@example.com"}', ip: "192.0.2.70" },
      { action: "auth.login", detail: null, ip: "192.0.2.71" },
    ]);
  });
});

describe("admins see and clear locks", () => {
  it("lists a locked pair and clears it, so the right password works again from that IP", async () => {
    for (let i = 0; i < 5; i++) await attempt("viewer@example.com", "bad", "192.0.2.80");
    const admin = await login("admin@example.com", PASSWORD, "192.0.2.81");
    const list = await call("GET", "/api/auth/locks", undefined, { cookie: admin });
    expect(list.status).toBe(200);
    const { data } = await json(list);
    expect(data).toHaveLength(1);
    const lock = data[0];
    expect(lock).toMatchObject({
      key: "pair:192.0.2.80|viewer@example.com",
      kind: "pair",
      email: "viewer@example.com",
      ip: "192.0.2.80",
      failures: 5,
    });
    const until = Date.parse(lock.lockedUntil) - Date.now();
    expect(until).toBeGreaterThan(890_000);
    expect(until).toBeLessThanOrEqual(900_000);

    const viewer = await login("viewer@example.com", PASSWORD, "192.0.2.82");
    expect((await call("GET", "/api/auth/locks", undefined, { cookie: viewer })).status).toBe(403);
    const path = `/api/auth/locks/${encodeURIComponent(lock.key)}`;
    expect((await call("DELETE", path, undefined, { cookie: viewer })).status).toBe(403);
    expect((await call("DELETE", path, undefined, { cookie: admin })).status).toBe(204);
    expect((await call("DELETE", path, undefined, { cookie: admin })).status).toBe(404);
    expect(await json(await call("GET", "/api/auth/locks", undefined, { cookie: admin }))).toEqual({
      data: [],
    });
    expect((await attempt("viewer@example.com", PASSWORD, "192.0.2.80")).status).toBe(200);
    const cleared = await env.DB.prepare(
      "SELECT actor_user_id, entity_id FROM audit_log WHERE action = 'auth.lock_clear'",
    ).all();
    expect(cleared.results).toEqual([{ actor_user_id: 1, entity_id: "pair:192.0.2.80|viewer@example.com" }]);
  });
});
