// Request limits for API consumers, with Cloudflare's Rate Limiting bindings (wrangler.toml `[[ratelimits]]`):
// each API token, and each client IP for requests without valid credentials. Sessions (people in the app)
// are not limited: sign-in is, by its lockouts and by the per-IP limit.
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { trustedClientIp } from "../audit/log";
import { ApiError } from "../http/errors";
import { authenticate } from "./middleware";
import type { AppEnv } from "./principal";

/** As configured in wrangler.toml (Cloudflare allows a period of 10 or 60 seconds). */
export const RATE_LIMITS = {
  perToken: { limit: 300, periodSeconds: 60 },
  perIp: { limit: 300, periodSeconds: 60 },
};

async function within(limiter: RateLimit, key: string, periodSeconds: number): Promise<void> {
  const { success } = await limiter.limit({ key });
  if (!success) {
    // The binding does not say when its window ends: a whole period is the wait that is sure to be enough.
    throw new ApiError(
      429,
      "rate_limited",
      `too many requests; try again in ${periodSeconds} seconds`,
      undefined,
      { "Retry-After": String(periodSeconds) },
    );
  }
}

/**
 * Counts a request against its client IP. Where the IP is not known (locally, every client is one), there
 * is nothing to tell clients apart by, so nothing is counted.
 */
async function withinIpLimit(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<void> {
  const ip = trustedClientIp(c.req.raw, c.env);
  if (ip) await within(c.env.API_IP_LIMIT, `ip:${ip}`, RATE_LIMITS.perIp.periodSeconds);
}

/** For public routes (sign-in, health, webhooks): every request counts against its IP. */
export const limitByIp: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  await withinIpLimit(c);
  return next();
});

/**
 * `authenticate`, then the token's limit. A request whose credentials do not resolve (none, made up,
 * revoked) counts against its IP instead, so inventing tokens or cookies is no way around that limit.
 */
export const authenticateWithinLimits: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(
  async (c, next) => {
    let authenticated = false;
    try {
      await authenticate(c, async () => {
        authenticated = true;
        const { tokenId } = c.get("principal");
        if (tokenId !== null)
          await within(c.env.API_TOKEN_LIMIT, `token:${tokenId}`, RATE_LIMITS.perToken.periodSeconds);
        await next();
      });
    } catch (err) {
      if (!authenticated) await withinIpLimit(c);
      throw err;
    }
  },
);
