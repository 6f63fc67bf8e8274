// Companies (estate owners or clients) and the regions that group their sites.
import { database } from "../db/client";
import { conflict, found } from "../http/errors";
import { refuseWhileInUse, removal } from "../http/removal";
import { defineRoute, jsonResponse, router, z } from "../http/openapi";
import { creation, listing } from "../http/record";
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
const RegionBody = NameBody.extend({ companyId: z.number().int().positive() });

export const companyRoutes = router()
  .openapi(
    ...listing(
      "/api/companies",
      "Companies visible to the caller",
      CompanySchema,
      { role: "viewer", scope: "filtered", answers: "companies" },
      (c) => listCompanies(database(c.env), c.get("principal")),
    ),
  )
  .openapi(
    ...creation("/api/companies", "Create a company", NameBody, CompanySchema, {
      role: "admin",
      scope: "global",
      what: "company",
      taken: {
        description: "name taken",
        error: ({ name }) => conflict(`a company named "${name}" exists`, "name"),
      },
      create: (c, { name }) => createCompany(database(c.env), name),
    }),
  )
  .openapi(
    ...removal("/api/companies/{id}", "Delete a company that has no sites", {
      role: "admin",
      scope: "global",
      what: "company",
      refusal: "the default company, or one that still has sites",
      find: (c, { id }) => getCompany(database(c.env), id),
      remove: async (c, { id }, company) => {
        if (company.isDefault) throw conflict("the default company cannot be deleted");
        const db = database(c.env);
        refuseWhileInUse("the company", await siteCountOfCompany(db, id), "site");
        await deleteCompany(db, id);
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
    ...creation("/api/regions", "Create a region within a company", RegionBody, RegionSchema, {
      role: "admin",
      scope: "filtered",
      tag: "companies",
      what: "region",
      taken: {
        description: "name taken",
        error: ({ name }) => conflict(`the company already has a region named "${name}"`, "name"),
      },
      create: async (c, { name, companyId }) => {
        const db = database(c.env);
        found(await getVisibleCompany(db, c.get("principal"), companyId), "company");
        return createRegion(db, { name, companyId });
      },
    }),
  );
