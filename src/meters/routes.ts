// Meters API: MPAN/MPRN-keyed create, read, update, delete, list and search.
import { reaggregateMeters } from "../analytics/aggregate";
import { markMeterStale } from "../analytics/rollups";
import { audit } from "../audit/log";
import type { Principal } from "../auth/principal";
import { database, type Db } from "../db/client";
import { FUELS, METER_STATUSES } from "../enums";
import { badRequest, conflict, found } from "../http/errors";
import {
  defineRoute,
  errorResponse,
  jsonBody,
  jsonResponse,
  MpanParam,
  pageOf,
  router,
  searchQuery,
  windowed,
  z,
} from "../http/openapi";
import { lookup } from "../http/lookup";
import { removal } from "../http/removal";
import { getSite } from "../sites/store";
import { getSupplier } from "../suppliers/store";
import { parseMeterId } from "./mpan";
import { createMeter, deleteMeter, getMeter, listMeters, meterKey, updateMeter } from "./store";

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
    calorificValue: z.number().nullable().openapi({
      description: "gas: calorific value in MJ/m³ for converting imported volumes to kWh (null = 39.5)",
    }),
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
    /** MJ/m³; UK natural gas is about 37–43. */
    calorificValue: z.number().min(20).max(60).nullable().optional(),
  })
  .openapi("MeterCreate");
const MeterPatch = MeterCreate.omit({ mpan: true, fuel: true }).partial().strict().openapi("MeterPatch");

export async function assertSiteUsable(db: Db, p: Principal, siteId: number) {
  if (!(await getSite(db, p, siteId))) throw badRequest(`site ${siteId} does not exist`, "siteId");
}

export async function assertSupplierExists(db: Db, supplierId: number) {
  if (!(await getSupplier(db, supplierId))) {
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
        query: searchQuery(
          { siteId: z.coerce.number().int().positive().optional(), fuel: z.enum(FUELS).optional() },
          200,
          1000,
        ),
      },
      responses: { 200: jsonResponse(pageOf(MeterSchema), "meters") },
    }),
    async (c) =>
      c.json(await listMeters(database(c.env), c.get("principal"), windowed(c.req.valid("query"))), 200),
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
      if (body.fuel !== "gas" && body.calorificValue != null)
        throw badRequest("calorificValue: only gas meters have a calorific value", "calorificValue");
      const db = database(c.env);
      const p = c.get("principal");
      await assertSiteUsable(db, p, body.siteId);
      if (body.supplierId) await assertSupplierExists(db, body.supplierId);
      // One statement decides who wins a race for the same MPAN: the loser inserts nothing and gets 409.
      const created = await createMeter(db, { ...body, mpan: parsed.id });
      if (!created) throw conflict(`meter ${parsed.id} already exists`, "mpan");
      await audit(c, "meter.create", { entity: "meter", entityId: parsed.id, detail: body });
      return c.json((await getMeter(db, p, parsed.id))!, 201);
    },
  )
  .openapi(
    ...lookup("/api/meters/{mpan}", "One meter by MPAN core, full MPAN or MPRN", MeterSchema, {
      role: "viewer",
      scope: "filtered",
      params: MpanParam,
      what: "meter",
      find: (c, { mpan }) => getMeter(database(c.env), c.get("principal"), meterKey(mpan)),
    }),
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
      const before = found(await getMeter(db, p, key), "meter");
      if (before.fuel !== "gas" && body.calorificValue != null)
        throw badRequest("calorificValue: only gas meters have a calorific value", "calorificValue");
      if (body.siteId) await assertSiteUsable(db, p, body.siteId);
      if (body.supplierId) await assertSupplierExists(db, body.supplierId);
      // The old site's roll-ups lose this meter's figures.
      if (body.siteId && body.siteId !== before.siteId) await markMeterStale(c.env.DB, before.id);
      await updateMeter(db, key, body);
      await audit(c, "meter.update", { entity: "meter", entityId: key, detail: body });
      if (body.siteId && body.siteId !== before.siteId) {
        // Out-of-hours figures follow the new site's working hours.
        const run = await reaggregateMeters(c.env.DB, [before.id], `meter-site:${before.id}`);
        if (!run.done) await c.env.IMPORTS.send({ kind: "aggregate" });
      }
      return c.json((await getMeter(db, p, key))!, 200);
    },
  )
  .openapi(
    ...removal("/api/meters/{mpan}", "Delete a meter", {
      role: "admin",
      scope: "filtered",
      params: MpanParam,
      what: "meter",
      entity: "meter",
      remove: async (c, { mpan }) => {
        const key = meterKey(mpan);
        const db = database(c.env);
        const meter = await getMeter(db, c.get("principal"), key);
        if (!meter) return false;
        await markMeterStale(c.env.DB, meter.id); // its site's roll-ups lose its days
        await deleteMeter(db, key);
        return { entityId: key };
      },
    }),
  );
