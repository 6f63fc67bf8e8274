// The upload form: a file (dropped or chosen, with a preview of its first lines), the import options,
// the upload's progress with a way to cancel it, then on to the new job's page.
import { useState } from "preact/hooks";
import { useAction } from "../query";
import { navigate } from "../router";
import { CONFLICT_POLICIES, TIMESTAMP_LABELS } from "../../../src/enums";
import {
  CheckField,
  fieldError,
  Form,
  optionsOfEnum,
  SelectField,
  TextField,
  useFormState,
} from "../ui/form";
import { formatBytes } from "../ui/format";
import { LAYOUT_OPTIONS } from "./layouts";
import { ProgressBar } from "./status";
import { uploadImport, type ImportOptionsForm } from "./upload";

const TIMESTAMPS = optionsOfEnum(TIMESTAMP_LABELS, {
  start: "The start of the half-hour",
  end: "The end of the half-hour",
});
const CONFLICTS = optionsOfEnum(CONFLICT_POLICIES, {
  replace: "Replace with the file's values",
  keep: "Keep, import only new half-hours",
});

function columnsError(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (
      v &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      Object.values(v).every((x) => typeof x === "string")
    )
      return undefined;
  } catch {}
  return 'must be a JSON object of header names, e.g. {"meter":"M1_Code1","date":"Date"}';
}

export function UploadForm() {
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<string>("");
  const [dragging, setDragging] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const { values, bind } = useFormState<Omit<ImportOptionsForm, "dryRun">>({
    meter: "",
    format: "auto",
    timestampLabels: "start",
    columns: "",
    onConflict: "replace",
    notes: "",
    tags: "",
  });
  const options: ImportOptionsForm = { ...values, dryRun };
  const [progress, setProgress] = useState(0);
  const [abort, setAbort] = useState<AbortController | null>(null);
  const colErr = columnsError(values.columns);

  const upload = useAction(
    () => {
      const controller = new AbortController();
      setAbort(controller);
      setProgress(0);
      return uploadImport(file!, options, setProgress, controller.signal);
    },
    {
      invalidates: ["/api/import/jobs"],
      onDone: (created) => navigate(`/imports/${encodeURIComponent(created.batchId)}`),
    },
  );
  // A cancelled upload is the user's choice, not an error to show.
  const error = upload.error?.code === "aborted" ? null : upload.error;

  function choose(f: File | null | undefined) {
    setFile(f ?? null);
    upload.reset();
    setHead("");
    // A preview of the first lines, so a wrong file is obvious before uploading it.
    f?.slice(0, 2048)
      .text()
      .then((t) => setHead(t.split(/\r?\n/).slice(0, 5).join("\n")))
      .catch(() => setHead(""));
  }

  return (
    <Form
      action={{ ...upload, error }}
      class="card upload"
      testid="import-form"
      ownErrors={["file"]}
      canSubmit={Boolean(file) && !colErr}
      submitLabel={dryRun ? "Upload and check" : "Upload and import"}
      busyLabel="Uploading…"
      extraActions={
        upload.busy &&
        abort && (
          <button type="button" class="btn" onClick={() => abort.abort()}>
            Cancel upload
          </button>
        )
      }
    >
      <div class="card-head">
        <h2>New import</h2>
      </div>
      <div
        class={`dropzone${dragging ? " dropzone--over" : ""}${file ? " dropzone--chosen" : ""}`}
        data-testid="dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(e) => {
          if (e.currentTarget === e.target) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          choose(e.dataTransfer?.files?.[0]);
        }}
      >
        {file ? (
          <div class="dropzone-file">
            <strong data-testid="chosen-file">{file.name}</strong>
            <span class="muted">{formatBytes(file.size)}</span>
            {!upload.busy && (
              <button type="button" class="btn btn--small" onClick={() => choose(null)}>
                Remove
              </button>
            )}
          </div>
        ) : (
          <p>Drop a CSV file here, or</p>
        )}
        <label class="btn">
          {file ? "Choose another file" : "Choose a file"}
          <input
            type="file"
            class="sr-only"
            accept=".csv,.txt,.tsv,text/csv,text/plain"
            aria-label="Readings file"
            disabled={upload.busy}
            onChange={(e) => choose(e.currentTarget.files?.[0])}
          />
        </label>
        {head && (
          <pre class="file-head" aria-label="First lines of the file">
            {head}
          </pre>
        )}
      </div>
      {fieldError(error, "file") && (
        <p class="field-error" role="alert">
          {fieldError(error, "file")}
        </p>
      )}

      <div class="options">
        <CheckField checked={dryRun} onValue={setDryRun}>
          Dry run <span class="muted">(check the file, write nothing)</span>
        </CheckField>
        <div class="form-row">
          <TextField
            label="Meter"
            hint="For files with no meter column: its MPAN or MPRN"
            {...bind("meter")}
          />
          <SelectField label="Layout" options={LAYOUT_OPTIONS} {...bind("format")} />
        </div>
        <div class="form-row">
          <SelectField
            label="Timestamps mark"
            hint="For narrow files with one timestamp per reading"
            options={TIMESTAMPS}
            {...bind("timestampLabels")}
          />
          <SelectField label="Existing readings" options={CONFLICTS} {...bind("onConflict")} />
        </div>
        <TextField
          label="Column mapping (JSON)"
          hint='Optional, e.g. {"meter":"M1_Code1","date":"Date"}'
          error={colErr}
          rows={2}
          class="mono"
          spellcheck={false}
          {...bind("columns")}
        />
        <div class="form-row">
          <TextField label="Notes" maxLength={2000} {...bind("notes")} />
          <TextField label="Tags" hint="Comma-separated" {...bind("tags")} />
        </div>
      </div>
      {upload.busy && <ProgressBar value={progress * 100} label="Upload progress" />}
    </Form>
  );
}
