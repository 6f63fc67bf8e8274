// Sites API: list/search, create, read, update, delete; every query filtered by what the caller may see.
import type { Principal } from "../auth/principal";
import { getRegion, getVisibleCompany } from "../companies/store";
import { database, type Db } from "../db/client";
import { reaggregateMeters } from "../analytics/aggregate";
import { DEFAULT_WORKING_HOURS as DEFAULT_HOURS, minutesOf } from "../analytics/hours";
import { SITE_TYPES } from "../enums";
import { badRequest, conflict, whenTaken } from "../http/errors";
import { defineRoute, jsonResponse, pageOf, router, searchQuery, windowed, z } from "../http/openapi";
import { change, creation, lookup, visibleById } from "../http/record";
import { refuseWhileInUse, removal } from "../http/removal";
import { normalisePostcode } from "./domain";
import {
  createSite,
  defaultCompanyId,
  deleteSite,
  getSite,
  listSites,
  meterCountForSite,
  meterIdsOfSite,
  updateSite,
} from "./store";

/** A site as the record routes find it: by its `{id}`, when the caller may see it. */
const siteRecord = { what: "site", find: visibleById(getSite) };

const clock = z
  .string()
  .regex(/^(([01]\d|2[0-3]):(00|30)|24:00)$/, "use HH:MM on the half-hour, 00:00–24:00");
const OpeningTimes = z
  .object({ open: clock, close: clock })
  .strict()
  .refine((t) => minutesOf(t.close) > minutesOf(t.open), {
    message: "close must be after open",
    path: ["close"],
  });
/** Local opening times for out-of-hours figures; a null day is closed. */
const WorkingHoursObject = z
  .object({ weekday: OpeningTimes.nullable(), weekend: OpeningTimes.nullable() })
  .strict();
const WorkingHoursSchema = WorkingHoursObject.openapi("WorkingHours", {
  description: "Monday–Friday and Saturday–Sunday opening times (local time)",
});
const Normalisers = z
  .array(
    z
      .object({
        // "floorArea" names floor area in the consumption report.
        name: z
          .string()
          .trim()
          .min(1)
          .max(50)
          .refine((n) => n !== "floorArea", "floorArea is reserved"),
        value: z.number().positive().max(1e12),
      })
      .strict(),
  )
  .max(20)
  .refine((list) => new Set(list.map((n) => n.name)).size === list.length, "normaliser names must differ");

