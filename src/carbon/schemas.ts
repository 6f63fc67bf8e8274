// The zod schemas of the carbon API (validation, types and the OpenAPI document).
import { FUELS } from "../enums";
import { z } from "../http/openapi";
import { BASES, EMISSION_GRANULARITIES } from "./emissions";
import { INDEXES } from "./domain";

const grams = z.number().nullable().openapi({ description: "gCO2/kWh" });
const index = z.enum(INDEXES).nullable();
const Mix = z.array(z.object({ fuel: z.string(), perc: z.number() }));

export const CurrentSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    intensity: z.object({ forecast: grams, actual: grams, index }),
    colour: z.string().openapi({ description: "the index band's colour, #rrggbb" }),
    trend: z.enum(["rising", "falling", "steady"]),
    forecast: z.array(z.object({ from: z.string(), to: z.string(), forecast: grams, index })),
    updatedAt: z.string().nullable(),
    demo: z.boolean().openapi({ description: "true while only the seed's synthetic figures are stored" }),
  })
  .openapi("CarbonIntensity");

export const RefreshSchema = z
  .object({
    stored: z.number().int(),
    updated: z.number().int(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    failures: z.array(z.string()),
  })
  .openapi("CarbonRefresh");

export const HistorySchema = z
  .object({
    data: z.array(z.object({ from: z.string(), to: z.string(), forecast: grams, actual: grams, index })),
    average: grams,
    min: grams,
    max: grams,
    profile: z.array(z.object({ halfHour: z.string(), mean: grams })),
  })
  .openapi("CarbonHistory");

export const RegionalSchema = z
  .object({
    regionId: z.number().int(),
    name: z.string(),
    data: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        forecast: z.number(),
        index,
        generationmix: Mix.nullable(),
      }),
    ),
  })
  .openapi("CarbonRegional");

export const GenerationSchema = z
  .object({ data: z.array(z.object({ from: z.string(), to: z.string(), generationmix: Mix })) })
  .openapi("CarbonGeneration");

export const BestTimesSchema = z
  .array(
    z.object({
      from: z.string(),
      to: z.string(),
      meanIntensity: z.number(),
      saving: z.number().openapi({ description: "gCO2/kWh less than starting now" }),
      savingPct: z.number(),
    }),
  )
  .openapi("CarbonBestTimes");

export const GridRegionSchema = z
  .object({
    siteId: z.number().int(),
    regionId: z.number().int().nullable(),
    name: z.string().nullable(),
    source: z.enum(["postcode", "manual"]).nullable(),
    outward: z.string().nullable(),
  })
  .openapi("SiteGridRegion");

const Shares = z.object(
  Object.fromEntries(BASES.map((b) => [b, z.number()])) as Record<(typeof BASES)[number], z.ZodNumber>,
);
const Basis = z.enum([...BASES, "mixed", "none"]);
const EmissionSpan = z.object({
  from: z.string(),
  to: z.string(),
  kwh: z.number(),
  gco2: z.number(),
  unmatchedKwh: z.number(),
  basis: Basis,
  shares: Shares,
});
const EmissionTotal = z.object({
  kwh: z.number(),
  kgco2: z.number(),
  unmatchedKwh: z.number(),
  fixedFactorKgco2: z.number(),
  basis: Basis,
  shares: Shares,
});
const FuelEmissions = z.object({ data: z.array(EmissionSpan), total: EmissionTotal });
const EmissionsRange = {
  from: z.string(),
  to: z.string(),
  granularity: z.enum(EMISSION_GRANULARITIES),
};

export const MeterEmissionsSchema = z
  .object({
    mpan: z.string(),
    fuel: z.enum(FUELS),
    regionId: z.number().int().nullable(),
    ...EmissionsRange,
    data: z.array(EmissionSpan),
    total: EmissionTotal,
  })
  .openapi("MeterEmissions");

const Fuels = z.object({ electricity: FuelEmissions.optional(), gas: FuelEmissions.optional() });
const SiteTotals = z.object({
  siteId: z.number().int(),
  name: z.string(),
  regionId: z.number().int().nullable(),
  fuels: z.object({ electricity: EmissionTotal.optional(), gas: EmissionTotal.optional() }),
});

export const EstateEmissionsSchema = z
  .object({ ...EmissionsRange, fuels: Fuels, sites: z.array(SiteTotals) })
  .openapi("EstateEmissions");
