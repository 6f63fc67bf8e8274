// Tariffs API: tariffs (global configuration: managers read, admins write), dynamic price series, and
// meters' dated tariff assignments (scoped: a meter outside the caller's grants is 404).
import { expectedPeriods as expectedPeriodsOf } from "../analytics/calendar";
import { audit } from "../audit/log";
import type { Context } from "hono";
import type { AppEnv, Principal } from "../auth/principal";
import { checkSpan, isoDate } from "../analytics/schemas";
import { database, type Db } from "../db/client";
import { FUELS } from "../enums";
import { ApiError, badRequest, conflict, found } from "../http/errors";
import { defineRoute, errorResponse, IdParam, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { change, creation, lookup } from "../http/record";
import { removal } from "../http/removal";
import { getMeter, meterKey } from "../meters/store";
import { assertSupplierExists } from "../meters/routes";
import { MS_PER_PERIOD, periodStartUtc } from "../time/settlement";
import type { DayPrices } from "./bill";
import { TariffBody, TariffPatch, TariffSchema, tariffProblem, type TariffInput } from "./model";
import { parsePriceCsv, parsePriceJson, type PriceProblem } from "./prices";
import {
  assign,
  assignments,
  createTariff,
  deleteTariff,
  getTariff,
  listTariffs,
  readPrices,
  storePrices,
  tariffAssigned,
  updateTariff,
} from "./store";

/** The largest price upload taken in one request. */
const PRICES_MAX_BYTES = 5 * 1024 * 1024;

const MpanParam = z.object({ mpan: z.string().min(1).max(40) });

const AssignmentSchema = z
  .object({
    id: z.number().int(),
    tariffId: z.number().int(),
    tariffName: z.string(),
    from: z.string(),
    to: z.string().nullable().openapi({ description: "inclusive; null = open-ended" }),
  })
  .openapi("TariffAssignment");
const AssignmentBody = z
  .object({ tariffId: z.number().int().positive(), from: isoDate, to: isoDate.nullable().optional() })
  .strict();

const PricesSchema = z
  .object({
    tariffId: z.number().int(),
    data: z.array(
      z.object({
        date: z.string().openapi({ description: "settlement date" }),
        period: z.number().int(),
        validFrom: z.string(),
        validTo: z.string(),
        valueExcVat: z.number().openapi({ description: "pence per kWh, excluding VAT" }),
      }),
    ),
    missing: z.number().int().openapi({ description: "half-hours of the range without a price" }),
  })
  .openapi("TariffPrices");

/** A whole tariff's rules checked (400 naming the field, a band by its index) and its supplier known. */
async function checkTariff(db: Db, t: TariffInput) {
  const problem = tariffProblem(t);
  if (problem) throw badRequest(problem.message, problem.field);
  if (t.supplierId) await assertSupplierExists(db, t.supplierId);
}

const priceProblem = (p: PriceProblem) =>
  badRequest(p.line === undefined ? p.message : `line ${p.line}: ${p.message}`, p.field);

/** A meter named in the path, if the caller may see it; 404 otherwise (outside the grants or unknown alike). */
export async function meterOrNotFound(db: Db, p: Principal, mpan: string) {
  return found(await getMeter(db, p, meterKey(mpan)), "meter");
}

/** A tariff by its `{id}` (tariffs are shared: no scope narrows them). */
const tariffRecord = {
  what: "tariff",
  find: (c: Context<AppEnv>, { id }: { id: number }) => getTariff(database(c.env), id),
};

export const tariffRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/tariffs",
      role: "manager",
      scope: "shared",
      tags: ["tariffs"],
      summary: "All tariffs (global configuration), by fuel and name",
      request: {
        query: z.object({
          fuel: z.enum(FUELS).optional(),
          active: z.enum(["true", "false"]).optional(),
        }),
      },
      responses: { 200: jsonResponse(z.object({ data: z.array(TariffSchema) }), "tariffs") },
    }),
    async (c) => {
      const { fuel, active } = c.req.valid("query");
      const data = await listTariffs(database(c.env), {
        fuel,
        active: active === undefined ? undefined : active === "true",
      });
      return c.json({ data }, 200);
    },
  )
  .openapi(
    ...creation("/api/tariffs", "Add a tariff", TariffBody, TariffSchema, {
      role: "admin",
      scope: "global",
      description:
        "Rates exclude VAT. `flat` needs `unitRatePence`; `tou` needs `bands` that cover every day once (a gap or overlap is 400 naming the band, e.g. `bands.1`); `dynamic` prices come from POST /api/tariffs/{id}/prices.",
      what: "tariff",
      create: async (c, body) => {
        const db = database(c.env);
        await checkTariff(db, body);
        return (await getTariff(db, await createTariff(db, body)))!;
      },
    }),
  )
  .openapi(
    ...lookup("/api/tariffs/{id}", "One tariff", TariffSchema, {
      role: "manager",
      scope: "shared",
      ...tariffRecord,
    }),
  )
  .openapi(
    ...change(
      "/api/tariffs/{id}",
      "Change a tariff (the whole tariff is checked again, bands included)",
      TariffPatch,
      TariffSchema,
      {
        role: "admin",
        scope: "global",
        ...tariffRecord,
        apply: async (c, before, body, { id }) => {
          const db = database(c.env);
          if (body.fuel && body.fuel !== before.fuel && (await tariffAssigned(db, id)))
            throw conflict("the tariff is assigned to meters: its fuel cannot change", "fuel");
          // The whole tariff as it would be after the change, checked as a new one would be.
          await checkTariff(db, { ...before, ...body } as TariffInput);
          await updateTariff(db, id, body);
        },
      },
    ),
  )
  .openapi(
    ...removal(
      "/api/tariffs/{id}",
      "Delete a tariff no meter is assigned to (set it inactive instead to keep its history)",
      {
        role: "admin",
        scope: "global",
        what: "tariff",
        refusal: "assigned to a meter",
        done: "deleted",
        remove: async (c, { id }) => {
          const outcome = await deleteTariff(database(c.env), id);
          if (outcome === "assigned")
            throw conflict("the tariff is assigned to meters: remove the assignments or set it inactive");
          return outcome !== "missing";
        },
      },
    ),
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/tariffs/{id}/prices",
      role: "admin",
      scope: "global",
      tags: ["tariffs"],
      summary: "Upload a dynamic tariff's prices per half-hour (CSV or the supplier's JSON)",
      description:
        "Body: `text/csv` with a header `valid_from,valid_to,value_exc_vat`, or `application/json` shaped " +
        '`{"results":[{"value_exc_vat","value_inc_vat","valid_from","valid_to"}]}`. Times carry a zone and ' +
        "fall on half-hours; prices are pence per kWh excluding VAT and replace stored ones half-hour by half-hour.",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(
          z.object({ stored: z.number().int(), from: z.string(), to: z.string() }).openapi("PricesStored"),
          "half-hours stored, and the UTC span they cover",
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const db = database(c.env);
      const tariff = found(await getTariff(db, id), "tariff");
      if (tariff.type !== "dynamic") throw badRequest("only a dynamic tariff has a price series", "type");
      if (Number(c.req.header("Content-Length") ?? 0) > PRICES_MAX_BYTES)
        throw new ApiError(413, "payload_too_large", "a price upload is limited to 5 MB");
      const type = (c.req.header("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
      const text = await c.req.text();
      if (text.length > PRICES_MAX_BYTES)
        throw new ApiError(413, "payload_too_large", "a price upload is limited to 5 MB");
      let parsed;
      if (type === "application/json") {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new ApiError(400, "invalid_json", "the body is not valid JSON");
        }
        parsed = parsePriceJson(body);
      } else if (type === "text/csv" || type === "text/plain") parsed = parsePriceCsv(text);
      else
        throw new ApiError(415, "unsupported_media_type", "send the prices as text/csv or application/json");
      if (!("days" in parsed)) throw priceProblem(parsed);
      await storePrices(db, id, parsed.days);
      await audit(c, "tariff.prices", {
        entity: "tariff",
        entityId: id,
        detail: { stored: parsed.stored, from: parsed.from, to: parsed.to },
      });
      return c.json({ stored: parsed.stored, from: parsed.from, to: parsed.to }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/tariffs/{id}/prices",
      role: "manager",
      scope: "shared",
      tags: ["tariffs"],
      summary: "A dynamic tariff's prices between two settlement dates (inclusive)",
      request: { params: IdParam, query: z.object({ from: isoDate, to: isoDate }) },
      responses: { 200: jsonResponse(PricesSchema, "one entry per half-hour with a price") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { from, to } = c.req.valid("query");
      checkSpan(from, to, 400);
      const data: z.infer<typeof PricesSchema>["data"] = [];
      const db = database(c.env);
      found(await getTariff(db, id), "tariff");
      const days: DayPrices = (await readPrices(db, [id], from, to)).get(id) ?? new Map();
      let present = 0;
      for (const [date, prices] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const first = periodStartUtc(date, 1);
        prices.forEach((value, i) => {
          if (value === null) return;
          present++;
          const start = first + i * MS_PER_PERIOD;
          data.push({
            date,
            period: i + 1,
            validFrom: new Date(start).toISOString(),
            validTo: new Date(start + MS_PER_PERIOD).toISOString(),
            valueExcVat: value,
          });
        });
      }
      return c.json({ tariffId: id, data, missing: expectedPeriodsOf({ from, to }) - present }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/meters/{mpan}/tariffs",
      role: "manager",
      scope: "filtered",
      tags: ["tariffs"],
      summary: "A meter's dated tariff assignments, oldest first",
      request: { params: MpanParam },
      responses: { 200: jsonResponse(z.object({ data: z.array(AssignmentSchema) }), "assignments") },
    }),
    async (c) => {
      const db = database(c.env);
      const meter = await meterOrNotFound(db, c.get("principal"), c.req.valid("param").mpan);
      const rows = await assignments(db, [meter.id]);
      return c.json({ data: rows.map(({ meterId: _, ...a }) => a) }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/meters/{mpan}/tariffs",
      role: "admin",
      scope: "filtered",
      tags: ["tariffs"],
      summary: "Assign a tariff to a meter from a settlement date (to another, inclusive, or open-ended)",
      description:
        "Dates that overlap another of the meter's assignments answer 409; the tariff's fuel must be the meter's.",
      request: { params: MpanParam, body: jsonBody(AssignmentBody) },
      responses: {
        201: jsonResponse(z.object({ data: z.array(AssignmentSchema) }), "the meter's assignments"),
        409: errorResponse("overlaps another assignment"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = database(c.env);
      const meter = await meterOrNotFound(db, c.get("principal"), c.req.valid("param").mpan);
      if (body.to && body.to < body.from) throw badRequest("to: must not be before from", "to");
      checkSpan(body.from, body.to ?? body.from);
      const tariff = await getTariff(db, body.tariffId);
      if (!tariff) throw badRequest(`tariff ${body.tariffId} does not exist`, "tariffId");
      if (tariff.fuel !== meter.fuel)
        throw badRequest(`a ${tariff.fuel} tariff cannot price a ${meter.fuel} meter`, "tariffId");
      const id = await assign(db, meter.id, tariff.id, body.from, body.to ?? null);
      if (id === undefined)
        throw conflict("these dates overlap another of the meter's tariff assignments", "from");
      await audit(c, "meter.tariff", { entity: "meter", entityId: meter.mpan, detail: body });
      const rows = await assignments(db, [meter.id]);
      return c.json({ data: rows.map(({ meterId: _, ...a }) => a) }, 201);
    },
  );
