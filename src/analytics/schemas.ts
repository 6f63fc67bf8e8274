// The zod schemas of the consumption analytics API (validation, types and the OpenAPI document) and the
// checks on a range that zod cannot express.
import { z } from "../http/openapi";
import { badRequest } from "../http/errors";
import { daysBetween, isValidIsoDate } from "../time/settlement";
import { GRANULARITIES, type Span } from "./calendar";
import { FUELS } from "../enums";

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD");

export const SpanQuery = { from: isoDate, to: isoDate };
const kwh = z.number().openapi({ description: "kWh" });
const nullableNumber = z.number().nullable();

export const ComparisonSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    kwh,
    changeKwh: z.number(),
    changePct: nullableNumber.openapi({ description: "percent; null when the other span used nothing" }),
    partial: z.boolean().openapi({ description: "the other span is under 90 % complete" }),
  })
  .openapi("Comparison");

const Figures = {
  kwh,
  periods: z.number().int(),
  expectedPeriods: z.number().int(),
  completeness: z.number(),
  baseloadKw: nullableNumber,
  peakKw: nullableNumber,
  peakAt: z.string().nullable().openapi({ description: "UTC start of the peak half-hour" }),
  loadFactor: nullableNumber,
};

export const BucketSchema = z
  .object({ period: z.string(), from: z.string(), to: z.string(), ...Figures })
  .openapi("ConsumptionBucket");

export const SummarySchema = z
  .object({
    mpan: z.string(),
    fuel: z.enum(FUELS),
    from: z.string(),
    to: z.string(),
    ...Figures,
    outOfHoursKwh: nullableNumber,
    previous: ComparisonSchema,
    lastYear: ComparisonSchema,
  })
  .openapi("MeterSummary");

/** Gas in m³ where known: present when some gas days of the range were imported from a volume. */
const GasVolume = {
  m3: z.number().optional().openapi({
    description: "gas only: m³ of the range's days imported from a volume (readings keep the volume)",
  }),
  m3Kwh: z.number().optional().openapi({
    description: "gas only: the kWh of those days, so a client sees what part of kwh the m³ covers",
  }),
};

const FuelSchema = z
  .object({
    kwh,
    completeness: z.number(),
    series: z.array(
      z.object({
        period: z.string(),
        from: z.string(),
        to: z.string(),
        kwh,
        completeness: z.number(),
        baseloadKw: nullableNumber.openapi({
          description:
            "kW: the sum of the meters' daily baseloads, averaged over the bucket's days that have one",
        }),
      }),
    ),
    previous: ComparisonSchema,
    lastYear: ComparisonSchema,
    perM2: z.number().optional(),
    perNormaliser: z.record(z.string(), z.number()).optional(),
    ...GasVolume,
  })
  .openapi("FuelConsumption");

const EstateFields = {
  from: z.string(),
  to: z.string(),
  granularity: z.enum(GRANULARITIES),
  updatedAt: z.string().nullable().openapi({ description: "when figures last changed" }),
  fuels: z.object({ electricity: FuelSchema.optional(), gas: FuelSchema.optional() }),
  meters: z.array(z.object({ mpan: z.string(), fuel: z.enum(FUELS), kwh, share: z.number(), ...GasVolume })),
};

export const SiteConsumptionSchema = z
  .object({ siteId: z.number().int(), ...EstateFields })
  .openapi("SiteConsumption");
export const PortfolioSchema = z
  .object({
    ...EstateFields,
    sites: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        electricityKwh: z.number(),
        gasKwh: z.number(),
        changePct: nullableNumber,
      }),
    ),
  })
  .openapi("PortfolioConsumption");

export const ReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    fuel: z.enum(FUELS),
    normaliser: z.string(),
    previous: z.object({ from: z.string(), to: z.string() }),
    rows: z.array(
      z.object({
        siteId: z.number().int(),
        site: z.string(),
        kwh,
        previousKwh: z.number(),
        changePct: nullableNumber,
        normalised: nullableNumber.openapi({ description: "kWh per m² or per the normaliser's unit" }),
        completeness: z.number(),
      }),
    ),
  })
  .openapi("ConsumptionReport");

export const RebuildSchema = z
  .object({
    mode: z.enum(["full", "pending"]),
    done: z.boolean(),
    meters: z.number().int(),
    days: z.number().int(),
    ms: z.number().int(),
  })
  .openapi("AggregationRun");

/** The longest range one request may ask for. */
export const MAX_SPAN_DAYS = 3700;

/** Dates the API takes: their comparison spans a year earlier and buckets stay four-digit years. */
const FIRST_DATE = "1901-01-01";
const LAST_DATE = "9998-12-31";

/** A range's dates checked: real dates, in order, at most `maxDays` days (400 for bad input, never 500). */
export function checkSpan(from: string, to: string, maxDays = MAX_SPAN_DAYS, what = ""): Span {
  if (!isValidIsoDate(from)) throw badRequest(`from: ${from} is not a date`, "from");
  if (!isValidIsoDate(to)) throw badRequest(`to: ${to} is not a date`, "to");
  if (from < FIRST_DATE) throw badRequest(`from: must be ${FIRST_DATE} or later`, "from");
  if (to > LAST_DATE) throw badRequest(`to: must be ${LAST_DATE} or earlier`, "to");
  if (to < from) throw badRequest("to: must not be before from", "to");
  if (daysBetween(from, to) + 1 > maxDays) throw badRequest(`to: at most ${maxDays} days${what}`, "to");
  return { from, to };
}
