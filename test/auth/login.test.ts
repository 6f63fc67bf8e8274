import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { THROTTLE } from "../../src/auth/throttle";
import { call, json, login, PASSWORD, seedEstate, sessionCookie } from "../helpers";

beforeEach(async () => {
  await seedEstate();
});

describe("sign-in", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie and answers who signed in", async () => {
    const res = await call("POST", "/api/auth/login", { email: "Manager@Example.com", password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id: 2, email: "manager@example.com", role: "manager", name: "M" });
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Expires=/);
    // localhost is plain http in development; elsewhere the cookie is Secure.
    expect(cookie).not.toMatch(/Secure/);
    const me = await call("GET", "/api/auth/me", undefined, { cookie: sessionCookie(res) });
    expect(await json(me)).toEqual({ id: 2, email: "manager@example.com", role: "manager", name: "M" });
  });

  it("stores only a hash of the session token", async () => {
    const cookie = await login("viewer@example.com");
    const raw = cookie.split("=")[1];
    const rows = await env.DB.prepare("SELECT token_hash FROM sessions").all<{ token_hash: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0].token_hash).not.toBe(raw);
    expect(rows.results[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rejects a wrong password and an unknown email with the same 401", async () => {
    const wrong = await call("POST", "/api/auth/login", { email: "admin@example.com", password: "nope" });
    const unknown = await call("POST", "/api/auth/login", { email: "ghost@example.com", password: "nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await json(wrong)).toEqual({
      error: { code: "bad_credentials", message: "email or password is wrong" },
    });
    expect(await json(unknown)).toEqual({
      error: { code: "bad_credentials", message: "email or password is wrong" },
    });
  });

  it("names the field of a malformed sign-in", async () => {
    const res = await call("POST", "/api/auth/login", { email: "not-an-email", password: "x" });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.field).toBe("email");
  });

  it("rotates the session at sign-in: the old cookie stops working", async () => {
    const first = await login("viewer@example.com");
    const res = await call(
      "POST",
      "/api/auth/login",
      { email: "viewer@example.com", password: PASSWORD },
      { cookie: first },
    );
    const second = sessionCookie(res);
    expect(second).not.toBe(first);
    expect((await call("GET", "/api/auth/me", undefined, { cookie: first })).status).toBe(401);
    expect((await call("GET", "/api/auth/me", undefined, { cookie: second })).status).toBe(200);
  });

  it("logs out: the session is gone", async () => {
    const cookie = await login("viewer@example.com");
    expect((await call("POST", "/api/auth/logout", undefined, { cookie })).status).toBe(204);
    expect((await call("GET", "/api/auth/me", undefined, { cookie })).status).toBe(401);
  });

  it("audits sign-ins and failed sign-ins", async () => {
    await login("viewer@example.com");
    await call("POST", "/api/auth/login", { email: "viewer@example.com", password: "bad" });
    const rows = await env.DB.prepare("SELECT action, actor_user_id FROM audit_log ORDER BY id").all();
    expect(rows.results).toEqual([
      { action: "auth.login", actor_user_id: 3 },
      { action: "auth.login_failed", actor_user_id: null },
    ]);
  });

  it("refuses a deactivated user", async () => {
    await env.DB.prepare("UPDATE users SET active = 0 WHERE id = 3").run();
    const res = await call("POST", "/api/auth/login", { email: "viewer@example.com", password: PASSWORD });
    expect(res.status).toBe(401);
  });
});

describe("throttling", () => {
  it(`locks an account after ${THROTTLE.maxPerAccount} failures, even for the right password`, async () => {
    for (let i = 0; i < THROTTLE.maxPerAccount; i++) {
      const res = await call(
        "POST",
        "/api/auth/login",
        { email: "admin@example.com", password: `bad${i}` },
        { ip: `10.0.0.${i}` },
      );
      expect(res.status).toBe(401);
    }
    const locked = await call(
      "POST",
      "/api/auth/login",
      { email: "admin@example.com", password: PASSWORD },
      { ip: "10.0.0.99" },
    );
    expect(locked.status).toBe(429);
    expect(locked.headers.get("Retry-After")).toBe(String(THROTTLE.lockMs / 1000));
    expect((await json(locked)).error.code).toBe("throttled");
    // Another account is not affected.
    expect(
      (await call("POST", "/api/auth/login", { email: "viewer@example.com", password: PASSWORD })).status,
    ).toBe(200);
  });

  it(`locks an IP after ${THROTTLE.maxPerIp} failures across accounts`, async () => {
    for (let i = 0; i < THROTTLE.maxPerIp; i++) {
      await call(
        "POST",
        "/api/auth/login",
        { email: `user${i}@example.com`, password: "bad" },
        { ip: "192.0.2.7" },
      );
    }
    const fromIp = await call(
      "POST",
      "/api/auth/login",
      { email: "viewer@example.com", password: PASSWORD },
      { ip: "192.0.2.7" },
    );
    expect(fromIp.status).toBe(429);
    const elsewhere = await call(
      "POST",
      "/api/auth/login",
      { email: "viewer@example.com", password: PASSWORD },
      { ip: "192.0.2.8" },
    );
    expect(elsewhere.status).toBe(200);
  });

  it("forgets failures once a sign-in succeeds", async () => {
    for (let i = 0; i < THROTTLE.maxPerAccount - 1; i++) {
      await call(
        "POST",
        "/api/auth/login",
        { email: "admin@example.com", password: "bad" },
        { ip: `10.1.0.${i}` },
      );
    }
    await login("admin@example.com");
    await call("POST", "/api/auth/login", { email: "admin@example.com", password: "bad" });
    expect(
      (await call("POST", "/api/auth/login", { email: "admin@example.com", password: PASSWORD })).status,
    ).toBe(200);
  });
});

it("sends exactly one session cookie at sign-in, even when rotating", async () => {
  await seedEstate();
  const first = await login("viewer@example.com");
  const res = await call(
    "POST",
    "/api/auth/login",
    { email: "viewer@example.com", password: PASSWORD },
    { cookie: first },
  );
  expect(res.headers.getSetCookie()).toHaveLength(1);
});
