// Admin: users, their roles and their access grants (companies, regions, single sites).
import { audit } from "../audit/log";
import { hashPassword } from "../auth/crypto";
import { sessionCache } from "../auth/session";
import { ROLES } from "../enums";
import { database } from "../db/client";
import { badRequest, conflict, found } from "../http/errors";
import { removal } from "../http/removal";
import { defineRoute, IdParam, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { creation, listing } from "../http/record";
import {
  createGrant,
  createUser,
  deleteGrant,
  deleteUser,
  endSessionsOf,
  getUser,
  grantTargetExists,
  listUsers,
  updateUser,
} from "./store";

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

export const userRoutes = router()
  .openapi(
    ...listing(
      "/api/users",
      "All users with their grants",
      UserSchema,
      { role: "admin", scope: "global", answers: "users" },
      (c) => listUsers(database(c.env)),
    ),
  )
  .openapi(
    ...creation("/api/users", "Create a user", UserCreate, UserSchema, {
      role: "admin",
      scope: "global",
      what: "user",
      taken: {
        description: "email taken",
        error: ({ email }) => conflict(`a user with email ${email} exists`, "email"),
      },
      create: async (c, { password, ...body }) =>
        createUser(database(c.env), { ...body, passwordHash: await hashPassword(password) }),
      answer: (row) => ({ ...row, grants: [] }),
      detail: ({ email, role }) => ({ email, role }),
    }),
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
      found(await getUser(db, id), "user");
      if (
        id === c.get("principal").userId &&
        ((body.role && body.role !== "admin") || body.active === false)
      ) {
        throw badRequest("you cannot demote or deactivate yourself", body.role ? "role" : "active");
      }
      const { password: pw, ...rest } = body;
      const row = await updateUser(db, id, {
        ...rest,
        ...(pw ? { passwordHash: await hashPassword(pw) } : {}),
      });
      if (body.active === false || pw || body.role) await endSessionsOf(db, id);
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
    ...removal("/api/users/{id}", "Delete a user", {
      role: "admin",
      scope: "global",
      what: "user",
      remove: async (c, { id }) => {
        if (id === c.get("principal").userId) throw badRequest("you cannot delete yourself", "id");
        if (!(await deleteUser(database(c.env), id))) return false;
        sessionCache.forgetUser(id);
        return true;
      },
    }),
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
      found(await getUser(db, id), "user");
      const key = g.companyId ? "companyId" : g.regionId ? "regionId" : "siteId";
      const target = g[key]!;
      if (!(await grantTargetExists(db, key, target))) {
        throw badRequest(`${key.replace("Id", "")} ${target} does not exist`, key);
      }
      const grant = await createGrant(db, id, g);
      await audit(c, "grant.create", { entity: "user", entityId: id, detail: g });
      return c.json(grant, 201);
    },
  )
  .openapi(
    ...removal("/api/users/{id}/grants/{grantId}", "Remove a grant", {
      role: "admin",
      scope: "global",
      params: IdParam.extend({ grantId: z.coerce.number().int().positive() }),
      what: "grant",
      entity: "user",
      action: "grant.delete",
      remove: async (c, { id, grantId }) =>
        (await deleteGrant(database(c.env), id, grantId)) && { entityId: id, detail: { grantId } },
    }),
  );
