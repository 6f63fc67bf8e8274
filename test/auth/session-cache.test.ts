// An isolate keeps the sessions it looked up for SESSION_CACHE_MS: what changes a session or a user in
// this isolate applies at once; a change made behind its back applies within that time.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/auth/crypto";
import { database } from "../../src/db/client";
import { cachedUserForSession, SESSION_CACHE_MS, sessionCache } from "../../src/auth/session";
import { call, json, login, PASSWORD, seedEstate } from "../helpers";

let admin: string;
let viewer: string;
beforeEach(async () => {
  sessionCache.entries.clear();
  await seedEstate();
  admin = await login("admin@example.com");
  viewer = await login("viewer@example.com");
  // The viewer's session is now in the cache.
  expect((await call("GET", "/api/auth/me", undefined, { cookie: viewer })).status).toBe(200);
});

const me = (cookie: string) => call("GET", "/api/auth/me", undefined, { cookie });
const unauthenticated = { error: { code: "unauthenticated", message: "sign in or send a valid API token" } };

describe("changes made through the app apply at once", () => {
  it("sign-out", async () => {
    expect((await call("POST", "/api/auth/logout", undefined, { cookie: viewer })).status).toBe(204);
    const res = await me(viewer);
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual(unauthenticated);
  });

  it("a new name", async () => {
    const patch = await call("PATCH", "/api/users/3", { name: "Vera" }, { cookie: admin });
    expect(patch.status).toBe(200);
    expect(await json(await me(viewer))).toEqual({
      id: 3,
      email: "viewer@example.com",
      role: "viewer",
      name: "Vera",
    });
  });

  it.each([
    ["a new role", { role: "manager" }],
    ["deactivation", { active: false }],
    ["a new password", { password: `${PASSWORD}!` }],
  ])("%s ends the user's sessions", async (_, change) => {
    expect((await call("PATCH", "/api/users/3", change, { cookie: admin })).status).toBe(200);
    const res = await me(viewer);
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual(unauthenticated);
  });

  it("deleting the user", async () => {
    expect((await call("DELETE", "/api/users/3", undefined, { cookie: admin })).status).toBe(204);
    expect((await me(viewer)).status).toBe(401);
  });
});

describe("a session ended behind the isolate's back", () => {
  it("is trusted for SESSION_CACHE_MS at most", async () => {
    const token = viewer.split("=")[1];
    sessionCache.entries.clear();
    const t = Date.now();
    const looked = await cachedUserForSession(database(env), token, t);
    expect(looked?.email).toBe("viewer@example.com");
    await env.DB.prepare("DELETE FROM sessions WHERE user_id = 3").run();

    expect(await cachedUserForSession(database(env), token, t + SESSION_CACHE_MS - 1)).toBe(looked);
    expect(await cachedUserForSession(database(env), token, t + SESSION_CACHE_MS)).toBeUndefined();
    expect(sessionCache.entries.has(await sha256Hex(token))).toBe(false); // the ended session is forgotten
  });

  it("is never trusted past its expiry", async () => {
    const token = viewer.split("=")[1];
    const t = Date.now();
    await env.DB.prepare("UPDATE sessions SET expires_at = ?1 WHERE user_id = 3")
      .bind(t + 1000)
      .run();
    sessionCache.entries.clear();
    expect((await cachedUserForSession(database(env), token, t))?.email).toBe("viewer@example.com");
    expect(await cachedUserForSession(database(env), token, t + 1000)).toBeUndefined();
  });
});
