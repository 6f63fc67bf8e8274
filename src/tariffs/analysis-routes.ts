// What energy costs: a meter's bill over a window, switching analyses (run, stored, listed) and the cost
// report per site and supplier. Managers and admins only; everything through the caller's visible sites.
import { checkSpan, isoDate } from "../analytics/schemas";
import { database } from "../db/client";
import { FUELS, type Fuel } from "../enums";
import { badRequest, found } from "../http/errors";
import { csvAttachment, csvLine, wantsCsv } from "../http/csv";
import {
  defineRoute,
  IdParam,
  jsonBody,
  jsonResponse,
  meterOrSiteFields,
  MpanParam,
  pageField,
  pageWindow,
  router,
  z,
} from "../http/openapi";
import { lookup } from "../http/record";
import { meterKey } from "../meters/store";
import { costReport, costSummary, priceReadings, siteCosts } from "./bill";
import { last90Days, meterInputs, pricedTariffs, type Window } from "./pricing";
import { meterOrNotFound } from "./routes";
import {
  getAnalysis,
  lastReadingDate,
  listAnalyses,
  saveAnalysis,
  siteMeters,
  visibleMeters,
  type PricedMeter,
} from "./store";
import { switchingAnalysis, type SwitchingResult } from "./switching";
import { getSite } from "../sites/store";
import { daysBetween } from "../time/settlement";

/** The longest window a bill or analysis prices in one request (a meter-year and some). */
export const MAX_PRICED_DAYS = 400;

const pence = (description = "pence, rounded once to 0.01 p") => z.number().openapi({ description });
const AmountsFields = {
  kwh: z.number(),
  unitsPence: pence(),
  standingPence: pence(),
  cclPence: pence(),
  vatPence: pence(),
  totalPence: pence(),
};
const BandSchema = z.object({ name: z.string(), kwh: z.number(), pence: pence() });
const Unpriced = z.object({ periods: z.number().int(), days: z.number().int(), kwh: z.number() }).openapi({
  description: "half-hours without a dynamic price, and daily-total days a time-of-use tariff cannot price",
});
const Missing = z.object({ periods: z.number().int(), days: z.number().int() });

const CostsSchema = z
  .object({
    mpan: z.string(),
    from: z.string(),
    to: z.string(),
    granularity: z.enum(["day", "month"]),
    data: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        ...AmountsFields,
        bands: z
          .array(z.object({ name: z.string(), pence: pence() }))
          .optional()
          .openapi({
            description: "unitsPence split by band (each rounded once; they may differ by 0.01 p)",
          }),
      }),
    ),
    total: z.object(AmountsFields),
    byBand: z.array(BandSchema),
    missing: Missing,
    unpriced: Unpriced,
    uncoveredDays: z.number().int().openapi({ description: "days of the window with no tariff assigned" }),
    completeness: z.number(),
    tariffs: z.array(z.object({ tariffId: z.number().int(), from: z.string(), to: z.string() })),
  })
  .openapi("MeterCosts");

const FuelCostsSchema = z.object({
  data: CostsSchema.shape.data,
  total: CostsSchema.shape.total,
  byBand: CostsSchema.shape.byBand,
  missing: Missing.openapi({
    description: "summed over the fuel's meters (a meter-day without readings counts once)",
  }),
  unpriced: Unpriced,
  uncoveredDays: z
    .number()
    .int()
    .openapi({ description: "meter-days of the window with no tariff assigned" }),
  completeness: z.number(),
});
const SiteCostsSchema = z
  .object({
    siteId: z.number().int(),
    from: z.string(),
    to: z.string(),
    granularity: z.enum(["day", "month"]),
    fuels: z.object({ electricity: FuelCostsSchema.optional(), gas: FuelCostsSchema.optional() }),
    meters: z.array(z.object({ mpan: z.string(), fuel: z.enum(FUELS), totalPence: pence() })),
  })
  .openapi("SiteCosts");

