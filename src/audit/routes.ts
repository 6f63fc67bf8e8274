// Admin: read the audit log, newest first.
import { desc, eq } from "drizzle-orm";
import { database } from "../db/client";
import { auditLog, users } from "../db/schema";
import { defineRoute, jsonResponse, pageField, pageWindow, router, z } from "../http/openapi";

const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actorUserId: z.number().int().nullable(),
    actorTokenId: z.number().int().nullable(),
    actorEmail: z.string().nullable(),
    action: z.string(),
    entity: z.string().nullable(),
    entityId: z.string().nullable(),
    detail: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .openapi("AuditEntry");

export const auditRoutes = router().openapi(
  defineRoute({
    method: "get",
    path: "/api/audit",
    role: "admin",
    scope: "global",
    tags: ["audit"],
    summary: "The audit log: sign-ins, failed sign-ins and every write",
    request: { query: z.object({ page: pageField }) },
    responses: { 200: jsonResponse(z.object({ data: z.array(AuditEntry) }), "entries") },
  }),
  async (c) => {
    const { limit, offset } = pageWindow(c.req.valid("query").page, 100);
    const data = await database(c.env)
      .select({
        id: auditLog.id,
        at: auditLog.at,
        actorUserId: auditLog.actorUserId,
        actorTokenId: auditLog.actorTokenId,
        actorEmail: users.email,
        action: auditLog.action,
        entity: auditLog.entity,
        entityId: auditLog.entityId,
        detail: auditLog.detail,
        ip: auditLog.ip,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .orderBy(desc(auditLog.id))
      .limit(limit)
      .offset(offset);
    return c.json({ data }, 200);
  },
);
