// Running a finished job again on its stored file with a corrected setting (a wrong unit, date order or
// label), without uploading it again: POST /api/import/jobs/:batchId/rerun. The rows the earlier run wrote
// are removed first, so nothing of the wrong reading is left.
import { useState } from "preact/hooks";
import { DATE_ORDERS, IMPORT_UNITS, TIMESTAMP_LABELS } from "../../../src/enums";
import { api, type ImportJob } from "../api";
import { useAction } from "../query";
import { Form, SelectField, TextField } from "../ui/form";
import { DATE_ORDER_LABELS, UNIT_LABELS } from "./preview-panel";

type Setting = "unit" | "dateOrder" | "timestampLabels";
const SETTINGS: [Setting, string, readonly string[], Record<string, string>][] = [
  ["unit", "Unit", IMPORT_UNITS, UNIT_LABELS],
  ["dateOrder", "Dates", DATE_ORDERS, DATE_ORDER_LABELS],
  ["timestampLabels", "Timestamps label", TIMESTAMP_LABELS, {}],
];

export function RerunForm({ job }: { job: ImportJob }) {
  // "" keeps what the job ran with (its options, else detection).
  const [changed, setChanged] = useState<Partial<Record<Setting | "calorificValue", string>>>({});
  const rerun = useAction(
    () =>
      api.post("/api/import/jobs/{batchId}/rerun", {
        params: { path: { batchId: job.batchId } },
        body: Object.fromEntries(Object.entries(changed).filter(([, v]) => v)),
      }),
    { invalidates: ["/api/import/jobs"] },
  );
  const set = (name: Setting | "calorificValue") => (value: string) =>
    setChanged({ ...changed, [name]: value });
  return (
    <details class="card" data-testid="rerun">
      <summary>
        <h2 class="inline-heading">Run again with other settings</h2>
      </summary>
      <p class="muted">
        Imports the stored file again: the readings this run wrote are removed first, so a corrected unit or
        date order leaves no stray day.
      </p>
      <Form action={rerun} submitLabel="Run again" busyLabel="Starting…" class="form-grid">
        {SETTINGS.map(([name, label, values, labels]) => {
          const current = job.detected?.[name];
          return (
            <SelectField
              key={name}
              label={label}
              name={name}
              value={changed[name] ?? ""}
              onValue={set(name)}
              options={[
                { value: "", label: current ? `As before: ${labels[current] ?? current}` : "As before" },
                ...values.map((v) => ({ value: v, label: labels[v] ?? v })),
              ]}
            />
          );
        })}
        <TextField
          label="Calorific value (MJ/m³, gas volumes)"
          name="calorificValue"
          value={changed.calorificValue ?? ""}
          onValue={set("calorificValue")}
        />
      </Form>
    </details>
  );
}
