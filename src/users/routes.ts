// Admin: users, their roles and their access grants (companies, regions, single sites).
import { asc, eq } from "drizzle-orm";
import { audit } from "../audit/log";
import { hashPassword } from "../auth/crypto";
import { sessionCache } from "../auth/session";
import { ROLES } from "../enums";
import { database } from "../db/client";
import { accessGrants, companies, regions, sessions, sites, users } from "../db/schema";
import { badRequest, conflict, notFound } from "../http/errors";
import { defineRoute, errorResponse, jsonBody, jsonResponse, router, z } from "../http/openapi";

const GrantSchema = z
  .object({
    id: z.number().int(),
    companyId: z.number().int().nullable(),
    regionId: z.number().int().nullable(),
    siteId: z.number().int().nullable(),
  })
  .openapi("Grant");
const UserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(ROLES),
    active: z.boolean(),
    createdAt: z.string(),
    grants: z.array(GrantSchema),
  })
  .openapi("User");
const password = z.string().min(8, "a password needs at least 8 characters").max(256);
const UserCreate = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  name: z.string().trim().max(200).nullable().optional(),
  password,
  role: z.enum(ROLES),
});
const UserPatch = z
  .object({
    name: z.string().trim().max(200).nullable(),
    role: z.enum(ROLES),
    active: z.boolean(),
    password,
  })
  .partial()
  .strict();
const GrantCreate = z
  .object({
    companyId: z.number().int().positive().optional(),
    regionId: z.number().int().positive().optional(),
    siteId: z.number().int().positive().optional(),
  })
  .refine((g) => [g.companyId, g.regionId, g.siteId].filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of companyId, regionId or siteId",
    path: ["companyId"],
  });
const IdParam = z.object({ id: z.coerce.number().int().positive() });

const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  createdAt: users.createdAt,
};

export const userRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/users",
      role: "admin",
      scope: "global",
      tags: ["users"],
      summary: "All users with their grants",
      responses: { 200: jsonResponse(z.object({ data: z.array(UserSchema) }), "users") },
    }),
    async (c) => {
      const db = database(c.env);
      const [rows, grants] = await Promise.all([
        db.select(userColumns).from(users).orderBy(asc(users.email)),
        db.select().from(accessGrants),
      ]);
      const data = rows.map((u) => ({
        ...u,
        grants: grants
          .filter((g) => g.userId === u.id)
          .map((g) => ({ id: g.id, companyId: g.companyId, regionId: g.regionId, siteId: g.siteId })),
      }));
      return c.json({ data }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/users",
      role: "admin",
      scope: "global",
      tags: ["users"],
      summary: "Create a user",
      request: { body: jsonBody(UserCreate) },
      responses: { 201: jsonResponse(UserSchema, "created"), 409: errorResponse("email taken") },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = database(c.env);
      if (await db.select().from(users).where(eq(users.email, body.email)).get()) {
        throw conflict(`a user with email ${body.email} exists`, "email");
      }
      const row = await db
        .insert(users)
        .values({
          email: body.email,
          name: body.name ?? null,
          role: body.role,
          passwordHash: await hashPassword(body.password),
        })
        .returning(userColumns)
        .get();
      await audit(c, "user.create", {
        entity: "user",
        entityId: row.id,
        detail: { email: body.email, role: body.role },
      });
      return c.json({ ...row, grants: [] }, 201);
    },
  )
  .openapi(
    defineRoute({
      method: "patch",
      path: "/api/users/{id}",
      role: "admin",
      scope: "global",
      tags: ["users"],
      summary: "Change a user's name, role, password or active flag (deactivating ends their sessions)",
      request: { params: IdParam, body: jsonBody(UserPatch) },
      responses: { 200: jsonResponse(UserSchema.omit({ grants: true }), "updated") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const db = database(c.env);
      if (!(await db.select().from(users).where(eq(users.id, id)).get())) throw notFound("user");
      if (
        id === c.get("principal").userId &&
        ((body.role && body.role !== "admin") || body.active === false)
      ) {
        throw badRequest("you cannot demote or deactivate yourself", body.role ? "role" : "active");
      }
      const { password: pw, ...rest } = body;
      const row = await db
        .update(users)
        .set({ ...rest, ...(pw ? { passwordHash: await hashPassword(pw) } : {}) })
        .where(eq(users.id, id))
        .returning(userColumns)
        .get();
      if (body.active === false || pw || body.role) await db.delete(sessions).where(eq(sessions.userId, id));
      sessionCache.forgetUser(id); // signed-in requests see the new name, role or flag at once
      await audit(c, "user.update", {
        entity: "user",
        entityId: id,
        detail: { ...rest, password: pw ? "changed" : undefined },
      });
      return c.json(row, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "delete",
      path: "/api/users/{id}",
      role: "admin",
      scope: "global",
      tags: ["users"],
      summary: "Delete a user",
      request: { params: IdParam },
      responses: { 204: { description: "deleted" } },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      if (id === c.get("principal").userId) throw badRequest("you cannot delete yourself", "id");
      const db = database(c.env);
      if (!(await db.select().from(users).where(eq(users.id, id)).get())) throw notFound("user");
      await db.delete(users).where(eq(users.id, id));
      sessionCache.forgetUser(id);
      await audit(c, "user.delete", { entity: "user", entityId: id });
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/users/{id}/grants",
      role: "admin",
      scope: "global",
      tags: ["users"],
      summary: "Grant a user a company, a region or a single site",
      request: { params: IdParam, body: jsonBody(GrantCreate) },
      responses: { 201: jsonResponse(GrantSchema, "granted") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const g = c.req.valid("json");
      const db = database(c.env);
      if (!(await db.select().from(users).where(eq(users.id, id)).get())) throw notFound("user");
      const [table, key, value] = g.companyId
        ? ([companies, "companyId", g.companyId] as const)
        : g.regionId
          ? ([regions, "regionId", g.regionId] as const)
          : ([sites, "siteId", g.siteId!] as const);
      if (!(await db.select({ id: table.id }).from(table).where(eq(table.id, value)).get())) {
        throw badRequest(`${key.replace("Id", "")} ${value} does not exist`, key);
      }
      const row = await db
        .insert(accessGrants)
        .values({
          userId: id,
          companyId: g.companyId ?? null,
          regionId: g.regionId ?? null,
          siteId: g.siteId ?? null,
        })
        .returning()
        .get();
      await audit(c, "grant.create", { entity: "user", entityId: id, detail: g });
      return c.json(
        { id: row.id, companyId: row.companyId, regionId: row.regionId, siteId: row.siteId },
        201,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "delete",
      path: "/api/users/{id}/grants/{grantId}",
      role: "admin",
      scope: "global",
      tags: ["users"],
      summary: "Remove a grant",
      request: { params: IdParam.extend({ grantId: z.coerce.number().int().positive() }) },
      responses: { 204: { description: "removed" } },
    }),
    async (c) => {
      const { id, grantId } = c.req.valid("param");
      const db = database(c.env);
      const grant = await db.select().from(accessGrants).where(eq(accessGrants.id, grantId)).get();
      if (!grant || grant.userId !== id) throw notFound("grant");
      await db.delete(accessGrants).where(eq(accessGrants.id, grantId));
      await audit(c, "grant.delete", { entity: "user", entityId: id, detail: { grantId } });
      return c.body(null, 204);
    },
  );
