// The audit log: sign-ins, failed sign-ins and every write, with who did it and from where.
import type { Context } from "hono";
import type { AppEnv } from "../auth/principal";
import { database } from "../db/client";
import { auditLog } from "../db/schema";

/**
 * The client's IP when it can be believed: CF-Connecting-IP is set by Cloudflare's edge, which replaces
 * any value the client sent, so it is trusted on a deployed Worker (APP_ENV=production, which
 * `npm run deploy` sets). Locally (`wrangler dev`, tests) any client can send the header, so it counts
 * only where TRUST_CF_CONNECTING_IP is "true" (the test suite sets it to play several clients).
 */
export function trustedClientIp(req: Request, env: Env): string | null {
  const trusted = env.APP_ENV === "production" || env.TRUST_CF_CONNECTING_IP === "true";
  return (trusted && req.headers.get("CF-Connecting-IP")?.trim()) || null;
}

/** The IP the sign-in throttle keys on and the audit log records; every unknown client is "local". */
export function clientIp(c: Context<AppEnv>): string {
  return trustedClientIp(c.req.raw, c.env) ?? "local";
}

export async function audit(
  c: Context<AppEnv>,
  action: string,
  entry: {
    entity?: string;
    entityId?: string | number | null;
    detail?: unknown;
    userId?: number | null;
  } = {},
): Promise<void> {
  const principal = c.get("principal") as AppEnv["Variables"]["principal"] | undefined;
  await database(c.env)
    .insert(auditLog)
    .values({
      actorUserId: entry.userId ?? principal?.userId ?? null,
      actorTokenId: principal?.tokenId ?? null,
      action,
      entity: entry.entity ?? null,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      detail: entry.detail == null ? null : JSON.stringify(entry.detail),
      ip: clientIp(c),
    });
}