export const SiteSchema = z
  .object({
    id: z.number().int(),
    companyId: z.number().int(),
    companyName: z.string(),
    regionId: z.number().int().nullable(),
    regionName: z.string().nullable(),
    name: z.string(),
    address: z.string().nullable(),
    postcode: z.string().nullable(),
    siteType: z.enum(SITE_TYPES).nullable(),
    floorAreaM2: z.number().nullable(),
    normalisers: z.array(z.object({ name: z.string(), value: z.number() })),
    workingHours: WorkingHoursSchema,
    meterCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("Site");

const postcode = z
  .string()
  .trim()
  .max(10)
  .transform((v, ctx) => {
    if (v === "") return null;
    const pc = normalisePostcode(v);
    if (!pc) ctx.addIssue({ code: "custom", message: `"${v}" is not a UK postcode (e.g. SW1A 1AA)` });
    return pc;
  });

const SiteFields = {
  name: z.string().trim().min(1, "a site needs a name").max(200),
  address: z.string().trim().max(500).nullable().optional(),
  postcode: postcode.nullable().optional(),
  companyId: z.number().int().positive().optional(),
  regionId: z.number().int().positive().nullable().optional(),
  siteType: z.enum(SITE_TYPES).nullable().optional(),
  floorAreaM2: z.number().positive("floor area must be positive").max(10_000_000).nullable().optional(),
  /** Named divisors besides floor area, e.g. `{name: "beds", value: 120}`. */
  normalisers: Normalisers.optional(),
  /** null = the default, Monday–Friday 08:00–18:00. */
  // Inline, not the named schema: a nullable reference came out of openapi-typescript as
  // `WorkingHours & (Record<string, never> | null)`, which no value satisfies.
  workingHours: WorkingHoursObject.nullable().optional(),
};

/** The JSON columns as stored. */
const storedJson = (body: { normalisers?: unknown; workingHours?: unknown }) => ({
  ...(body.normalisers !== undefined ? { normalisers: JSON.stringify(body.normalisers) } : {}),
  ...(body.workingHours !== undefined
    ? { workingHours: body.workingHours === null ? null : JSON.stringify(body.workingHours) }
    : {}),
});
const SiteCreate = z.object(SiteFields).openapi("SiteCreate");
const SitePatch = z
  .object({ ...SiteFields, name: SiteFields.name.optional() })
  .strict()
  .openapi("SitePatch");

export async function assertCompanyUsable(db: Db, p: Principal, companyId: number) {
  if (!(await getVisibleCompany(db, p, companyId)))
    throw badRequest(`company ${companyId} does not exist`, "companyId");
}

export async function assertRegionInCompany(db: Db, regionId: number, companyId: number) {
  const region = await getRegion(db, regionId);
  if (!region) throw badRequest(`region ${regionId} does not exist`, "regionId");
  if (region.companyId !== companyId)
    throw badRequest(`region ${regionId} belongs to another company`, "regionId");
}

const nameTaken = (name: string) => conflict(`the company already has a site named "${name}"`, "name");

export const siteRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/sites",
      role: "viewer",
      scope: "filtered",
      tags: ["sites"],
      summary: "List and search the sites visible to the caller",
      request: {
        query: searchQuery(
          {
            companyId: z.coerce.number().int().positive().optional(),
            regionId: z.coerce.number().int().positive().optional(),
          },
          100,
          500,
        ),
      },
      responses: { 200: jsonResponse(pageOf(SiteSchema), "sites") },
    }),
    async (c) =>
      c.json(await listSites(database(c.env), c.get("principal"), windowed(c.req.valid("query"))), 200),
  )
  .openapi(
    ...creation(
      "/api/sites",
      "Create a site (without companyId it goes to the caller's company scope, else the default company)",
      SiteCreate,
      SiteSchema,
      {
        role: "admin",
        scope: "filtered",
        what: "site",
        taken: { description: "name taken in the company", error: (body) => nameTaken(body.name) },
        create: async (c, body) => {
          const db = database(c.env);
          const p = c.get("principal");
          // A company-scoped principal's sites go to its company; everyone else's to the default company.
          const companyId = body.companyId ?? p.scope.companyId ?? (await defaultCompanyId(db));
          await assertCompanyUsable(db, p, companyId);
          if (body.regionId) await assertRegionInCompany(db, body.regionId, companyId);
          const { normalisers, workingHours, ...columns } = body;
          const row = await createSite(db, {
            ...columns,
            ...storedJson({ normalisers, workingHours }),
            companyId,
          });
          return row && (await getSite(db, p, row.id))!;
        },
      },
    ),
  )
  .openapi(
    ...lookup("/api/sites/{id}", "One site", SiteSchema, {
      role: "viewer",
      scope: "filtered",
      ...siteRecord,
    }),
  )
  .openapi(
    ...change("/api/sites/{id}", "Update a site", SitePatch, SiteSchema, {
      role: "admin",
      scope: "filtered",
      ...siteRecord,
      refusal: "name taken",
      apply: async (c, site, body, { id }) => {
        const db = database(c.env);
        const companyId = body.companyId ?? site.companyId;
        if (body.companyId) await assertCompanyUsable(db, c.get("principal"), companyId);
        const regionId =
          body.regionId === undefined ? (body.companyId ? null : site.regionId) : body.regionId;
        if (regionId) await assertRegionInCompany(db, regionId, companyId);
        const { normalisers, workingHours, ...columns } = body;
        // The UPDATE decides a rename racing another writer for the same name in the company.
        await updateSite(db, id, {
          ...columns,
          ...storedJson({ normalisers, workingHours }),
          companyId,
          regionId,
        }).catch(whenTaken(nameTaken(body.name ?? site.name)));
        const hoursChanged =
          workingHours !== undefined &&
          JSON.stringify(body.workingHours ?? DEFAULT_HOURS) !== JSON.stringify(site.workingHours);
        if (!hoursChanged) return;
        // Out-of-hours figures depend on the hours: the site's meters are aggregated again.
        return async () => {
          const run = await reaggregateMeters(c.env.DB, await meterIdsOfSite(db, id), `site-hours:${id}`);
          if (!run.done) await c.env.IMPORTS.send({ kind: "aggregate" });
        };
      },
    }),
  )
  .openapi(
    ...removal("/api/sites/{id}", "Delete a site that has no meters", {
      role: "admin",
      scope: "filtered",
      ...siteRecord,
      refusal: "the site still has meters",
      remove: async (c, { id }) => {
        const db = database(c.env);
        refuseWhileInUse("the site", await meterCountForSite(db, id), "meter");
        await deleteSite(db, id);
      },
    }),
  );
