// Carbon API: the grid's intensity now and its 48 h forecast, the on-demand refresh, history, regional
// figures, the generation mix, the best time to run, each site's grid region, and the emissions of a
// meter, a site and the portfolio. Thin: figures from domain.ts and emissions.ts, SQL from store.ts.
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { visibleSites } from "../access/scope";
import { checkSpan, SpanQuery } from "../analytics/schemas";
import { audit } from "../audit/log";
import type { AppEnv } from "../auth/principal";
import { database } from "../db/client";
import { ApiError, badRequest, notFound } from "../http/errors";
import {
  defineRoute,
  errorResponse,
  IdParam,
  jsonBody,
  jsonResponse,
  MpanParam,
  router,
  z,
} from "../http/openapi";
import { lookup } from "../http/record";
import { meterKey } from "../meters/store";
import { getSite } from "../sites/store";
import { MS_PER_MINUTE, MS_PER_PERIOD, utcOffsetMinutesAt } from "../time/settlement";
import {
  bestWindows,
  GRID_REGIONS,
  halfHourFloor,
  INDEX_COLOURS,
  indexFor,
  trendOf,
  type IntensityIndex,
} from "./domain";
import { EMISSION_GRANULARITIES } from "./emissions";
import { estateEmissions, meterEmissionsOf } from "./estate";
import { pollCarbon } from "./poll";
import {
  BestTimesSchema,
  CurrentSchema,
  EstateEmissionsSchema,
  GenerationSchema,
  GridRegionSchema,
  HistorySchema,
  MeterEmissionsSchema,
  RefreshSchema,
  RegionalSchema,
} from "./schemas";
import {
  claimRefresh,
  clearSiteRegion,
  generationBetween,
  lastNationalUpdate,
  nationalAtOrBefore,
  nationalBetween,
  regionalBetween,
  setSiteRegion,
  siteRegion,
  type StoredNational,
} from "./store";

const HOUR = 60 * MS_PER_MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
/** The forecast horizon the API publishes, and so the furthest a load can be planned. */
const HORIZON_MS = 48 * HOUR;
export const REFRESH_EVERY_MS = 60_000;

const withIndex = (r: StoredNational) => indexFor({ ...r, index: r.idx as IntensityIndex | null });
const value = (r: { forecast: number | null; actual: number | null }) => r.actual ?? r.forecast;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const r1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** The site (404 outside the caller's scope) and its grid region. */
async function visibleSiteRegion(c: Context<AppEnv>, siteId: number) {
  const site = await getSite(database(c.env), c.get("principal"), siteId);
  if (!site) throw notFound("site");
  return { site, region: await siteRegion(c.env.DB, siteId) };
}

const gridRegionBody = (siteId: number, region: Awaited<ReturnType<typeof siteRegion>>) => ({
  siteId,
  regionId: region?.regionId ?? null,
  name: region?.regionId ? GRID_REGIONS[region.regionId] : null,
  source: region?.source ?? null,
  outward: region?.outward ?? null,
});

const EmissionsQuery = z.object({ ...SpanQuery, granularity: z.enum(EMISSION_GRANULARITIES).default("day") });
/** Half-hours are listed for at most a month; other buckets for at most a year and a day. */
function emissionsSpan(q: { from: string; to: string; granularity: string }) {
  return checkSpan(q.from, q.to, q.granularity === "hh" ? 31 : 366);
}

const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/, "use a UTC time such as 2026-01-20T12:00Z");

