// POST /api/import/preview: what an import of a file would detect and store, from the head of the file
// only (the first 64 KB of an upload, never the rest), so a user can check and change it first.
import { ApiError } from "../http/errors";
import { z } from "../http/openapi";
import { MS_PER_PERIOD, periodStartUtc } from "../time/settlement";
import { DayAccumulator, DEFAULT_CALORIFIC_VALUE, detectBinary, sniff } from "./domain";
import { DetectedSchema, detectedOf } from "./detected";
import type { ImportOptions } from "./options";
import { calorificValues, HEAD_BYTES, headText, meterIndex, sniffOptionsOf } from "./pipeline";
import { parseHead, unitSlips } from "./unit-slip";
import { notText } from "./storage";

export const PREVIEW_READINGS = 20;

export const PreviewSchema = z
  .object({
    detected: DetectedSchema,
    /** The header row's cells ("column 1"… for a headerless file): what `columns` may name. */
    headers: z.array(z.string()),
    readings: z.array(
      z.object({
        meter: z.string(),
        date: z.string().openapi({ description: "settlement date" }),
        period: z.number().int().nullable().openapi({ description: "null for a daily total" }),
        start: z.string().openapi({ description: "UTC start of the half-hour (or of the day)" }),
        kwh: z.number(),
        estimated: z.boolean(),
      }),
    ),
    /** Row problems in the head, as the job would report them. */
    errors: z.array(z.object({ line: z.number().int(), code: z.string(), message: z.string() })),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
    /** Meters in the head that are not registered (their rows fail unless autoCreateMeters). */
    unknownMeters: z.array(z.string()),
    /** The head was the whole file. */
    wholeFile: z.boolean(),
  })
  .openapi("ImportPreview");
export type Preview = z.infer<typeof PreviewSchema>;

/** The preview of a file's head (`wholeFile`: the head is all of it). */
export async function previewHead(
  env: Env,
  headBytes: Uint8Array,
  wholeFile: boolean,
  options: ImportOptions,
  companyId: number | null,
): Promise<Preview> {
  if (detectBinary(headBytes)) throw notText();
  const { text } = headText(headBytes.subarray(0, HEAD_BYTES), wholeFile && headBytes.length <= HEAD_BYTES);
  const sniffed = sniff(text, sniffOptionsOf(options));
  if (!sniffed.ok) {
    const field =
      sniffed.error.code === "bad_mpan" || sniffed.error.code === "meter_required" ? "meter" : "columns";
    throw new ApiError(422, sniffed.error.code, sniffed.error.message, field);
  }
  const plan = sniffed.plan;
  const cvs = plan.m3PerUnit === undefined ? new Map<string, number>() : await calorificValues(env);
  const calorificValue = (meter: string) =>
    options.calorificValue ?? cvs.get(meter) ?? DEFAULT_CALORIFIC_VALUE;
  if (plan.m3PerUnit !== undefined && plan.fixedMeter !== undefined)
    plan.calorificValue = calorificValue(plan.fixedMeter);
  else if (options.calorificValue !== undefined) plan.calorificValue = options.calorificValue;

  const parsed = parseHead(text, plan, calorificValue);
  const acc = parsed.acc;
  const slips = await unitSlips(env, null, acc, parsed.meterLines);
  const known = await meterIndex(env, companyId);
  return {
    detected: detectedOf(plan),
    headers: plan.headers.map((h) => h.trim()),
    readings: firstReadings(acc, PREVIEW_READINGS),
    errors: parsed.errors.slice(0, 20),
    warnings: [...plan.notes, ...slips].map((n) => ({ code: n.code, message: n.message })),
    unknownMeters: [...new Set([...acc.days()].map((d) => d.meter))].filter((m) => !known.has(m)),
    wholeFile,
  };
}

/** The first `n` readings as they would be stored, by meter, date and period. */
function firstReadings(acc: DayAccumulator, n: number): Preview["readings"] {
  const out: Preview["readings"] = [];
  const days = [...acc.days()].sort((a, b) => (a.meter === b.meter ? a.date.localeCompare(b.date) : 0));
  for (const day of days) {
    if (day.kind === "daily") {
      out.push({
        meter: day.meter,
        date: day.date,
        period: null,
        start: new Date(periodStartUtc(day.date, 1)).toISOString(),
        kwh: day.total,
        estimated: day.estimatedMask !== 0,
      });
    } else {
      for (let p = 1; p <= 50 && out.length < n; p++) {
        const kwh = day.periods[p - 1];
        if (Number.isNaN(kwh)) continue;
        out.push({
          meter: day.meter,
          date: day.date,
          period: p,
          start: new Date(periodStartUtc(day.date, 1) + (p - 1) * MS_PER_PERIOD).toISOString(),
          kwh,
          estimated: Math.floor(day.estimatedMask / 2 ** (p - 1)) % 2 === 1,
        });
      }
    }
    if (out.length >= n) break;
  }
  return out.slice(0, n);
}
