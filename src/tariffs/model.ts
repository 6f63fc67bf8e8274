// What a tariff is: its shape (zod, shared by validation, types and the OpenAPI document), the band
// rules zod cannot express (each day covered once, no gap or overlap: ./bands.ts). Pure: no bindings.
import { z } from "@hono/zod-openapi";
import { DAY_NAMES, FUELS, TARIFF_CLOCKS, TARIFF_TYPES } from "../enums";
import { bandPlan, type TariffProblem } from "./bands";

export { bandPlan, planKey, SLOTS_PER_DAY, type TariffProblem } from "./bands";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD");
/** Bands start and end on the half-hour: the calculator prices whole settlement periods. "24:00" ends a day. */
const clockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):(00|30)|24:00)$/, 'use "HH:MM" on the hour or half-hour');
const pence = (description: string) => z.number().min(0).max(100_000).openapi({ description });

export const BandSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    pencePerKwh: pence("pence per kWh, excluding VAT"),
    start: clockTime,
    end: clockTime.openapi({
      description:
        "may be earlier than start (the band crosses midnight); equal to start covers the whole day",
    }),
    days: z.array(z.enum(DAY_NAMES)).min(1).max(7).optional().openapi({ description: "default: every day" }),
    months: z
      .array(z.number().int().min(1).max(12))
      .min(1)
      .max(12)
      .optional()
      .openapi({ description: "default: every month" }),
  })
  .openapi("TariffBand");
export type Band = z.infer<typeof BandSchema>;

const TariffFields = {
  name: z.string().trim().min(1).max(200),
  supplierId: z.number().int().positive().nullable().optional(),
  fuel: z.enum(FUELS),
  type: z.enum(TARIFF_TYPES),
  validFrom: isoDate,
  validTo: isoDate.nullable().optional(),
  standingChargePence: pence("pence per settlement day, excluding VAT"),
  vatRate: z.union([z.literal(0.05), z.literal(0.2)]),
  ccl: z.boolean().openapi({ description: "whether the Climate Change Levy applies (business supplies)" }),
  unitRatePence: pence("flat tariffs: pence per kWh, excluding VAT").nullable().optional(),
  bands: z.array(BandSchema).max(48).nullable().optional(),
  clock: z
    .enum(TARIFF_CLOCKS)
    .optional()
    .openapi({ description: "time-of-use: the clock bands are read on (default local, Europe/London)" }),
  active: z.boolean().optional(),
};

export const TariffBody = z.object(TariffFields).strict().openapi("TariffInput");
export const TariffPatch = z.object(TariffFields).partial().strict().openapi("TariffPatch");
export type TariffInput = z.infer<typeof TariffBody>;

export const TariffSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    supplierId: z.number().int().nullable(),
    supplierName: z.string().nullable(),
    fuel: z.enum(FUELS),
    type: z.enum(TARIFF_TYPES),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    standingChargePence: z.number(),
    vatRate: z.number(),
    ccl: z.boolean(),
    unitRatePence: z.number().nullable(),
    bands: z.array(BandSchema).nullable(),
    clock: z.enum(TARIFF_CLOCKS),
    active: z.boolean(),
  })
  .openapi("Tariff");
export type Tariff = z.infer<typeof TariffSchema>;

/**
 * The rules of a whole tariff that zod's field checks cannot state: what each type needs, dates in
 * order, and bands that cover every day once. Null when the tariff is sound.
 */
export function tariffProblem(t: Omit<TariffInput, "name" | "supplierId" | "active">): TariffProblem | null {
  if (t.validTo && t.validTo < t.validFrom)
    return { field: "validTo", message: "validTo: must not be before validFrom" };
  if (t.type === "flat" && (t.unitRatePence === null || t.unitRatePence === undefined))
    return { field: "unitRatePence", message: "unitRatePence: a flat tariff needs a unit rate" };
  if (t.type === "tou") {
    if (!t.bands?.length) return { field: "bands", message: "bands: a time-of-use tariff needs bands" };
    const plan = bandPlan(t.bands);
    if (!(plan instanceof Int8Array)) return plan;
  }
  return null;
}
