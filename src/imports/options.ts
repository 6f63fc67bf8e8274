// The options an import job is created with, from form fields, query strings or a webhook source.
import { z } from "zod";
import { CONFLICT_POLICIES, IMPORT_FORMATS, JOB_PRIORITIES, TIMESTAMP_LABELS } from "../enums";

const bool = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0", "on", "off", "yes", "no", ""])])
  .transform((v) => v === true || v === "true" || v === "1" || v === "on" || v === "yes");

export const ImportOptionsSchema = z.object({
  meter: z.string().trim().max(40).optional(),
  dryRun: bool.default(false),
  format: z.enum(IMPORT_FORMATS).default("auto"),
  timestampLabels: z.enum(TIMESTAMP_LABELS).default("start"),
  columns: z
    .union([z.record(z.string(), z.string()), z.string()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      if (typeof v !== "string") return v;
      try {
        const parsed = JSON.parse(v) as unknown;
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
          if (Object.values(parsed).every((x) => typeof x === "string"))
            return parsed as Record<string, string>;
        }
      } catch {
        // fall through to the issue below
      }
      ctx.addIssue({
        code: "custom",
        message: 'must be a JSON object of header names, e.g. {"meter":"M1_Code1","date":"Date"}',
      });
      return z.NEVER;
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
