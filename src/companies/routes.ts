// Companies (estate owners or clients) and the regions that group their sites.
import { audit } from "../audit/log";
import { database } from "../db/client";
import { conflict, found } from "../http/errors";
import { refuseWhileInUse, removal } from "../http/removal";
import { defineRoute, errorResponse, jsonBody, jsonResponse, router, z } from "../http/openapi";
import {
  createCompany,
  createRegion,
  deleteCompany,
  getCompany,
  getVisibleCompany,
  listCompanies,
  listRegions,
  siteCountOfCompany,
} from "./store";

const CompanySchema = z
  .object({ id: z.number().int(), name: z.string(), isDefault: z.boolean() })
  .openapi("Company");
const RegionSchema = z
  .object({ id: z.number().int(), companyId: z.number().int(), name: z.string() })
  .openapi("Region");
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
    async (c) => c.json({ data: await listCompanies(database(c.env), c.get("principal")) }, 200),
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
      const row = await createCompany(database(c.env), name);
      if (!row) throw conflict(`a company named "${name}" exists`, "name");
      await audit(c, "company.create", { entity: "company", entityId: row.id, detail: { name } });
      return c.json(row, 201);
    },
  )
  .openapi(
    ...removal("/api/companies/{id}", "Delete a company that has no sites", {
      role: "admin",
      scope: "global",
      what: "company",
      entity: "company",
      refusal: "the default company, or one that still has sites",
      remove: async (c, { id }) => {
        const db = database(c.env);
        const company = await getCompany(db, id);
        if (!company) return false;
        if (company.isDefault) throw conflict("the default company cannot be deleted");
        refuseWhileInUse("the company", await siteCountOfCompany(db, id), "site");
        await deleteCompany(db, id);
        return true;
      },
    }),
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
      const data = await listRegions(database(c.env), c.get("principal"), c.req.valid("query"));
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
      found(await getVisibleCompany(db, c.get("principal"), companyId), "company");
      const row = await createRegion(db, { name, companyId });
      if (!row) throw conflict(`the company already has a region named "${name}"`, "name");
      await audit(c, "region.create", { entity: "region", entityId: row.id, detail: { name, companyId } });
      return c.json(row, 201);
    },
  );
