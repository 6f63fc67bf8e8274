// Authentication (Bearer token or session cookie), CSRF protection for cookie writes, and role checks.
import { eq, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { database } from "../db/client";
import { apiTokens, users } from "../db/schema";
import { ApiError, forbidden, unauthorized } from "../http/errors";
import { sha256Hex } from "./crypto";
import { lowerRole, roleAtLeast, type Role } from "../enums";
import { isScoped, userScope, type AppEnv, type Principal } from "./principal";
import { cachedUserForSession, readSessionCookie } from "./session";

export const TOKEN_PREFIX = "eet_";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A token acts with at most its creator's current role and within the creator's current scope, so
 * demoting, deactivating or deleting the creator takes effect on the next request. A token whose creator
 * is gone (deleted: created_by is set null) no longer works.
 */
async function principalFromToken(env: Env, token: string): Promise<Principal | null> {
  const db = database(env);
  const row = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      companyId: apiTokens.companyId,
      revokedAt: apiTokens.revokedAt,
      creatorId: users.id,
      creatorRole: users.role,
      creatorActive: users.active,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .where(eq(apiTokens.tokenHash, await sha256Hex(token)))
    .get();
  if (!row || row.revokedAt || row.creatorId === null || !row.creatorRole || !row.creatorActive) return null;
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))` })
    .where(eq(apiTokens.id, row.id));
  const creatorScope = userScope({ id: row.creatorId, role: row.creatorRole });
  return {
    kind: "token",
    userId: null,
    tokenId: row.id,
    actingFor: row.creatorId,
    email: null,
    name: row.name,
    role: lowerRole(row.role, row.creatorRole),
    scope: { grantsOf: creatorScope.grantsOf, companyId: row.companyId },
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
    actingFor: user.id,
    scope: userScope(user),
  });
  return next();
});

export function requireRole(min: Role): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roleAtLeast(c.get("principal").role, min)) throw forbidden(`this needs the ${min} role`);
    return next();
  });
}

/**
 * How a route treats scope, declared in its definition (defineRoute):
 * - `filtered`: it reads and writes only what the caller's scope covers (through src/access/scope.ts);
 * - `own`: it touches only the caller's own session or identity;
 * - `shared`: reference data that belongs to no company (e.g. the supplier list), read-only to all;
 * - `global`: global by nature (users, tokens, audit, webhook sources, company writes): refused (403)
 *   to a scoped principal, so a company-scoped admin token can never widen its own reach.
 */
export const SCOPE_RULES = ["filtered", "own", "shared", "global"] as const;
export type ScopeRule = (typeof SCOPE_RULES)[number];

export function requireScope(rule: ScopeRule): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (rule === "global" && isScoped(c.get("principal")))
      throw forbidden("a principal limited to part of the estate cannot use this route");
    return next();
  });
}
