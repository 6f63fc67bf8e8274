// Consumption analytics API: a meter's summary, a site's and the portfolio's consumption, the consumption
// report (manager+) and the admin rebuild. Thin: figures come from consumption.ts, SQL from store.ts.
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { visibleSites } from "../access/scope";
import { audit } from "../audit/log";
import type { AppEnv } from "../auth/principal";
import { database } from "../db/client";
import { FUELS } from "../enums";
import { meters } from "../db/schema";
import { csvLine } from "../http/csv";
import { notFound } from "../http/errors";
import { defineRoute, jsonResponse, router, z } from "../http/openapi";
import { meterKey } from "../meters/store";
import { runExecution } from "../scheduler/executions";
import { aggregatePending, rebuildAll } from "./aggregate";
import { GRANULARITIES } from "./calendar";
import {
  comparedSpans,
  consumptionReport,
  estateConsumption,
  estateScope,
  meterSummary,
} from "./consumption";
import {
  checkSpan,
  PortfolioSchema,
  RebuildSchema,
  ReportSchema,
  SiteConsumptionSchema,
  SpanQuery,
  SummarySchema,
} from "./schemas";
import { meterDays } from "./store";

const visibleTo = (c: Context<AppEnv>) => (column: ReturnType<typeof sql>) =>
  visibleSites(c.get("principal"), column);

export const analyticsRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/meters/{mpan}/summary",
      role: "viewer",
      scope: "filtered",
      tags: ["analytics"],
      summary: "A meter's figures over a range, against the previous span and the same span a year earlier",
      request: { params: z.object({ mpan: z.string().min(1).max(40) }), query: z.object(SpanQuery) },
      responses: { 200: jsonResponse(SummarySchema, "the meter's figures") },
    }),
    async (c) => {
      const { from, to } = c.req.valid("query");
      const spans = comparedSpans(checkSpan(from, to));
      const found = await meterDays(
        database(c.env),
        meterKey(c.req.valid("param").mpan),
        visibleSites(c.get("principal"), sql`${meters.siteId}`),
        spans,
      );
      if (!found) throw notFound("meter");
      const [a, b, l] = found.days;
      return c.json(meterSummary(found.meter, spans, [a, b, l]), 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/sites/{id}/consumption",
      role: "viewer",
      scope: "filtered",
      tags: ["analytics"],
      summary: "A site's consumption per fuel, with its series, comparisons, normalised figures and meters",
      request: {
        params: z.object({ id: z.coerce.number().int().positive() }),
        query: z.object({ ...SpanQuery, granularity: z.enum(GRANULARITIES).default("day") }),
      },
      responses: { 200: jsonResponse(SiteConsumptionSchema, "the site's consumption") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { from, to, granularity } = c.req.valid("query");
      const span = checkSpan(from, to);
      const scope = estateScope(visibleTo(c), id);
      const result = await estateConsumption(database(c.env), scope, span, granularity);
      if (!result.found) throw notFound("site");
      const { fuels, meters, updatedAt } = result;
      return c.json({ siteId: id, ...span, granularity, updatedAt, fuels, meters }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/portfolio/consumption",
      role: "viewer",
      scope: "filtered",
      tags: ["analytics"],
      summary: "Consumption of every site in the caller's scope, per fuel, with the sites ranked",
      request: { query: z.object({ ...SpanQuery, granularity: z.enum(GRANULARITIES).default("day") }) },
      responses: { 200: jsonResponse(PortfolioSchema, "the portfolio's consumption") },
    }),
    async (c) => {
      const { from, to, granularity } = c.req.valid("query");
      const span = checkSpan(from, to);
      const { fuels, meters, sites, updatedAt } = await estateConsumption(
        database(c.env),
        estateScope(visibleTo(c), null),
        span,
        granularity,
      );
      return c.json({ ...span, granularity, updatedAt, fuels, meters, sites }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/reports/consumption",
      role: "manager",
      scope: "filtered",
      tags: ["analytics"],
      summary: "Per-site consumption of one fuel: kWh, previous span, change, normalised kWh, completeness",
      description:
        "`format=csv` (or `Accept: text/csv`) answers the same rows as CSV with formula-safe cells. " +
        "`normaliser` is `floorArea` (kWh per m², the default) or the name of a site normaliser.",
      request: {
        query: z.object({
          ...SpanQuery,
          fuel: z.enum(FUELS).default("electricity"),
          normaliser: z.string().trim().min(1).max(50).default("floorArea"),
          format: z.enum(["json", "csv"]).optional(),
        }),
      },
      responses: {
        200: {
          description: "one row per site with meters of the fuel",
          content: {
            "application/json": { schema: ReportSchema },
            "text/csv": { schema: z.string() },
          },
        },
      },
    }),
    async (c) => {
      const { from, to, fuel, normaliser, format } = c.req.valid("query");
      const span = checkSpan(from, to);
      const scope = estateScope(visibleTo(c), null);
      const report = await consumptionReport(database(c.env), scope, span, fuel, normaliser);
      const csv =
        format === "csv" || (format === undefined && /\btext\/csv\b/.test(c.req.header("Accept") ?? ""));
      if (!csv) return c.json(report, 200);
      const per = normaliser === "floorArea" ? "m2" : normaliser;
      const lines = [
        csvLine(["site_id", "site", "kwh", "previous_kwh", "change_pct", `kwh_per_${per}`, "completeness"]),
        ...report.rows.map((r) =>
          csvLine([r.siteId, r.site, r.kwh, r.previousKwh, r.changePct, r.normalised, r.completeness]),
        ),
      ];
      return new Response(lines.join(""), {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="consumption-${fuel}-${from}-${to}.csv"`,
        },
      }) as never;
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/aggregates/rebuild",
      role: "admin",
      scope: "global",
      tags: ["analytics"],
      summary:
        "Recompute consumption figures: every meter's (`full`) or only what imports changed (`pending`)",
      description:
        "Answers 200 when done; 202 when the work outgrew one request's share of D1 queries and continues in the background.",
      request: { query: z.object({ mode: z.enum(["full", "pending"]).default("full") }) },
      responses: {
        200: jsonResponse(RebuildSchema, "figures are current"),
        202: jsonResponse(RebuildSchema, "continuing in the background"),
      },
    }),
    async (c) => {
      const { mode } = c.req.valid("query");
      const started = Date.now();
      // Recorded as a run of the aggregation job (scheduler_executions), triggered by the caller.
      const { result: run } = await runExecution(
        c.env.DB,
        "aggregation",
        `user:${c.get("principal").actingFor}`,
        async () => {
          const run = mode === "full" ? await rebuildAll(c.env.DB) : await aggregatePending(c.env.DB);
          return {
            ...run,
            items: run.meters,
            rowsWritten: run.days,
            detail: `${mode}: ${run.days} meter-days`,
          };
        },
      );
      if (!run.done) await c.env.IMPORTS.send({ kind: "aggregate" });
      await audit(c, "aggregates.rebuild", { detail: { mode, ...run } });
      const body = { mode, done: run.done, meters: run.meters, days: run.days, ms: Date.now() - started };
      return run.done ? c.json(body, 200) : c.json(body, 202);
    },
  );
