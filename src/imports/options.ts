// The options an import job is created with, from form fields, query strings or a webhook source.
import { z } from "zod";
import {
  COLUMN_ROLES,
  CONFLICT_POLICIES,
  DATE_ORDERS,
  IMPORT_FORMATS,
  IMPORT_UNITS,
  JOB_PRIORITIES,
  TIMESTAMP_LABELS,
  isOneOf,
} from "../enums";

const bool = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0", "on", "off", "yes", "no", ""])])
  .transform((v) => v === true || v === "true" || v === "1" || v === "on" || v === "yes");

export const ImportOptionsSchema = z.object({
  meter: z.string().trim().max(40).optional(),
  dryRun: bool.default(false),
  format: z.enum(IMPORT_FORMATS).default("auto"),
  /** Unset = detected from the data (each meter's runs start at 00:30 and end at 00:00: end labels). */
  timestampLabels: z.enum(TIMESTAMP_LABELS).optional(),
  /** Unset = from a header such as "Consumption (m³)", else kWh. */
  unit: z.enum(IMPORT_UNITS).optional(),
  /** Unset = decided from every date in the file (a field above 12 proves the order), else day-first. */
  dateOrder: z.enum(DATE_ORDERS).optional(),
  /** Gas calorific value in MJ/m³ for a volume file; overrides each meter's own (default 39.5). */
  calorificValue: z.coerce.number().gt(0).max(100).optional(),
  columns: z
    .union([z.record(z.string(), z.union([z.string(), z.number()])), z.string()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      let parsed: unknown = v;
      if (typeof v === "string") {
        try {
          parsed = JSON.parse(v) as unknown;
        } catch {
          parsed = undefined;
        }
      }
      const mapping = columnMapping(parsed);
      if (typeof mapping === "string") {
        ctx.addIssue({ code: "custom", message: mapping });
        return z.NEVER;
      }
      return mapping;
    }),
  onConflict: z.enum(CONFLICT_POLICIES).default("replace"),
  autoCreateMeters: bool.default(false),
  notes: z.string().max(2000).optional(),
  tags: z
    .union([z.array(z.string()), z.string()])
    .optional()
    .transform((v) =>
      (typeof v === "string" ? v.split(",") : (v ?? []))
        .map((t) => t.trim())
        .filter(Boolean)
        .slice(0, 20),
    ),
  priority: z.enum(JOB_PRIORITIES).default("normal"),
});

export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

/** A column is named by its header or by its 1-based number ("3" or 3). */
export type ColumnRef = string | number;
export type ColumnMapping = Partial<Record<(typeof COLUMN_ROLES)[number], ColumnRef>>;

/** The `columns` option checked: known roles to header names or column numbers; a string says what is wrong. */
function columnMapping(v: unknown): ColumnMapping | string {
  const example =
    'a JSON object from role to header name or 1-based column number, e.g. {"meter":"M1_Code1","date":3}';
  if (!v || typeof v !== "object" || Array.isArray(v)) return `must be ${example}`;
  const out: ColumnMapping = {};
  for (const [role, ref] of Object.entries(v as Record<string, unknown>)) {
    if (!isOneOf(COLUMN_ROLES, role))
      return `"${role}" is not a column role (roles: ${COLUMN_ROLES.join(", ")})`;
    if (typeof ref === "number" || (typeof ref === "string" && /^\s*\d+\s*$/.test(ref))) {
      const n = Number(ref);
      if (!Number.isInteger(n) || n < 1 || n > 1000) return `${role}: column numbers count from 1`;
      out[role] = n;
    } else if (typeof ref === "string" && ref.trim() !== "") out[role] = ref;
    else return `must be ${example}`;
  }
  return out;
}
