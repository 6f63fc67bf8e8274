// Meters API: MPAN/MPRN-keyed create, read, update, delete, list and search.
import { reaggregateMeters } from "../analytics/aggregate";
import { markMeterStale } from "../analytics/rollups";
import type { Context } from "hono";
import type { AppEnv, Principal } from "../auth/principal";
import { database, type Db } from "../db/client";
import { FUELS, METER_STATUSES, type Fuel } from "../enums";
import { badRequest, conflict } from "../http/errors";
import {
  defineRoute,
  jsonResponse,
  MpanParam,
  pageOf,
  router,
  searchQuery,
  windowed,
  z,
} from "../http/openapi";
import { change, creation, lookup } from "../http/record";
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

/** The meter a path's `{mpan}` names, when the caller may see it. */
export const visibleMeter = (c: Context<AppEnv>, { mpan }: { mpan: string }) =>
  getMeter(database(c.env), c.get("principal"), meterKey(mpan));

const meterRecord = { what: "meter", find: visibleMeter };

/** Only a gas meter converts volumes with a calorific value. */
function checkCalorificValue(fuel: Fuel, calorificValue: number | null | undefined) {
  if (fuel !== "gas" && calorificValue != null)
    throw badRequest("calorificValue: only gas meters have a calorific value", "calorificValue");
}

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
    ...creation(
      "/api/meters",
      "Register a meter (a full 21-character MPAN is stored by its core)",
      MeterCreate,
      MeterSchema,
      {
        role: "admin",
        scope: "filtered",
        what: "meter",
        taken: { description: "the meter exists" },
        create: async (c, body) => {
          const parsed = parseMeterId(body.mpan, body.fuel);
          if (!parsed.ok) throw badRequest(`mpan: ${parsed.reason}`, "mpan", "invalid_mpan");
          checkCalorificValue(body.fuel, body.calorificValue);
          const db = database(c.env);
          const p = c.get("principal");
          await assertSiteUsable(db, p, body.siteId);
          if (body.supplierId) await assertSupplierExists(db, body.supplierId);
          // One statement decides who wins a race for the same MPAN: the loser inserts nothing and gets 409.
          if (!(await createMeter(db, { ...body, mpan: parsed.id })))
            throw conflict(`meter ${parsed.id} already exists`, "mpan");
          return (await getMeter(db, p, parsed.id))!;
        },
        entityId: (meter) => meter.mpan,
      },
    ),
  )
  .openapi(
    ...lookup("/api/meters/{mpan}", "One meter by MPAN core, full MPAN or MPRN", MeterSchema, {
      role: "viewer",
      scope: "filtered",
      params: MpanParam,
      ...meterRecord,
    }),
  )
  .openapi(
    ...change("/api/meters/{mpan}", "Update a meter (its MPAN and fuel are fixed)", MeterPatch, MeterSchema, {
      role: "admin",
      scope: "filtered",
      params: MpanParam,
      ...meterRecord,
      apply: async (c, before, body) => {
        checkCalorificValue(before.fuel, body.calorificValue);
        const db = database(c.env);
        if (body.siteId) await assertSiteUsable(db, c.get("principal"), body.siteId);
        if (body.supplierId) await assertSupplierExists(db, body.supplierId);
        const moved = body.siteId !== undefined && body.siteId !== before.siteId;
        // The old site's roll-ups lose this meter's figures.
        if (moved) await markMeterStale(c.env.DB, before.id);
        await updateMeter(db, before.mpan, body);
        if (!moved) return;
        // Out-of-hours figures follow the new site's working hours.
        return async () => {
          const run = await reaggregateMeters(c.env.DB, [before.id], `meter-site:${before.id}`);
          if (!run.done) await c.env.IMPORTS.send({ kind: "aggregate" });
        };
      },
      entityId: (before) => before.mpan,
    }),
  )
  .openapi(
    ...removal("/api/meters/{mpan}", "Delete a meter", {
      role: "admin",
      scope: "filtered",
      params: MpanParam,
      ...meterRecord,
      remove: async (c, _, meter) => {
        await markMeterStale(c.env.DB, meter.id); // its site's roll-ups lose its days
        await deleteMeter(database(c.env), meter.mpan);
        return { entityId: meter.mpan };
      },
    }),
  );
