// Which client IP the throttles and the audit log use: CF-Connecting-IP only where Cloudflare set it.
// The suite's own bindings trust the header (vitest.config.ts) so tests can play many IPs; here the app
// runs with the bindings `wrangler dev` has, where any client can send the header.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { trustedClientIp } from "../../src/audit/log";
import { ORIGIN, PASSWORD, seedEstate } from "../helpers";

beforeEach(async () => {
  await seedEstate();
});

const developmentEnv = { ...env, APP_ENV: "development", TRUST_CF_CONNECTING_IP: undefined } as Env;

async function signInLocally(email: string, password: string, ip: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${ORIGIN}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: ORIGIN, "CF-Connecting-IP": ip },
      body: JSON.stringify({ email, password }),
    }),
    developmentEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("locally, CF-Connecting-IP is the client's word", () => {
  it("is ignored: a new header on each failure does not escape the per-IP rule", async () => {
    // 20 failures on 20 accounts, each "from" a new IP: all from one local client, so that client is
    // now on alert and its next failure on an account locks it out of that account.
    for (let i = 1; i <= 20; i++)
      expect((await signInLocally(`user${i}@example.com`, "bad", `10.9.0.${i}`)).status).toBe(401);
    expect((await signInLocally("admin@example.com", "bad", "10.9.0.21")).status).toBe(401);
    const locked = await signInLocally("admin@example.com", PASSWORD, "10.9.0.22");
    expect(locked.status).toBe(429);
    expect(locked.headers.get("Retry-After")).toBe("900");
  });

  it("is not what the audit log records", async () => {
    await signInLocally("admin@example.com", "bad", "10.9.1.1");
    const row = await env.DB.prepare("SELECT ip FROM audit_log WHERE action = 'auth.login_failed'").first();
    expect(row).toEqual({ ip: "local" });
  });
});

describe("trustedClientIp", () => {
  const req = (ip?: string) => new Request(ORIGIN, { headers: ip ? { "CF-Connecting-IP": ip } : {} });

  it("trusts the header in production, where only Cloudflare's edge can have set it", () => {
    expect(trustedClientIp(req("198.51.100.7"), { APP_ENV: "production" } as Env)).toBe("198.51.100.7");
    expect(trustedClientIp(req(), { APP_ENV: "production" } as Env)).toBeNull();
  });

  it("trusts it elsewhere only when TRUST_CF_CONNECTING_IP is true", () => {
    expect(trustedClientIp(req("198.51.100.7"), { APP_ENV: "development" } as Env)).toBeNull();
    expect(
      trustedClientIp(req("198.51.100.7"), { APP_ENV: "test", TRUST_CF_CONNECTING_IP: "true" } as Env),
    ).toBe("198.51.100.7");
    expect(
      trustedClientIp(req("198.51.100.7"), {
        APP_ENV: "development",
        TRUST_CF_CONNECTING_IP: "false",
      } as Env),
    ).toBeNull();
  });
});
