// What the importer detected in a dropped file, each setting a dropdown the user can change (the next
// preview and the import use the change), and the first readings as they would be stored.
import { COLUMN_ROLES, DATE_ORDERS, IMPORT_UNITS, TIMESTAMP_LABELS } from "../../../src/enums";
import type { ApiError } from "../api";
import { DataTable } from "../ui/data-table";
import { Notice } from "../ui/feedback";
import { SelectField, TextField, type Option } from "../ui/form";
import { LAYOUT_OPTIONS } from "./layouts";
import type { ImportPreview } from "./preview";
import type { ImportOptionsForm } from "./upload";

export const DATE_ORDER_LABELS = {
  dmy: "Day first (31/12/2026)",
  mdy: "Month first (12/31/2026)",
  ymd: "Year first (26/12/31)",
};
export const UNIT_LABELS = {
  kWh: "kWh",
  Wh: "Wh",
  MWh: "MWh",
  m3: "m³ of gas",
  ft3: "ft³ of gas",
  hcf: "hcf (100 ft³) of gas",
};
const ROLE_LABELS: Record<string, string> = {
  meter: "Meter column",
  date: "Date column",
  time: "Time column",
  timestamp: "Timestamp column",
  start: "Start column",
  end: "End column",
  period: "Period column",
  value: "Value column",
  firstValue: "First half-hour column",
  status: "Status column",
};
/** Roles offered when the preview could not read the file (to name the columns it needs). */
const NEEDED_ROLES = ["meter", "date", "value"];

/** A dropdown whose first entry is what was detected ("" = leave it to detection). */
function detectedOptions(
  detected: string | undefined,
  how: string,
  values: readonly string[],
  labels: Record<string, string>,
): Option[] {
  return [
    { value: "", label: detected === undefined ? "Detect" : `${labels[detected] ?? detected} (${how})` },
    ...values.map((v) => ({ value: v, label: labels[v] ?? v })),
  ];
}

export function PreviewPanel({
  preview,
  error,
  busy,
  headers,
  options,
  set,
}: {
  preview: ImportPreview | null;
  error: ApiError | null;
  busy: boolean;
  /** The file's header cells (from the preview, or the first line when it failed). */
  headers: string[];
  options: ImportOptionsForm;
  set: <K extends keyof ImportOptionsForm>(key: K, value: ImportOptionsForm[K]) => void;
}) {
  const d = preview?.detected;
  const headerless = d?.headerLine === 0;
  const roles = d ? COLUMN_ROLES.filter((r) => r in d.columns || r in options.columns) : NEEDED_ROLES;
  const columnOptions = (role: string): Option[] => {
    const current = d?.columns[role];
    const shown =
      current === undefined ? "none" : typeof current === "number" ? `column ${current}` : current;
    return [
      { value: "", label: `${shown} (detected)` },
      ...headers.map((h, i) => ({
        value: headerless ? String(i + 1) : h,
        label: headerless ? `column ${i + 1}` : h || `column ${i + 1}`,
      })),
    ];
  };
  const setColumn = (role: string, value: string) => {
    const columns = { ...options.columns };
    if (value === "") delete columns[role];
    else columns[role] = headerless ? Number(value) : value;
    set("columns", columns);
  };
  const volume =
    (options.unit || d?.unit) === "m3" ||
    (options.unit || d?.unit) === "ft3" ||
    (options.unit || d?.unit) === "hcf";
  return (
    <section class="import-preview" data-testid="import-preview" aria-busy={busy}>
      <h3>What the importer found {busy && <span class="muted small">checking…</span>}</h3>
      {error && (
        <Notice kind="warn">
          <p data-testid="preview-error">{error.message}</p>
        </Notice>
      )}
      <div class="form-row">
        <SelectField
          label="Layout"
          options={[
            {
              value: "auto",
              label: d ? `${d.layout}${d.source ? ` (${d.source})` : ""} (detected)` : "Detect",
            },
            ...LAYOUT_OPTIONS.slice(1),
          ]}
          value={options.format}
          onValue={(v) => set("format", v as ImportOptionsForm["format"])}
        />
        <SelectField
          label="Date order"
          options={detectedOptions(
            d?.dateOrder,
            d?.dateOrderSource === "assumed" ? "assumed" : "detected",
            DATE_ORDERS,
            DATE_ORDER_LABELS,
          )}
          value={options.dateOrder}
          onValue={(v) => set("dateOrder", v as ImportOptionsForm["dateOrder"])}
        />
      </div>
      <div class="form-row">
        <SelectField
          label="Timestamps mark"
          hint="For narrow files with one timestamp per reading"
          options={detectedOptions(
            d?.timestampLabels,
            d?.timestampLabelsSource === "detected" ? "detected" : "default",
            TIMESTAMP_LABELS,
            {
              start: "The start of the period",
              end: "The end of the period",
            },
          )}
          value={options.timestampLabels}
          onValue={(v) => set("timestampLabels", v as ImportOptionsForm["timestampLabels"])}
        />
        <SelectField
          label="Unit"
          options={detectedOptions(d?.unit, "detected", IMPORT_UNITS, UNIT_LABELS)}
          value={options.unit}
          onValue={(v) => set("unit", v as ImportOptionsForm["unit"])}
        />
      </div>
      {volume && (
        <TextField
          label="Calorific value (MJ/m³)"
          hint={d?.conversion ?? "Default 39.5, or the meter's own"}
          value={options.calorificValue}
          onValue={(v) => set("calorificValue", v)}
        />
      )}
      <div class="form-row form-row--wrap">
        {roles.map((role) => (
          <SelectField
            key={role}
            label={ROLE_LABELS[role] ?? role}
            options={columnOptions(role)}
            value={options.columns[role] === undefined ? "" : String(options.columns[role])}
            onValue={(v) => setColumn(role, v)}
          />
        ))}
      </div>
      {d && (
        <p class="muted small" data-testid="preview-facts">
          {d.intervalMinutes === 1440 ? "Daily values" : `Readings every ${d.intervalMinutes} minutes`}
          {d.meter && ` · meter ${d.meter}`}
          {d.encoding && d.encoding !== "utf-8" && ` · ${d.encoding} text`}
        </p>
      )}
      {preview?.warnings.map((w) => (
        <p key={w.code} class="muted small">
          {w.message}
        </p>
      ))}
      {preview && preview.unknownMeters.length > 0 && (
        <Notice kind="warn">
          <p>
            Not registered: {preview.unknownMeters.join(", ")}. Their rows are refused unless “Create unknown
            meters” is ticked.
          </p>
        </Notice>
      )}
      {preview && (
        <DataTable
          testid="preview-readings"
          rows={preview.readings}
          rowKey={(_r, i) => i}
          empty="No readings in the first lines."
          columns={[
            { header: "Meter", class: "mono", cell: (r) => r.meter },
            { header: "Date", cell: (r) => r.date },
            { header: "Period", class: "num", cell: (r) => r.period ?? "day" },
            { header: "Starts (UTC)", cell: (r) => r.start.slice(0, 16).replace("T", " ") },
            { header: "kWh", class: "num", cell: (r) => Math.round(r.kwh * 1e6) / 1e6 },
          ]}
        />
      )}
      {preview && preview.errors.length > 0 && (
        <p class="muted small">
          Rows that would be refused:{" "}
          {preview.errors
            .slice(0, 3)
            .map((e) => `line ${e.line}: ${e.message}`)
            .join("; ")}
        </p>
      )}
    </section>
  );
}
