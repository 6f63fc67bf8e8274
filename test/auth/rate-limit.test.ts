// Request rate limits for API consumers (Cloudflare's Rate Limiting binding, simulated by miniflare): per
// API token, and per client IP for requests without valid credentials (sign-in, health, webhooks, made-up
// tokens or cookies); signed-in sessions are not limited. wrangler.toml allows 300 a minute of each; this
// file runs the app with the suite's small TEST_LOW_* bindings (vitest.config.ts: 30 per token, 40 per IP)
// in their place, so a test reaches them quickly.
import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import { app } from "../../src/app";
import { RATE_LIMITS } from "../../src/auth/rate-limit";
import { call as callWorker, json, login, seedEstate, type Auth } from "../helpers";

const lowLimits = { ...env, API_TOKEN_LIMIT: env.TEST_LOW_TOKEN_LIMIT, API_IP_LIMIT: env.TEST_LOW_IP_LIMIT };
const call = (method: string, path: string, body?: unknown, auth: Auth = {}) =>
  callWorker(method, path, body, auth, async (request) =>
    app.fetch(request, lowLimits, createExecutionContext()),
  );

const TEST_LIMITS = { token: 30, ip: 40 };

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

// Miniflare counts in windows aligned to the clock's minutes (Cloudflare's own are not aligned, and
// approximate): start each test early in a window so its burst cannot straddle two.
beforeEach(async () => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 10_000) await new Promise((r) => setTimeout(r, left + 50));
});

async function expectRateLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers.get("Retry-After")).toBe("60");
  expect(await json(res)).toEqual({
    error: { code: "rate_limited", message: "too many requests; try again in 60 seconds" },
  });
}

/** Sends `n` requests one after another and returns how many of each status came back. */
async function burst(n: number, send: () => Promise<Response>): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await send();
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    await res.body?.cancel();
  }
  return counts;
}

it("wrangler.toml sets the limits the README states: 300 a minute per token and per IP", () => {
  const binding = (name: string) =>
    new RegExp(`name = "${name}"\\n[^\\[]*simple = \\{ limit = (\\d+), period = (\\d+) \\}`).exec(
      wranglerToml,
    );
  expect(binding("API_TOKEN_LIMIT")?.slice(1)).toEqual(["300", "60"]);
  expect(binding("API_IP_LIMIT")?.slice(1)).toEqual(["300", "60"]);
  expect(RATE_LIMITS).toEqual({
    perToken: { limit: 300, periodSeconds: 60 },
    perIp: { limit: 300, periodSeconds: 60 },
  });
});

describe("per API token", () => {
  it("answers 429 with Retry-After once a token's limit is used up, for that token only", async () => {
    const mint = async (name: string) =>
      (await json(await call("POST", "/api/tokens", { name, role: "viewer" }, { cookie: admin }))).token;
    const busy = await mint("busy");
    const calm = await mint("calm");
    // Same IP for both: the limit follows the token, not the address.
    const me = (token: string) => call("GET", "/api/auth/me", undefined, { token, ip: "198.18.0.10" });
    expect(await burst(TEST_LIMITS.token, () => me(busy))).toEqual({ 200: TEST_LIMITS.token });
    await expectRateLimited(await me(busy));
    expect((await me(calm)).status).toBe(200);
  });
});

describe("per client IP, without valid credentials", () => {
  it("answers 429 once an IP's anonymous requests use up its limit", async () => {
    const bad = () => call("POST", "/api/auth/login", {}, { ip: "198.18.0.20" });
    expect(await burst(TEST_LIMITS.ip, bad)).toEqual({ 400: TEST_LIMITS.ip });
    await expectRateLimited(await bad());
    expect((await call("POST", "/api/auth/login", {}, { ip: "198.18.0.21" })).status).toBe(400);
  });

  it("counts made-up tokens against the IP, so inventing them is no way around it", async () => {
    let n = 0;
    const madeUp = () =>
      call("GET", "/api/sites", undefined, { token: `eet_madeup${n++}`, ip: "198.18.0.30" });
    expect(await burst(TEST_LIMITS.ip, madeUp)).toEqual({ 401: TEST_LIMITS.ip });
    await expectRateLimited(await madeUp());
  });

  it("does not limit a signed-in session", async () => {
    const cookie = await login("viewer@example.com", undefined, "198.18.0.40");
    const me = () => call("GET", "/api/auth/me", undefined, { cookie, ip: "198.18.0.40" });
    expect(await burst(TEST_LIMITS.ip + 10, me)).toEqual({ 200: TEST_LIMITS.ip + 10 });
  });
});
