import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
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

describe("sign-in from another site (login CSRF)", () => {
  it("refuses a cross-origin sign-in", async () => {
    const res = await call(
      "POST",
      "/api/auth/login",
      { email: "viewer@example.com", password: PASSWORD },
      { origin: "https://evil.example" },
    );
    expect(res.status).toBe(403);
    expect(await json(res)).toEqual({
      error: {
        code: "csrf",
        message: "cross-origin request refused: writes must come from this site's own pages",
      },
    });
    expect(res.headers.get("Set-Cookie")).toBeNull();
  });

  it("refuses a sign-in the browser marks cross-site", async () => {
    const { SELF } = await import("cloudflare:test");
    const res = await SELF.fetch("http://localhost/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "cross-site" },
      body: JSON.stringify({ email: "viewer@example.com", password: PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe("csrf");
  });

  it("allows a sign-in without browser headers (scripts, curl)", async () => {
    const res = await call(
      "POST",
      "/api/auth/login",
      { email: "viewer@example.com", password: PASSWORD },
      { origin: null },
    );
    expect(res.status).toBe(200);
  });
});

describe("sign-out with an API token", () => {
  it("is refused: tokens are revoked, not signed out", async () => {
    const admin = await login("admin@example.com");
    const { id, token } = await json(
      await call("POST", "/api/tokens", { name: "script", role: "viewer" }, { cookie: admin }),
    );
    const res = await call("POST", "/api/auth/logout", undefined, { token });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: {
        code: "token_logout",
        message: `an API token is not signed out; revoke it with DELETE /api/tokens/${id}`,
      },
    });
    expect((await call("GET", "/api/auth/me", undefined, { token })).status).toBe(200);
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
