// The upload form: a file (dropped or chosen, with its first lines), then what the importer detected in
// it (a preview from the file's head, each setting a dropdown to change), the import options, the
// upload's progress with a way to cancel it, then on to the new job's page.
import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../api";
import { asApiError, useAction } from "../query";
import { navigate } from "../router";
import { CONFLICT_POLICIES } from "../../../src/enums";
import { CheckField, fieldError, Form, optionsOfEnum, SelectField, TextField } from "../ui/form";
import { formatBytes } from "../ui/format";
import { PreviewPanel } from "./preview-panel";
import { firstLineCells, previewImport, type ImportPreview } from "./preview";
import { ProgressBar } from "./status";
import { optionFields, uploadImport, type ImportOptionsForm } from "./upload";

const CONFLICTS = optionsOfEnum(CONFLICT_POLICIES, {
  replace: "Replace with the file's values",
  keep: "Keep, import only new half-hours",
});

const INITIAL: ImportOptionsForm = {
  dryRun: false,
  autoCreateMeters: false,
  meter: "",
  format: "auto",
  timestampLabels: "",
  unit: "",
  dateOrder: "",
  calorificValue: "",
  columns: {},
  onConflict: "replace",
  notes: "",
  tags: "",
};

/** The preview of the chosen file under the options so far, asked again when either changes. */
function usePreview(file: File | null, fields: Record<string, string>) {
  const [state, setState] = useState<{
    preview: ImportPreview | null;
    error: ApiError | null;
    busy: boolean;
  }>({
    preview: null,
    error: null,
    busy: false,
  });
  const key = JSON.stringify(fields);
  useEffect(() => {
    if (!file) {
      setState({ preview: null, error: null, busy: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, busy: true }));
    // A short pause, so typing a meter does not send a preview per keystroke.
    const timer = setTimeout(() => {
      previewImport(file, fields, controller.signal)
        .then((preview) => setState({ preview, error: null, busy: false }))
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setState({ preview: null, error: asApiError(err), busy: false });
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `key` stands for `fields` (a new object each render).
  }, [file, key]);
  return state;
}

export function UploadForm() {
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<string>("");
  const [dragging, setDragging] = useState(false);
  const [options, setOptions] = useState<ImportOptionsForm>(INITIAL);
  const set = <K extends keyof ImportOptionsForm>(key: K, value: ImportOptionsForm[K]) =>
    setOptions((o) => ({ ...o, [key]: value }));
  const bind = (key: "meter" | "notes" | "tags") => ({
    name: key,
    value: options[key],
    onValue: (v: string) => set(key, v),
  });
  const dryRun = options.dryRun;
  const [progress, setProgress] = useState(0);
  const [abort, setAbort] = useState<AbortController | null>(null);
  // The preview does not depend on what only the write does (dry run, conflicts, notes, tags).
  const shown = usePreview(
    file,
    optionFields({ ...options, dryRun: false, onConflict: "replace", notes: "", tags: "" }),
  );

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
    // Choices about another file's columns mean nothing for this one.
    set("columns", {});
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
      canSubmit={Boolean(file)}
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

      {file && (
        <PreviewPanel
          preview={shown.preview}
          error={shown.error}
          busy={shown.busy}
          headers={shown.preview?.headers ?? firstLineCells(head)}
          options={options}
          set={set}
        />
      )}

      <div class="options">
        <CheckField checked={dryRun} onValue={(v) => set("dryRun", v)}>
          Dry run <span class="muted">(check the file, write nothing)</span>
        </CheckField>
        <CheckField checked={options.autoCreateMeters} onValue={(v) => set("autoCreateMeters", v)}>
          Create unknown meters <span class="muted">(on an “Unassigned meters” site)</span>
        </CheckField>
        <div class="form-row">
          <TextField
            label="Meter"
            hint="For files with no meter column: its MPAN or MPRN"
            {...bind("meter")}
          />
          <SelectField
            label="Existing readings"
            options={CONFLICTS}
            value={options.onConflict}
            onValue={(v) => set("onConflict", v as ImportOptionsForm["onConflict"])}
          />
        </div>
        <div class="form-row">
          <TextField label="Notes" maxLength={2000} {...bind("notes")} />
          <TextField label="Tags" hint="Comma-separated" {...bind("tags")} />
        </div>
      </div>
      {upload.busy && <ProgressBar value={progress * 100} label="Upload progress" />}
    </Form>
  );
}
