// Running a finished job again on its stored file with a corrected setting (a wrong unit, date order or
// label), without uploading it again: POST /api/import/jobs/:batchId/rerun. The rows the earlier run wrote
// are removed first, so nothing of the wrong reading is left.
import { useState } from "preact/hooks";
import { DATE_ORDERS, IMPORT_UNITS, TIMESTAMP_LABELS } from "../../../src/enums";
import { api, type ImportJob } from "../api";
import { useAction } from "../query";
import { Form, SelectField, TextField, type Option } from "../ui/form";
import { DATE_ORDER_LABELS, UNIT_LABELS } from "./preview-panel";

/** "" keeps what the job ran with (its options, else detection). */
const keep = (
  current: string | undefined,
  values: readonly string[],
  labels: Record<string, string>,
): Option[] => [
  { value: "", label: current ? `As before: ${labels[current] ?? current}` : "As before" },
  ...values.map((v) => ({ value: v, label: labels[v] ?? v })),
];

export function RerunForm({ job }: { job: ImportJob }) {
  const [unit, setUnit] = useState("");
  const [dateOrder, setDateOrder] = useState("");
  const [labels, setLabels] = useState("");
  const [calorificValue, setCalorificValue] = useState("");
  const d = job.detected;
  const rerun = useAction(
    () =>
      api.post("/api/import/jobs/{batchId}/rerun", {
        params: { path: { batchId: job.batchId } },
        body: {
          ...(unit ? { unit } : {}),
          ...(dateOrder ? { dateOrder } : {}),
          ...(labels ? { timestampLabels: labels } : {}),
          ...(calorificValue ? { calorificValue } : {}),
        },
      }),
    { invalidates: ["/api/import/jobs"] },
  );
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
        <SelectField
          label="Unit"
          name="unit"
          value={unit}
          onValue={setUnit}
          options={keep(d?.unit, IMPORT_UNITS, UNIT_LABELS)}
        />
        <SelectField
          label="Dates"
          name="dateOrder"
          value={dateOrder}
          onValue={setDateOrder}
          options={keep(d?.dateOrder, DATE_ORDERS, DATE_ORDER_LABELS)}
        />
        <SelectField
          label="Timestamps label"
          name="timestampLabels"
          value={labels}
          onValue={setLabels}
          options={keep(d?.timestampLabels, TIMESTAMP_LABELS, {})}
        />
        <TextField
          label="Calorific value (MJ/m³, gas volumes)"
          name="calorificValue"
          value={calorificValue}
          onValue={setCalorificValue}
        />
      </Form>
    </details>
  );
}
