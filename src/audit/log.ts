// The audit log: sign-ins, failed sign-ins and every write, with who did it and from where.
import type { Context } from "hono";
import type { AppEnv } from "../auth/principal";
import { database } from "../db/client";
import { auditLog } from "../db/schema";

export function clientIp(c: Context): string {
  return c.req.header("CF-Connecting-IP") ?? c.req.header("X-Real-IP") ?? "local";
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