const Breakdown = z.object({ ...AmountsFields, byBand: z.array(BandSchema), unpriced: Unpriced });
const AnalysisSchema = z
  .object({
    id: z.number().int(),
    mpan: z.string().nullable(),
    siteId: z.number().int(),
    siteName: z.string(),
    createdAt: z.string(),
    createdBy: z.number().int().nullable(),
    from: z.string(),
    to: z.string(),
    fuel: z.enum(FUELS),
    days: z.number().int(),
    meters: z.number().int(),
    current: z.object({
      tariffId: z.number().int().nullable(),
      name: z.string(),
      totalPence: pence().nullable(),
      uncoveredDays: z.number().int(),
      breakdown: Breakdown,
    }),
    alternatives: z.array(
      z.object({
        tariffId: z.number().int(),
        name: z.string(),
        supplier: z.string().nullable(),
        type: z.string(),
        totalPence: pence(),
        savingPence: pence("current total − this total; null with no current tariff").nullable(),
        savingPct: z.number().nullable(),
        breakdown: Breakdown,
      }),
    ),
    annualisedSavingPence: pence("the best saving, window scaled to 365 days").nullable(),
    annualisedNote: z.string(),
    completeness: z.object({
      ratio: z.number(),
      expectedPeriods: z.number().int(),
      presentPeriods: z.number().int(),
      missing: Missing,
    }),
  })
  .openapi("SwitchingAnalysis");

const AnalysisBody = z
  .object({
    mpan: meterOrSiteFields.mpan,
    siteId: z.number().int().positive().optional(),
    fuel: z
      .enum(FUELS)
      .optional()
      .openapi({ description: "a site's meters of this fuel (default: electricity if it has any)" }),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict()
  .refine((b) => (b.mpan === undefined) !== (b.siteId === undefined), {
    message: "give either mpan or siteId",
    path: ["mpan"],
  });

const AnalysisListItem = z.object({
  id: z.number().int(),
  mpan: z.string().nullable(),
  siteId: z.number().int(),
  siteName: z.string(),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  createdBy: z.number().int().nullable(),
  currentTotalPence: z.number().nullable(),
  best: z
    .object({ tariffId: z.number().int(), name: z.string(), savingPence: z.number().nullable() })
    .nullable(),
});

const ReportRow = z.object({
  id: z.number().int().nullable(),
  name: z.string(),
  meters: z.number().int(),
  ...AmountsFields,
});
const CostReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    sites: z.array(ReportRow),
    suppliers: z.array(ReportRow.openapi({ description: "by the supplier of each assigned tariff" })),
    total: z.object(AmountsFields),
  })
  .openapi("CostReport");

/** A window from a request: both dates, or the last 90 days of the meters' data. */
async function windowFor(
  db: Parameters<typeof lastReadingDate>[0],
  meters: PricedMeter[],
  from?: string,
  to?: string,
  field = "mpan",
) {
  let end = to;
  if (!end) {
    const last = await lastReadingDate(
      db,
      meters.map((m) => m.id),
    );
    if (!last && !from) throw badRequest("no readings to analyse: give from and to", field);
    end = from ? (last && last >= from ? last : from) : last!;
  }
  const window: Window = from ? { from, to: end } : last90Days(end);
  checkSpan(window.from, window.to, MAX_PRICED_DAYS);
  return window;
}

type StoredRow = NonNullable<Awaited<ReturnType<typeof getAnalysis>>>;
const storedAnalysis = (row: StoredRow) => ({
  id: row.id,
  mpan: row.mpan,
  siteId: row.siteId,
  siteName: row.siteName,
  createdAt: row.createdAt,
  createdBy: row.createdBy,
  ...(JSON.parse(row.results) as SwitchingResult),
});

/** The window of a bill and how finely to split it. */
const CostsQuery = z.object({
  from: isoDate,
  to: isoDate,
  granularity: z.enum(["day", "month"]).default("day"),
});

