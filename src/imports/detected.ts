// What the importer made of a file, as the job and the preview show it: the layout, delimiter, date
// order, timestamp labels, unit, interval and which column plays which role (its header, or its
// 1-based number in a headerless file), from the plan sniffed off the file's head.
import { z } from "../http/openapi";
import { COLUMN_ROLES, DATE_ORDERS, IMPORT_UNITS, LAYOUTS, TIMESTAMP_LABELS } from "../enums";
import { kwhPerCubicMetre, type ImportPlan, type PlanColumns } from "./domain";

export const DetectedSchema = z
  .object({
    layout: z.enum(LAYOUTS),
    delimiter: z.enum([",", ";", "\t"]),
    dateOrder: z.enum(DATE_ORDERS),
    dateOrderSource: z.enum(["option", "file", "assumed"]),
    timestampLabels: z.enum(TIMESTAMP_LABELS),
    timestampLabelsSource: z.enum(["option", "detected", "default"]),
    unit: z.enum(IMPORT_UNITS),
    intervalMinutes: z.number().int(),
    columns: z.record(z.string(), z.union([z.string(), z.number().int()])).openapi({
      description: `role (${COLUMN_ROLES.join(", ")}) → header name, or 1-based column number in a headerless file`,
    }),
    headerLine: z.number().int().openapi({ description: "the header's line in the file; 0 = no header row" }),
    meter: z.string().nullable().openapi({ description: "the meter of a file without a meter column" }),
    encoding: z.string().nullable(),
    source: z
      .string()
      .nullable()
      .openapi({ description: "a supplier format with its own grammar: stark-df2" }),
    conversion: z
      .string()
      .nullable()
      .openapi({ description: "how a gas volume becomes kWh, with the calorific value used" }),
  })
  .openapi("ImportDetected");
export type Detected = z.infer<typeof DetectedSchema>;

const ROLE_COLUMNS: [(typeof COLUMN_ROLES)[number], keyof PlanColumns][] = [
  ["meter", "meter"],
  ["date", "date"],
  ["time", "time"],
  ["timestamp", "timestamp"],
  ["start", "start"],
  ["end", "end"],
  ["period", "period"],
  ["value", "value"],
  ["status", "status"],
  ["total", "total"],
  ["unit", "unit"],
];

const UNIT_WORDS = { m3: "m³", ft3: "ft³", hcf: "hcf" } as const;

/** How a volume plan becomes kWh, in words and numbers. */
export function conversionOf(plan: ImportPlan): string | null {
  if (plan.m3PerUnit === undefined) return null;
  const unit = UNIT_WORDS[plan.unit as keyof typeof UNIT_WORDS] ?? plan.unit;
  const toM3 = plan.m3PerUnit === 1 ? "" : ` × ${plan.m3PerUnit} m³/${unit}`;
  const cv = plan.calorificValue;
  if (cv === undefined)
    return `kWh = ${unit}${toM3} × 1.02264 × CV ÷ 3.6, with each meter's calorific value (39.5 MJ/m³ where none is set)`;
  const perUnit = Math.round(plan.m3PerUnit * kwhPerCubicMetre(cv) * 1e6) / 1e6;
  return `kWh = ${unit}${toM3} × 1.02264 × ${cv} ÷ 3.6 (calorific value ${cv} MJ/m³): 1 ${unit} = ${perUnit} kWh`;
}

export function detectedOf(plan: ImportPlan): Detected {
  const headerless = plan.headerLine === 0 || plan.dialect !== undefined;
  const name = (index: number) => (headerless ? index + 1 : (plan.headers[index] ?? "").trim());
  const columns: Detected["columns"] = {};
  for (const [role, key] of ROLE_COLUMNS) {
    const index = plan.columns[key];
    if (typeof index === "number") columns[role] = name(index);
  }
  const first = plan.columns.firstValue ?? plan.columns.periods?.[0]?.index;
  if (plan.format === "wide" && first !== undefined) columns.firstValue = name(first);
  return {
    layout: plan.format,
    delimiter: plan.delimiter,
    dateOrder: plan.dateOrder ?? "dmy",
    dateOrderSource: plan.dateOrderSource ?? "assumed",
    timestampLabels: plan.timestampLabels,
    timestampLabelsSource: plan.timestampLabelsSource ?? "default",
    unit: plan.unit ?? "kWh",
    intervalMinutes:
      plan.intervalMinutes ?? (plan.format === "daily" || plan.format === "register" ? 1440 : 30),
    columns,
    headerLine: plan.headerLine,
    meter: plan.columns.meter === undefined ? (plan.fixedMeter ?? null) : null,
    encoding: plan.encoding ?? null,
    source: plan.dialect ?? null,
    conversion: conversionOf(plan),
  };
}
