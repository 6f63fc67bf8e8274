// Authentication (Bearer token or session cookie), CSRF protection for cookie writes, and role checks.
import { eq, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { database } from "../db/client";
import { apiTokens } from "../db/schema";
import { ApiError, forbidden, unauthorized } from "../http/errors";
import { sha256Hex } from "./crypto";
import { atLeast, type AppEnv, type Principal, type Role } from "./principal";
import { cachedUserForSession, readSessionCookie } from "./session";

export const TOKEN_PREFIX = "eet_";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function principalFromToken(env: Env, token: string): Promise<Principal | null> {
  const db = database(env);
  const row = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, await sha256Hex(token)))
    .get();
  if (!row || row.revokedAt) return null;
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))` })
    .where(eq(apiTokens.id, row.id));
  return {
    kind: "token",
    userId: null,
    tokenId: row.id,
    email: null,
    name: row.name,
    role: row.role,
    tokenCompanyId: row.companyId,
  };
}

/**
 * Cross-origin write protection for cookie sessions, the way browsers make it checkable: a write whose
 * Origin is another site, or whose Sec-Fetch-Site says cross-site, is refused. Requests that carry
 * neither header do not come from a browser page, so no victim's cookie can ride on them.
 */
export function isCrossOriginWrite(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  const origin = req.headers.get("Origin");
  if (origin) return origin !== new URL(req.url).origin;
  const site = req.headers.get("Sec-Fetch-Site");
  return site !== null && site !== "same-origin" && site !== "none";
}

/** Resolves the caller; answers 401 when there is none. */
export const authenticate: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await principalFromToken(c.env, match[1]) : null;
    if (!principal) throw new ApiError(401, "invalid_token", "the API token is invalid or revoked");
    c.set("principal", principal);
    return next();
  }
  const cookie = readSessionCookie(c);
  const user = cookie ? await cachedUserForSession(database(c.env), cookie) : undefined;
  if (!user || !user.active) throw unauthorized();
  if (isCrossOriginWrite(c.req.raw)) {
    throw new ApiError(
      403,
      "csrf",
      "cross-origin request refused: writes must come from this site's own pages",
    );
  }
  c.set("principal", {
    kind: "session",
    userId: user.id,
    tokenId: null,
    email: user.email,
    name: user.name,
    role: user.role,
    tokenCompanyId: null,
  });
  return next();
});

export function requireRole(min: Role): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!atLeast(c.get("principal").role, min)) throw forbidden(`this needs the ${min} role`);
    return next();
  });
}
