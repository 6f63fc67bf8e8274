// GET /api/meters/:mpan/readings: half-hourly readings of one meter, or its stored daily figures and their
// week, month or year buckets (src/analytics), viewer and up.
import { sql } from "drizzle-orm";
import { visibleSites } from "../access/scope";
import { database } from "../db/client";
import { meters } from "../db/schema";
import { bucketRows, dayRow } from "../analytics/consumption";
import { BucketSchema, checkSpan } from "../analytics/schemas";
import { meterDays } from "../analytics/store";
import { notFound } from "../http/errors";
import { defineRoute, jsonResponse, router, z } from "../http/openapi";
import { meterKey } from "../meters/store";
import { MS_PER_PERIOD, periodStartUtc, periodsInSettlementDay } from "../time/settlement";
import { cubicMetresOf, readMeterDays, volumeDays } from "./store";

/** The longest span one request may ask for, so a response stays a few MB at most. */
export const MAX_READING_DAYS = { hh: 400, day: 3700, week: 3700, month: 3700, year: 3700 };
const GRANULARITY = ["hh", "day", "week", "month", "year"] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD");

const HalfHourSchema = z
  .object({
    date: z.string(),
    period: z.number().int(),
    start: z.string(),
    end: z.string(),
    kwh: z.number(),
    /** Gas imported as a volume: the m³ the kWh came from. */
    m3: z.number().optional(),
    estimated: z.boolean(),
  })
  .openapi("HalfHourReading");
const DaySchema = z
  .object({
    date: z.string(),
    kwh: z.number(),
    periods: z.number().int().nullable(),
    expectedPeriods: z.number().int(),
    estimated: z.boolean(),
    baseloadKw: z.number().nullable(),
    peakKw: z.number().nullable(),
    peakAt: z.string().nullable().openapi({ description: "UTC start of the peak half-hour" }),
    completeness: z.number(),
    /** Gas imported as a volume: the day's m³. */
    m3: z.number().optional(),
  })
  .openapi("DayReading");
/** The answer names its granularity, which says what its entries are. */
const ReadingsSchema = z.discriminatedUnion("granularity", [
  z.object({
    mpan: z.string(),
    unit: z.literal("kWh"),
    granularity: z.literal("hh"),
    data: z.array(HalfHourSchema),
  }),
  z.object({
    mpan: z.string(),
    unit: z.literal("kWh"),
    granularity: z.literal("day"),
    data: z.array(DaySchema),
  }),
  ...(["week", "month", "year"] as const).map((g) =>
    z.object({
      mpan: z.string(),
      unit: z.literal("kWh"),
      granularity: z.literal(g),
      data: z.array(BucketSchema),
    }),
  ),
]);

export const isEstimated = (mask: number, period: number) => Math.floor(mask / 2 ** (period - 1)) % 2 === 1;

export const readingRoutes = router().openapi(
  defineRoute({
    method: "get",
    path: "/api/meters/{mpan}/readings",
    role: "viewer",
    scope: "filtered",
    tags: ["readings"],
    summary:
      "A meter's readings between two settlement days (inclusive): half-hourly, daily, or by ISO week, calendar month or year",
    request: {
      params: z.object({ mpan: z.string().min(1).max(40) }),
      query: z.object({ from: isoDate, to: isoDate, granularity: z.enum(GRANULARITY).default("day") }),
    },
    responses: {
      200: jsonResponse(
        ReadingsSchema,
        "hh: one entry per present half-hour with UTC start/end; day: one per stored day with its figures; week|month|year: every bucket of the range, clipped to it",
      ),
    },
  }),
  async (c) => {
    const { mpan } = c.req.valid("param");
    const { from, to, granularity } = c.req.valid("query");
    checkSpan(from, to, MAX_READING_DAYS[granularity], ` at granularity=${granularity}`);
    const visible = visibleSites(c.get("principal"), sql`${meters.siteId}`);
    if (granularity !== "hh") {
      // Days come from the stored figures (current once an import completes), buckets from those days.
      const stored = await meterDays(database(c.env), meterKey(mpan), visible, [{ from, to }]);
      if (!stored) throw notFound("meter");
      const mpanOf = stored.meter.mpan;
      const days = stored.days[0];
      if (granularity === "day") {
        const volumes =
          stored.meter.fuel === "gas"
            ? await volumeDays(database(c.env), stored.meter.id, from, to)
            : undefined;
        const data = days.map((d) => {
          const m3 = volumes?.get(d.date);
          return m3 === undefined ? dayRow(d) : { ...dayRow(d), m3 };
        });
        return c.json({ mpan: mpanOf, unit: "kWh" as const, granularity, data }, 200);
      }
      return c.json(
        {
          mpan: mpanOf,
          unit: "kWh" as const,
          granularity,
          data: bucketRows(days, { from, to }, granularity),
        },
        200,
      );
    }
    const found = await readMeterDays(database(c.env), meterKey(mpan), visible, from, to, true);
    if (!found) throw notFound("meter");
    const { mpan: meterMpan, days } = found;

    const data: z.infer<typeof HalfHourSchema>[] = [];
    for (const d of days) {
      const n = periodsInSettlementDay(d.date);
      // Period p starts (p - 1) half-hours after the day's first; the end is the next start.
      const first = periodStartUtc(d.date, 1);
      let end = new Date(first).toISOString();
      for (let p = 1; p <= n; p++) {
        const start = end;
        end = new Date(first + p * MS_PER_PERIOD).toISOString();
        const kwh = d.periods[p - 1];
        if (kwh === null || kwh === undefined) continue;
        const estimated = isEstimated(d.estimated_mask, p);
        if (d.calorific_value === null) data.push({ date: d.date, period: p, start, end, kwh, estimated });
        else
          data.push({
            date: d.date,
            period: p,
            start,
            end,
            kwh,
            m3: cubicMetresOf(kwh, d.calorific_value),
            estimated,
          });
      }
    }
    return c.json({ mpan: meterMpan, unit: "kWh" as const, granularity, data }, 200);
  },
);
