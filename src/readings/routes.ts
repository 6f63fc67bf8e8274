// GET /api/meters/:mpan/readings: half-hourly or daily readings of one meter, viewer and up.
import { sql } from "drizzle-orm";
import { visibleSites } from "../access/scope";
import { database } from "../db/client";
import { meters } from "../db/schema";
import { badRequest, notFound } from "../http/errors";
import { defineRoute, jsonResponse, router, z } from "../http/openapi";
import { meterKey } from "../meters/store";
import {
  daysBetween,
  isValidIsoDate,
  MS_PER_PERIOD,
  periodStartUtc,
  periodsInSettlementDay,
} from "../time/settlement";
import { readMeterDays } from "./store";

/** The longest span one request may ask for, so a response stays a few MB at most. */
export const MAX_READING_DAYS = { hh: 400, day: 3700 };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD");

const HalfHourSchema = z
  .object({
    date: z.string(),
    period: z.number().int(),
    start: z.string(),
    end: z.string(),
    kwh: z.number(),
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
]);

export const isEstimated = (mask: number, period: number) => Math.floor(mask / 2 ** (period - 1)) % 2 === 1;
const round = (v: number) => Math.round(v * 1e6) / 1e6;

export const readingRoutes = router().openapi(
  defineRoute({
    method: "get",
    path: "/api/meters/{mpan}/readings",
    role: "viewer",
    scope: "filtered",
    tags: ["readings"],
    summary: "A meter's readings between two settlement days (inclusive), half-hourly or daily",
    request: {
      params: z.object({ mpan: z.string().min(1).max(40) }),
      query: z.object({ from: isoDate, to: isoDate, granularity: z.enum(["hh", "day"]).default("day") }),
    },
    responses: {
      200: jsonResponse(
        ReadingsSchema,
        "readings; hh: one entry per present half-hour with UTC start/end; day: one per day",
      ),
    },
  }),
  async (c) => {
    const { mpan } = c.req.valid("param");
    const { from, to, granularity } = c.req.valid("query");
    if (!isValidIsoDate(from)) throw badRequest(`from: ${from} is not a date`, "from");
    if (!isValidIsoDate(to)) throw badRequest(`to: ${to} is not a date`, "to");
    if (to < from) throw badRequest("to: must not be before from", "to");
    const span = daysBetween(from, to) + 1;
    if (span > MAX_READING_DAYS[granularity]) {
      throw badRequest(
        `to: at most ${MAX_READING_DAYS[granularity]} days at granularity=${granularity}`,
        "to",
      );
    }
    const visible = visibleSites(c.get("principal"), sql`${meters.siteId}`);
    const found = await readMeterDays(
      database(c.env),
      meterKey(mpan),
      visible,
      from,
      to,
      granularity === "hh",
    );
    if (!found) throw notFound("meter");
    const { mpan: meterMpan, days } = found;

    if (granularity === "day") {
      const data = days.map((d) => ({
        date: d.date,
        kwh: round(d.total_kwh),
        periods: d.period_count,
        expectedPeriods: periodsInSettlementDay(d.date),
        estimated: d.estimated_mask !== 0,
      }));
      return c.json({ mpan: meterMpan, unit: "kWh" as const, granularity, data }, 200);
    }
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
        data.push({ date: d.date, period: p, start, end, kwh, estimated: isEstimated(d.estimated_mask, p) });
      }
    }
    return c.json({ mpan: meterMpan, unit: "kWh" as const, granularity, data }, 200);
  },
);
