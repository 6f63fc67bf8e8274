// What a tariff is: its shape (zod, shared by validation, types and the OpenAPI document), the band
// rules zod cannot express (each day covered once, no gap or overlap), and the band plan the calculator
// looks rates up in. Pure: no bindings.
import { z } from "@hono/zod-openapi";
import { DAY_NAMES, FUELS, TARIFF_CLOCKS, TARIFF_TYPES } from "../enums";

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

// ---------------------------------------------------------------------------------------------
// band plans

export const SLOTS_PER_DAY = 48;
const MONTHS = 12;
/** A plan entry's index: weekday (0 = Monday) × month × half-hour of the wall-clock day. */
export const planKey = (weekday: number, month: number, slot: number) =>
  (weekday * MONTHS + (month - 1)) * SLOTS_PER_DAY + slot;
const PLAN_SIZE = 7 * MONTHS * SLOTS_PER_DAY;

const slotOf = (time: string) => (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) / 30;
const timeOfSlot = (slot: number) =>
  `${String(Math.floor(slot / 2)).padStart(2, "0")}:${slot % 2 ? "30" : "00"}`;

/** The half-hours of the day a band covers, as slot numbers 0–47. */
function bandSlots(band: Band): number[] {
  const start = slotOf(band.start) % SLOTS_PER_DAY;
  const end = slotOf(band.end) % SLOTS_PER_DAY;
  const count = end > start ? end - start : end + SLOTS_PER_DAY - start; // equal: the whole day
  return Array.from({ length: count }, (_, i) => (start + i) % SLOTS_PER_DAY);
}

export type TariffProblem = { field: string; message: string };

/**
 * Which band applies at each (weekday, month, half-hour), or the first problem: a half-hour two bands
 * claim (named by the later band) or one no band covers (named by the band that ends where the gap starts,
 * or the one that starts where it ends).
 */
export function bandPlan(bands: readonly Band[]): Int8Array | TariffProblem {
  const plan = new Int8Array(PLAN_SIZE).fill(-1);
  const label = (i: number) => `bands.${i} ("${bands[i].name}")`;
  for (let i = 0; i < bands.length; i++) {
    const band = bands[i];
    const days = band.days ?? DAY_NAMES;
    const months = band.months ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const slots = bandSlots(band);
    for (const day of days) {
      const weekday = DAY_NAMES.indexOf(day);
      for (const month of months) {
        for (const slot of slots) {
          const key = planKey(weekday, month, slot);
          if (plan[key] !== -1) {
            const other = plan[key];
            return {
              field: `bands.${i}`,
              message: `${label(i)} overlaps ${label(other)} at ${timeOfSlot(slot)} on ${day}${band.months ? ` in month ${month}` : ""}`,
            };
          }
          plan[key] = i;
        }
      }
    }
  }
  for (let weekday = 0; weekday < 7; weekday++) {
    for (let month = 1; month <= MONTHS; month++) {
      for (let slot = 0; slot < SLOTS_PER_DAY; slot++) {
        if (plan[planKey(weekday, month, slot)] !== -1) continue;
        let end = slot;
        while (end < SLOTS_PER_DAY && plan[planKey(weekday, month, end)] === -1) end++;
        const before = slot > 0 ? plan[planKey(weekday, month, slot - 1)] : -1;
        const after = end < SLOTS_PER_DAY ? plan[planKey(weekday, month, end)] : -1;
        const named = before !== -1 ? before : after;
        const gap = `${timeOfSlot(slot)}–${end === SLOTS_PER_DAY ? "24:00" : timeOfSlot(end)} on ${DAY_NAMES[weekday]}${
          bands.some((b) => b.months) ? ` in month ${month}` : ""
        }`;
        return named === -1
          ? { field: "bands", message: `bands: no band covers ${gap}` }
          : {
              field: `bands.${named}`,
              message: `${label(named)}: no band covers ${gap}, next to this band`,
            };
      }
    }
  }
  return plan;
}

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
