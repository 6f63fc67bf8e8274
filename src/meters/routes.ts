// Meters API: MPAN/MPRN-keyed create, read, update, delete, list and search.
import { and, eq, sql } from "drizzle-orm";
import { visibleSites } from "../access/scope";
import { audit } from "../audit/log";
import type { Principal } from "../auth/principal";
import { database, type Db } from "../db/client";
import { FUELS, METER_STATUSES } from "../enums";
import { meters, sites, suppliers } from "../db/schema";
import { badRequest, conflict, notFound } from "../http/errors";
import {
  defineRoute,
  errorResponse,
  jsonBody,
  jsonResponse,
  pagingFields,
  pageWindow,
  router,
  z,
} from "../http/openapi";
import { parseMeterId } from "./mpan";
import { getMeter, listMeters, meterKey } from "./store";

export const MeterSchema = z
  .object({
    id: z.number().int(),
    mpan: z.string().openapi({ description: "MPAN core (electricity) or MPRN (gas)" }),
    fuel: z.enum(FUELS),
    siteId: z.number().int(),
    siteName: z.string(),
    supplierId: z.number().int().nullable(),
    supplierName: z.string().nullable(),
    serial: z.string().nullable(),
    name: z.string().nullable(),
    status: z.enum(METER_STATUSES),
  })
  .openapi("Meter");

const MeterCreate = z
  .object({
    mpan: z.string().trim().min(1, "an MPAN or MPRN is required").max(40),
    siteId: z.number().int().positive(),
    fuel: z.enum(FUELS),
    name: z.string().trim().max(200).nullable().optional(),
    supplierId: z.number().int().positive().nullable().optional(),
    serial: z.string().trim().max(100).nullable().optional(),
    status: z.enum(METER_STATUSES).optional(),
  })
  .openapi("MeterCreate");
const MeterPatch = MeterCreate.omit({ mpan: true, fuel: true }).partial().strict().openapi("MeterPatch");
const MpanParam = z.object({ mpan: z.string().min(1).max(40) });

export async function assertSiteUsable(db: Db, p: Principal, siteId: number) {
  const row = await db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.id, siteId), visibleSites(p, sql`${sites.id}`)))
    .get();
  if (!row) throw badRequest(`site ${siteId} does not exist`, "siteId");
}

export async function assertSupplierExists(db: Db, supplierId: number) {
  if (!(await db.select().from(suppliers).where(eq(suppliers.id, supplierId)).get())) {
    throw badRequest(`supplier ${supplierId} does not exist`, "supplierId");
  }
}

export const meterRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/meters",
      role: "viewer",
      scope: "filtered",
      tags: ["meters"],
      summary: "List and search the meters visible to the caller",
      request: {
        query: z.object({
          q: z.string().max(200).optional(),
          siteId: z.coerce.number().int().positive().optional(),
          fuel: z.enum(FUELS).optional(),
          ...pagingFields(200, 1000),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ data: z.array(MeterSchema), total: z.number().int() }), "meters"),
      },
    }),
    async (c) => {
      const { page, pageSize, ...filter } = c.req.valid("query");
      const result = await listMeters(database(c.env), c.get("principal"), {
        ...filter,
        ...pageWindow(page, pageSize),
      });
      return c.json(result, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/meters",
      role: "admin",
      scope: "filtered",
      tags: ["meters"],
      summary: "Register a meter (a full 21-character MPAN is stored by its core)",
      request: { body: jsonBody(MeterCreate) },
      responses: {
        201: jsonResponse(MeterSchema, "created"),
        409: errorResponse("the meter exists"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const parsed = parseMeterId(body.mpan, body.fuel);
      if (!parsed.ok) throw badRequest(`mpan: ${parsed.reason}`, "mpan", "invalid_mpan");
      const db = database(c.env);
      const p = c.get("principal");
      await assertSiteUsable(db, p, body.siteId);
      if (body.supplierId) await assertSupplierExists(db, body.supplierId);
      // One statement decides who wins a race for the same MPAN: the loser inserts nothing and gets 409.
      const created = await db
        .insert(meters)
        .values({
          mpan: parsed.id,
          fuel: body.fuel,
          siteId: body.siteId,
          name: body.name ?? null,
          supplierId: body.supplierId ?? null,
          serial: body.serial ?? null,
          status: body.status ?? "active",
        })
        .onConflictDoNothing({ target: meters.mpan })
        .returning({ id: meters.id })
        .get();
      if (!created) throw conflict(`meter ${parsed.id} already exists`, "mpan");
      await audit(c, "meter.create", { entity: "meter", entityId: parsed.id, detail: body });
      return c.json((await getMeter(db, p, parsed.id))!, 201);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/meters/{mpan}",
      role: "viewer",
      scope: "filtered",
      tags: ["meters"],
      summary: "One meter by MPAN core, full MPAN or MPRN",
      request: { params: MpanParam },
      responses: { 200: jsonResponse(MeterSchema, "the meter") },
    }),
    async (c) => {
      const meter = await getMeter(database(c.env), c.get("principal"), meterKey(c.req.valid("param").mpan));
      if (!meter) throw notFound("meter");
      return c.json(meter, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "patch",
      path: "/api/meters/{mpan}",
      role: "admin",
      scope: "filtered",
      tags: ["meters"],
      summary: "Update a meter (its MPAN and fuel are fixed)",
      request: { params: MpanParam, body: jsonBody(MeterPatch) },
      responses: { 200: jsonResponse(MeterSchema, "updated") },
    }),
    async (c) => {
      const key = meterKey(c.req.valid("param").mpan);
      const body = c.req.valid("json");
      const db = database(c.env);
      const p = c.get("principal");
      if (!(await getMeter(db, p, key))) throw notFound("meter");
      if (body.siteId) await assertSiteUsable(db, p, body.siteId);
      if (body.supplierId) await assertSupplierExists(db, body.supplierId);
      await db
        .update(meters)
        .set({ ...body, updatedAt: new Date().toISOString() })
        .where(eq(meters.mpan, key));
      await audit(c, "meter.update", { entity: "meter", entityId: key, detail: body });
      return c.json((await getMeter(db, p, key))!, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "delete",
      path: "/api/meters/{mpan}",
      role: "admin",
      scope: "filtered",
      tags: ["meters"],
      summary: "Delete a meter",
      request: { params: MpanParam },
      responses: { 204: { description: "deleted" } },
    }),
    async (c) => {
      const key = meterKey(c.req.valid("param").mpan);
      const db = database(c.env);
      if (!(await getMeter(db, c.get("principal"), key))) throw notFound("meter");
      await db.delete(meters).where(eq(meters.mpan, key));
      await audit(c, "meter.delete", { entity: "meter", entityId: key });
      return c.body(null, 204);
    },
  );
