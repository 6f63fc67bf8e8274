// Companies (estate owners or clients) and the regions that group their sites.
import { and, asc, eq, sql } from "drizzle-orm";
import { visibleCompanies, visibleRegions } from "../access/scope";
import { audit } from "../audit/log";
import { database } from "../db/client";
import { companies, regions, sites } from "../db/schema";
import { conflict, notFound } from "../http/errors";
import { defineRoute, errorResponse, jsonBody, jsonResponse, router, z } from "../http/openapi";

const CompanySchema = z
  .object({ id: z.number().int(), name: z.string(), isDefault: z.boolean() })
  .openapi("Company");
const RegionSchema = z
  .object({ id: z.number().int(), companyId: z.number().int(), name: z.string() })
  .openapi("Region");
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const NameBody = z.object({ name: z.string().trim().min(1).max(200) });

export const companyRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/companies",
      role: "viewer",
      scope: "filtered",
      tags: ["companies"],
      summary: "Companies visible to the caller",
      responses: { 200: jsonResponse(z.object({ data: z.array(CompanySchema) }), "companies") },
    }),
    async (c) => {
      const p = c.get("principal");
      const data = await database(c.env)
        .select({ id: companies.id, name: companies.name, isDefault: companies.isDefault })
        .from(companies)
        .where(visibleCompanies(p, sql`${companies.id}`))
        .orderBy(asc(companies.name));
      return c.json({ data }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/companies",
      role: "admin",
      scope: "global",
      tags: ["companies"],
      summary: "Create a company",
      request: { body: jsonBody(NameBody) },
      responses: { 201: jsonResponse(CompanySchema, "created"), 409: errorResponse("name taken") },
    }),
    async (c) => {
      const { name } = c.req.valid("json");
      const db = database(c.env);
      const existing = await db.select().from(companies).where(eq(companies.name, name)).get();
      if (existing) throw conflict(`a company named "${name}" exists`, "name");
      const row = await db.insert(companies).values({ name }).returning().get();
      await audit(c, "company.create", { entity: "company", entityId: row.id, detail: { name } });
      return c.json({ id: row.id, name: row.name, isDefault: row.isDefault }, 201);
    },
  )
  .openapi(
    defineRoute({
      method: "delete",
      path: "/api/companies/{id}",
      role: "admin",
      scope: "global",
      tags: ["companies"],
      summary: "Delete a company that has no sites",
      request: { params: IdParam },
      responses: { 204: { description: "deleted" }, 409: errorResponse("still has sites") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const db = database(c.env);
      const company = await db.select().from(companies).where(eq(companies.id, id)).get();
      if (!company) throw notFound("company");
      if (company.isDefault) throw conflict("the default company cannot be deleted");
      const count = await db.$count(sites, eq(sites.companyId, id));
      if (count > 0) throw conflict(`the company still has ${count} sites; move or delete them first`);
      await db.delete(companies).where(eq(companies.id, id));
      await audit(c, "company.delete", { entity: "company", entityId: id });
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/regions",
      role: "viewer",
      scope: "filtered",
      tags: ["companies"],
      summary: "Regions visible to the caller",
      request: { query: z.object({ companyId: z.coerce.number().int().positive().optional() }) },
      responses: { 200: jsonResponse(z.object({ data: z.array(RegionSchema) }), "regions") },
    }),
    async (c) => {
      const { companyId } = c.req.valid("query");
      const p = c.get("principal");
      const data = await database(c.env)
        .select({ id: regions.id, companyId: regions.companyId, name: regions.name })
        .from(regions)
        .where(
          and(
            visibleRegions(p, sql`${regions.id}`, sql`${regions.companyId}`),
            companyId ? eq(regions.companyId, companyId) : undefined,
          ),
        )
        .orderBy(asc(regions.name));
      return c.json({ data }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/regions",
      role: "admin",
      scope: "filtered",
      tags: ["companies"],
      summary: "Create a region within a company",
      request: { body: jsonBody(NameBody.extend({ companyId: z.number().int().positive() })) },
      responses: { 201: jsonResponse(RegionSchema, "created"), 409: errorResponse("name taken") },
    }),
    async (c) => {
      const { name, companyId } = c.req.valid("json");
      const db = database(c.env);
      const visible = and(
        eq(companies.id, companyId),
        visibleCompanies(c.get("principal"), sql`${companies.id}`),
      );
      if (!(await db.select().from(companies).where(visible).get())) throw notFound("company");
      const dup = await db
        .select()
        .from(regions)
        .where(and(eq(regions.companyId, companyId), eq(regions.name, name)))
        .get();
      if (dup) throw conflict(`the company already has a region named "${name}"`, "name");
      const row = await db.insert(regions).values({ name, companyId }).returning().get();
      await audit(c, "region.create", { entity: "region", entityId: row.id, detail: { name, companyId } });
      return c.json({ id: row.id, companyId: row.companyId, name: row.name }, 201);
    },
  );
