// API tokens for lightweight consumers: created by an admin, shown once, stored as SHA-256, revocable.
import { audit } from "../audit/log";
import { getCompany } from "../companies/store";
import { database } from "../db/client";
import { badRequest, forbidden } from "../http/errors";
import { removal } from "../http/removal";
import { defineRoute, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { randomToken, sha256Hex } from "./crypto";
import { TOKEN_PREFIX } from "./middleware";
import { ROLES, lowerRole } from "../enums";
import { createToken, listTokens, revokeToken, type TokenRow } from "./token-store";

const TokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string(),
    role: z.enum(ROLES),
    companyId: z.number().int().nullable(),
    createdBy: z
      .object({ id: z.number().int(), email: z.string(), role: z.enum(ROLES), active: z.boolean() })
      .nullable()
      .openapi({
        description: "the admin who made it; null once that user is deleted (the token stops working)",
      }),
    actsAs: z
      .enum(ROLES)
      .nullable()
      .openapi({ description: "the role it acts with now: at most its creator's; null when it cannot act" }),
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

function tokenView({ creatorId, creatorEmail, creatorRole, creatorActive, ...t }: TokenRow) {
  const createdBy =
    creatorId === null
      ? null
      : { id: creatorId, email: creatorEmail!, role: creatorRole!, active: creatorActive! };
  const canAct = createdBy !== null && createdBy.active && t.revokedAt === null;
  return { ...t, createdBy, actsAs: canAct ? lowerRole(t.role, createdBy.role) : null };
}

export const tokenRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/tokens",
      role: "admin",
      scope: "global",
      tags: ["tokens"],
      summary: "API tokens (never the secret itself)",
      responses: { 200: jsonResponse(z.object({ data: z.array(TokenSchema) }), "tokens") },
    }),
    async (c) => c.json({ data: (await listTokens(database(c.env))).map(tokenView) }, 200),
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/tokens",
      role: "admin",
      scope: "global",
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
      const principal = c.get("principal");
      // A token that could mint tokens would outlive its own revocation: credentials come from people.
      if (principal.kind === "token") throw forbidden("API tokens are created by a signed-in admin");
      if (body.companyId && !(await getCompany(db, body.companyId))) {
        throw badRequest(`company ${body.companyId} does not exist`, "companyId");
      }
      const token = TOKEN_PREFIX + randomToken(32);
      const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
      const row = await createToken(db, {
        name: body.name,
        role: body.role,
        companyId: body.companyId ?? null,
        tokenHash: await sha256Hex(token),
        prefix,
        createdBy: principal.userId,
      });
      await audit(c, "token.create", {
        entity: "api_token",
        entityId: row.id,
        detail: { name: body.name, role: body.role },
      });
      return c.json({ id: row.id, token, name: body.name, role: body.role, prefix }, 201);
    },
  )
  .openapi(
    ...removal("/api/tokens/{id}", "Revoke a token", {
      role: "admin",
      scope: "global",
      what: "active token",
      entity: "api_token",
      action: "token.revoke",
      remove: (c, { id }) => revokeToken(database(c.env), id),
    }),
  );