export const analysisRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/meters/{mpan}/costs",
      role: "manager",
      scope: "filtered",
      tags: ["tariffs"],
      summary:
        "A meter's bill between two settlement dates (inclusive) under its assigned tariffs, by day or month",
      description:
        "Every half-hour is priced at the rate that applied to it; standing charges per settlement day; CCL on every kWh; VAT on units + standing + CCL. Amounts are rounded once, to 0.01 p half away from zero.",
      request: {
        params: MpanParam,
        query: CostsQuery,
      },
      responses: { 200: jsonResponse(CostsSchema, "the bill") },
    }),
    async (c) => {
      const { from, to, granularity } = c.req.valid("query");
      const db = database(c.env);
      const meter = await meterOrNotFound(db, c.get("principal"), c.req.valid("param").mpan);
      const window = checkSpan(from, to, MAX_PRICED_DAYS);
      const tariffs = await pricedTariffs(db, meter.fuel, window);
      const [input] = await meterInputs(db, [meter], window, tariffs);
      const priced = priceReadings(input.prepared, input.spans, meter.fuel, { dayBands: true });
      return c.json(
        { mpan: meter.mpan, from, to, granularity, ...costSummary(input.prepared, priced, granularity) },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/sites/{id}/costs",
      role: "manager",
      scope: "filtered",
      tags: ["tariffs"],
      summary: "A site's bill between two settlement dates (inclusive): its meters' bills summed, per fuel",
      description:
        "Each meter is priced as GET /api/meters/{mpan}/costs prices it, under its own assignments; a fuel's amounts are the sums of its meters' unrounded amounts, rounded once. A fuel without meters on the site is absent.",
      request: {
        params: IdParam,
        query: CostsQuery,
      },
      responses: { 200: jsonResponse(SiteCostsSchema, "the site's bill") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { from, to, granularity } = c.req.valid("query");
      const db = database(c.env);
      const p = c.get("principal");
      found(await getSite(db, p, id), "site");
      const window = checkSpan(from, to, MAX_PRICED_DAYS);
      const meters = await siteMeters(db, p, id);
      const inputs = await meterInputs(db, meters, window, await pricedTariffs(db, undefined, window));
      const { fuels, meters: perMeter } = siteCosts(inputs, granularity);
      return c.json({ siteId: id, from, to, granularity, fuels, meters: perMeter }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/analyses/switching",
      role: "manager",
      scope: "filtered",
      tags: ["tariffs"],
      summary:
        "Price a meter's (or a site's) consumption under every other active tariff of its fuel, ranked by saving; stored",
      description:
        "Window: `from`–`to` (settlement dates, inclusive), default the last 90 days of data. The annualised saving scales the best saving from the window's days to 365.",
      request: { body: jsonBody(AnalysisBody) },
      responses: { 201: jsonResponse(AnalysisSchema, "the stored analysis") },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = database(c.env);
      const p = c.get("principal");
      let meters: PricedMeter[];
      let fuel: Fuel;
      let siteId: number;
      let siteName: string;
      if (body.mpan !== undefined) {
        const meter = await meterOrNotFound(db, p, body.mpan);
        meters = [meter];
        fuel = meter.fuel;
        siteId = meter.siteId;
        siteName = meter.siteName;
      } else {
        siteId = body.siteId!;
        siteName = found(await getSite(db, p, siteId), "site").name;
        const all = await siteMeters(db, p, siteId);
        fuel = body.fuel ?? (all.some((m) => m.fuel === "electricity") ? "electricity" : "gas");
        meters = all.filter((m) => m.fuel === fuel);
        if (meters.length === 0) throw badRequest(`the site has no ${fuel} meters`, "siteId");
      }
      const window = await windowFor(
        db,
        meters,
        body.from,
        body.to,
        body.mpan !== undefined ? "mpan" : "siteId",
      );
      const tariffs = await pricedTariffs(db, fuel, window);
      const inputs = await meterInputs(db, meters, window, tariffs);
      const alternatives = [...tariffs.values()].filter((t) => t.tariff.active);
      const result = switchingAnalysis(inputs, fuel, alternatives);
      const saved = await saveAnalysis(db, {
        siteId,
        meterId: body.mpan !== undefined ? meters[0].id : null,
        from: window.from,
        to: window.to,
        inputs: { ...body, ...window, fuel },
        results: result,
        createdBy: p.actingFor,
      });
      const mpan = body.mpan !== undefined ? meters[0].mpan : null;
      return c.json(
        {
          id: saved.id,
          mpan,
          siteId,
          siteName,
          createdAt: saved.createdAt,
          createdBy: p.actingFor,
          ...result,
        },
        201,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/analyses/switching",
      role: "manager",
      scope: "filtered",
      tags: ["tariffs"],
      summary: "Stored switching analyses of visible meters and sites, newest first",
      request: {
        query: z.object({
          ...meterOrSiteFields,
          page: pageField,
        }),
      },
      responses: { 200: jsonResponse(z.object({ data: z.array(AnalysisListItem) }), "analyses") },
    }),
    async (c) => {
      const { mpan, siteId, page } = c.req.valid("query");
      const rows = await listAnalyses(database(c.env), c.get("principal"), {
        mpan: mpan ? meterKey(mpan) : undefined,
        siteId,
        ...pageWindow(page, 50),
      });
      const data = rows.map((row) => {
        const r = JSON.parse(row.results) as SwitchingResult;
        const best = r.alternatives[0];
        return {
          id: row.id,
          mpan: row.mpan,
          siteId: row.siteId,
          siteName: row.siteName,
          from: row.from,
          to: row.to,
          createdAt: row.createdAt,
          createdBy: row.createdBy,
          currentTotalPence: r.current.totalPence,
          best: best ? { tariffId: best.tariffId, name: best.name, savingPence: best.savingPence } : null,
        };
      });
      return c.json({ data }, 200);
    },
  )
  .openapi(
    ...lookup("/api/analyses/switching/{id}", "One stored switching analysis", AnalysisSchema, {
      role: "manager",
      scope: "filtered",
      tag: "tariffs",
      what: "analysis",
      find: async (c, { id }) => {
        const row = await getAnalysis(database(c.env), c.get("principal"), id);
        return row && storedAnalysis(row);
      },
    }),
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/reports/costs",
      role: "manager",
      scope: "filtered",
      tags: ["tariffs"],
      summary: "What the visible meters cost between two settlement dates, per site and per supplier",
      description:
        "Each meter is priced under its assignments; suppliers are those of the assigned tariffs. `format=csv` (or `Accept: text/csv`) answers the same rows as CSV with formula-safe cells.",
      request: {
        query: z.object({ from: isoDate, to: isoDate, format: z.enum(["json", "csv"]).optional() }),
      },
      responses: {
        200: {
          description: "rows per site and per supplier",
          content: { "application/json": { schema: CostReportSchema }, "text/csv": { schema: z.string() } },
        },
      },
    }),
    async (c) => {
      const { from, to, format } = c.req.valid("query");
      const window = checkSpan(from, to, MAX_PRICED_DAYS);
      const db = database(c.env);
      const meters = await visibleMeters(db, c.get("principal"));
      const tariffs = await pricedTariffs(db, undefined, window);
      const inputs = await meterInputs(db, meters, window, tariffs);
      const report = { from, to, ...costReport(meters, inputs, daysBetween(from, to) + 1) };
      if (!wantsCsv(format, c.req.header("Accept"))) return c.json(report, 200);
      const columns = ["kwh", "unitsPence", "standingPence", "cclPence", "vatPence", "totalPence"] as const;
      const row = (group: string) => (r: (typeof report.sites)[number]) =>
        csvLine([group, r.id, r.name, r.meters, ...columns.map((k) => r[k])]);
      const header = [
        "group",
        "id",
        "name",
        "meters",
        "kwh",
        "units_pence",
        "standing_pence",
        "ccl_pence",
        "vat_pence",
        "total_pence",
      ];
      return csvAttachment(
        [csvLine(header), ...report.sites.map(row("site")), ...report.suppliers.map(row("supplier"))],
        `costs-${from}-${to}.csv`,
      ) as never;
    },
  );
