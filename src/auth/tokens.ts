// API tokens for lightweight consumers: created by an admin, shown once, stored as SHA-256, revocable.
import { desc, eq, isNull, and } from "drizzle-orm";
import { audit } from "../audit/log";
import { database } from "../db/client";
import { apiTokens, companies } from "../db/schema";
import { badRequest, notFound } from "../http/errors";
import { defineRoute, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { randomToken, sha256Hex } from "./crypto";
import { TOKEN_PREFIX } from "./middleware";
import { ROLES } from "./principal";

const TokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string(),
    role: z.enum(ROLES),
    companyId: z.number().int().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiToken");
const TokenCreate = z.object({
  name: z.string().trim().min(1, "a token needs a name").max(100),
  role: z.enum(ROLES),
  companyId: z.number().int().positive().nullable().optional(),
});
const columns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  role: apiTokens.role,
  companyId: apiTokens.companyId,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

export const tokenRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/tokens",
      role: "admin",
      tags: ["tokens"],
      summary: "API tokens (never the secret itself)",
      responses: { 200: jsonResponse(z.object({ data: z.array(TokenSchema) }), "tokens") },
    }),
    async (c) =>
      c.json(
        { data: await database(c.env).select(columns).from(apiTokens).orderBy(desc(apiTokens.id)) },
        200,
      ),
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/tokens",
      role: "admin",
      tags: ["tokens"],
      summary: "Create a token; the secret is in this response only",
      request: { body: jsonBody(TokenCreate) },
      responses: {
        201: jsonResponse(
          z.object({
            id: z.number().int(),
            token: z.string(),
            name: z.string(),
            role: z.enum(ROLES),
            prefix: z.string(),
          }),
          "created: store the token now, it is never shown again",
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = database(c.env);
      if (
        body.companyId &&
        !(await db.select().from(companies).where(eq(companies.id, body.companyId)).get())
      ) {
        throw badRequest(`company ${body.companyId} does not exist`, "companyId");
      }
      const token = TOKEN_PREFIX + randomToken(32);
      const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
      const row = await db
        .insert(apiTokens)
        .values({
          name: body.name,
          role: body.role,
          companyId: body.companyId ?? null,
          tokenHash: await sha256Hex(token),
          prefix,
          createdBy: c.get("principal").userId,
        })
        .returning({ id: apiTokens.id })
        .get();
      await audit(c, "token.create", {
        entity: "api_token",
        entityId: row.id,
        detail: { name: body.name, role: body.role },
      });
      return c.json({ id: row.id, token, name: body.name, role: body.role, prefix }, 201);
    },
  )
  .openapi(
    defineRoute({
      method: "delete",
      path: "/api/tokens/{id}",
      role: "admin",
      tags: ["tokens"],
      summary: "Revoke a token",
      request: { params: z.object({ id: z.coerce.number().int().positive() }) },
      responses: { 204: { description: "revoked" } },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const db = database(c.env);
      const row = await db
        .update(apiTokens)
        .set({ revokedAt: new Date().toISOString() })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id })
        .get();
      if (!row) throw notFound("active token");
      await audit(c, "token.revoke", { entity: "api_token", entityId: id });
      return c.body(null, 204);
    },
  );