export const carbonRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/carbon-intensity",
      role: "viewer",
      scope: "shared",
      tags: ["carbon"],
      summary:
        "The national grid's carbon intensity now, its band colour and trend, and the next 48 h forecast",
      responses: {
        200: jsonResponse(CurrentSchema, "the current half-hour and the forecast"),
        404: errorResponse("nothing stored yet"),
      },
    }),
    async (c) => {
      const now = Date.now();
      const current = await nationalAtOrBefore(c.env.DB, now);
      if (!current) throw new ApiError(404, "not_found", "no carbon intensity stored yet");
      const start = halfHourFloor(now);
      const ahead = await nationalBetween(
        c.env.DB,
        start + MS_PER_PERIOD,
        start + MS_PER_PERIOD + HORIZON_MS,
      );
      const idx = withIndex(current);
      const demo = await c.env.DB.prepare("SELECT demo FROM carbon_national WHERE start = ?1")
        .bind(current.start)
        .first<{ demo: number }>();
      return c.json(
        {
          from: iso(current.start),
          to: iso(current.start + MS_PER_PERIOD),
          intensity: { forecast: current.forecast, actual: current.actual, index: idx },
          colour: idx ? INDEX_COLOURS[idx] : "#8c959f",
          trend: trendOf(
            value(current) ?? 0,
            ahead
              .slice(0, 4)
              .map((r) => r.forecast)
              .filter((v): v is number => v !== null),
          ),
          forecast: ahead.map((r) => ({
            from: iso(r.start),
            to: iso(r.start + MS_PER_PERIOD),
            forecast: r.forecast,
            index: withIndex(r),
          })),
          updatedAt: await lastNationalUpdate(c.env.DB),
          demo: Boolean(demo?.demo),
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/carbon-intensity/refresh",
      role: "manager",
      // The feed belongs to no company: refreshing it reveals and changes nothing of anyone's estate.
      scope: "shared",
      tags: ["carbon"],
      summary: "Poll the Carbon Intensity API now (at most once a minute per deployment)",
      description:
        "Runs the cron job's poll and answers when it has finished, with what it stored. A second refresh within a minute answers 429 with Retry-After.",
      responses: { 200: jsonResponse(RefreshSchema, "what the poll stored") },
    }),
    async (c) => {
      const wait = await claimRefresh(c.env.DB, Date.now(), REFRESH_EVERY_MS);
      if (wait !== null)
        throw new ApiError(
          429,
          "rate_limited",
          `the feed was refreshed less than a minute ago; try again in ${wait} s`,
          undefined,
          {
            "Retry-After": String(wait),
          },
        );
      const run = await pollCarbon(c.env, new Date());
      await audit(c, "carbon.refresh", {
        detail: { stored: run.stored, updated: run.updated, failures: run.failures.length },
      });
      return c.json(
        { stored: run.stored, updated: run.updated, from: run.from, to: run.to, failures: run.failures },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/carbon-intensity/history",
      role: "viewer",
      scope: "shared",
      tags: ["carbon"],
      summary:
        "The national half-hours of the last 7, 30 or 90 days, their mean, min, max and half-hour-of-day profile",
      description:
        "Figures use the actual where published, else the forecast. The profile is by local (Europe/London) time of day.",
      request: { query: z.object({ days: z.enum(["7", "30", "90"]).default("7") }) },
      responses: { 200: jsonResponse(HistorySchema, "the history") },
    }),
    async (c) => {
      const days = Number(c.req.valid("query").days);
      const to = halfHourFloor(Date.now()) + MS_PER_PERIOD;
      const rows = await nationalBetween(c.env.DB, to - days * 24 * HOUR, to);
      const values = rows.map(value).filter((v): v is number => v !== null);
      const byHalfHour = new Map<string, number[]>();
      for (const r of rows) {
        const v = value(r);
        if (v === null) continue;
        const local = new Date(r.start + utcOffsetMinutesAt(r.start) * MS_PER_MINUTE);
        const key = local.toISOString().slice(11, 16);
        byHalfHour.set(key, [...(byHalfHour.get(key) ?? []), v]);
      }
      const profile = [...byHalfHour.keys()]
        .sort()
        .map((halfHour) => ({ halfHour, mean: r1(mean(byHalfHour.get(halfHour)!)) }));
      return c.json(
        {
          data: rows.map((r) => ({
            from: iso(r.start),
            to: iso(r.start + MS_PER_PERIOD),
            forecast: r.forecast,
            actual: r.actual,
            index: withIndex(r),
          })),
          average: r1(mean(values)),
          min: values.length ? Math.min(...values) : null,
          max: values.length ? Math.max(...values) : null,
          profile,
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/carbon-intensity/regional",
      role: "viewer",
      scope: "shared",
      tags: ["carbon"],
      summary:
        "A grid region's stored forecasts with their generation mix, from 24 h ago to the end of the forecast",
      request: { query: z.object({ region: z.coerce.number().int().min(1).max(17) }) },
      responses: { 200: jsonResponse(RegionalSchema, "the region's half-hours") },
    }),
    async (c) => {
      const { region } = c.req.valid("query");
      const now = halfHourFloor(Date.now());
      const rows = await regionalBetween(c.env.DB, region, now - 24 * HOUR, now + HORIZON_MS + MS_PER_PERIOD);
      return c.json(
        {
          regionId: region,
          name: GRID_REGIONS[region],
          data: rows.map((r) => ({
            from: iso(r.start),
            to: iso(r.start + MS_PER_PERIOD),
            forecast: r.forecast,
            index: indexFor({ ...r, index: r.idx as IntensityIndex | null }),
            generationmix: r.mix ? (JSON.parse(r.mix) as { fuel: string; perc: number }[]) : null,
          })),
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/carbon-intensity/generation",
      role: "viewer",
      scope: "shared",
      tags: ["carbon"],
      summary: "The national generation mix per half-hour (default: the last 24 h; at most 31 days)",
      request: { query: z.object({ from: isoTime.optional(), to: isoTime.optional() }) },
      responses: { 200: jsonResponse(GenerationSchema, "the generation mix") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const to = q.to ? Date.parse(q.to) : halfHourFloor(Date.now()) + MS_PER_PERIOD;
      const from = q.from ? Date.parse(q.from) : to - 24 * HOUR;
      if (Number.isNaN(from)) throw badRequest("from: not a real time", "from");
      if (Number.isNaN(to)) throw badRequest("to: not a real time", "to");
      if (to <= from) throw badRequest("to: must be after from", "to");
      if (to - from > 31 * 24 * HOUR) throw badRequest("to: at most 31 days after from", "to");
      const rows = await generationBetween(c.env.DB, from, to);
      return c.json(
        {
          data: rows.map((r) => ({
            from: iso(r.start),
            to: iso(r.start + MS_PER_PERIOD),
            generationmix: JSON.parse(r.mix) as { fuel: string; perc: number }[],
          })),
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/carbon-intensity/best-times",
      role: "viewer",
      scope: "filtered",
      tags: ["carbon"],
      summary:
        "The cleanest windows to run a flexible load of N hours within the forecast (best first, top 3, not overlapping)",
      description:
        "For the site's grid region when `siteId` is given and its region is known, else nationally. Saving is against starting now.",
      request: {
        query: z.object({
          hours: z.coerce
            .number()
            .min(0.5)
            .max(24)
            .refine((h) => Number.isInteger(h * 2), "use whole half-hours (0.5, 1, 1.5 …)"),
          siteId: z.coerce.number().int().positive().optional(),
        }),
      },
      responses: { 200: jsonResponse(BestTimesSchema, "the best windows") },
    }),
    async (c) => {
      const { hours, siteId } = c.req.valid("query");
      const regionId = siteId ? (await visibleSiteRegion(c, siteId)).region?.regionId : null;
      const now = halfHourFloor(Date.now());
      const end = now + HORIZON_MS;
      const series = regionId
        ? (await regionalBetween(c.env.DB, regionId, now, end)).map((r) => ({
            start: r.start,
            value: r.forecast,
          }))
        : (await nationalBetween(c.env.DB, now, end))
            .map((r) => ({ start: r.start, value: r.forecast ?? r.actual }))
            .filter((r): r is { start: number; value: number } => r.value !== null);
      const r2 = (n: number) => Math.round(n * 100) / 100;
      return c.json(
        bestWindows(series, hours * 2).map((w) => ({
          from: iso(w.from),
          to: iso(w.to),
          meanIntensity: r2(w.meanIntensity),
          saving: r2(w.saving),
          savingPct: r2(w.savingPct),
        })),
        200,
      );
    },
  )
  .openapi(
    ...lookup(
      "/api/sites/{id}/grid-region",
      "A site's grid region: looked up from its postcode's outward code, or chosen by hand",
      GridRegionSchema,
      {
        role: "viewer",
        scope: "filtered",
        tag: "carbon",
        what: "site",
        answers: "the site's grid region (nulls until known)",
        find: async (c, { id }) => gridRegionBody(id, (await visibleSiteRegion(c, id)).region),
      },
    ),
  )
  .openapi(
    defineRoute({
      method: "put",
      path: "/api/sites/{id}/grid-region",
      role: "admin",
      scope: "filtered",
      tags: ["carbon"],
      summary:
        "Choose a site's grid region by hand (null: look it up from the postcode again at the next poll)",
      request: {
        params: IdParam,
        body: jsonBody(z.object({ regionId: z.number().int().min(1).max(17).nullable() }).strict()),
      },
      responses: { 200: jsonResponse(GridRegionSchema, "the site's grid region") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { regionId } = c.req.valid("json");
      await visibleSiteRegion(c, id);
      if (regionId === null) await clearSiteRegion(c.env.DB, id);
      else await setSiteRegion(c.env.DB, id, regionId, "manual", null);
      await audit(c, "site.grid_region", { entity: "site", entityId: String(id), detail: { regionId } });
      return c.json(gridRegionBody(id, await siteRegion(c.env.DB, id)), 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/meters/{mpan}/emissions",
      role: "viewer",
      scope: "filtered",
      tags: ["carbon"],
      summary:
        "A meter's location-based emissions per half-hour, day, week, month or year, and its fixed-factor total",
      description:
        "Each half-hour's kWh × the intensity of that half-hour: the site's regional figure, else the national actual, else the national forecast (`basis`, with kWh `shares` when mixed). kWh no figure matches is `unmatchedKwh`. Gas uses its fixed factor.",
      request: { params: MpanParam, query: EmissionsQuery },
      responses: { 200: jsonResponse(MeterEmissionsSchema, "the meter's emissions") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const span = emissionsSpan(q);
      const found = await meterEmissionsOf(
        database(c.env),
        c.env.DB,
        visibleSites(c.get("principal"), sql`meters.site_id`),
        meterKey(c.req.valid("param").mpan),
        span,
        q.granularity,
      );
      if (!found) throw notFound("meter");
      return c.json(found, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/sites/{id}/emissions",
      role: "viewer",
      scope: "filtered",
      tags: ["carbon"],
      summary: "A site's emissions per fuel (location-based and fixed-factor)",
      request: { params: IdParam, query: EmissionsQuery },
      responses: { 200: jsonResponse(EstateEmissionsSchema, "the site's emissions") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const span = emissionsSpan(q);
      await visibleSiteRegion(c, id);
      const where = sql`${visibleSites(c.get("principal"), sql`meters.site_id`)} AND meters.site_id = ${id}`;
      return c.json(await estateEmissions(database(c.env), c.env.DB, where, span, q.granularity), 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/portfolio/emissions",
      role: "viewer",
      scope: "filtered",
      tags: ["carbon"],
      summary: "The emissions of every site in the caller's scope, per fuel and per site",
      request: { query: EmissionsQuery },
      responses: { 200: jsonResponse(EstateEmissionsSchema, "the portfolio's emissions") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const span = emissionsSpan(q);
      const where = visibleSites(c.get("principal"), sql`meters.site_id`);
      return c.json(await estateEmissions(database(c.env), c.env.DB, where, span, q.granularity), 200);
    },
  );
