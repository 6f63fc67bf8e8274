// Imports (admin): upload a readings file with its options, watch the upload, then follow the job;
// below, every job with a status filter and search.
import { useEffect, useState } from "preact/hooks";
import { JOB_STATUSES } from "../../../src/enums";
import { api, type ApiError, type JobStatus } from "../api";
import { formatBytes, formatDateTime, formatInt } from "../format";
import { ImportHelp } from "../imports/help";
import { JobStatusBadge, ProgressBar, statusLabel } from "../imports/status";
import { uploadImport, type ImportOptionsForm } from "../imports/upload";
import { useDebounced, useResource } from "../resource";
import { Link, navigate } from "../router";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { asApiError, Field, fieldError, FormError } from "../ui/form";

const PAGE_SIZE = 50;
const OPTION_FIELDS = [
  "file",
  "meter",
  "dryRun",
  "format",
  "timestampLabels",
  "columns",
  "onConflict",
  "notes",
  "tags",
];

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

function UploadForm() {
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<string>("");
  const [dragging, setDragging] = useState(false);
  const [options, setOptions] = useState<ImportOptionsForm>({
    dryRun: false,
    meter: "",
    format: "auto",
    timestampLabels: "start",
    columns: "",
    onConflict: "replace",
    notes: "",
    tags: "",
  });
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [abort, setAbort] = useState<AbortController | null>(null);
  const set = <K extends keyof ImportOptionsForm>(k: K, v: ImportOptionsForm[K]) =>
    setOptions((o) => ({ ...o, [k]: v }));
  const colErr = columnsError(options.columns);

  function choose(f: File | null | undefined) {
    setFile(f ?? null);
    setError(null);
    setHead("");
    // A preview of the first lines, so a wrong file is obvious before uploading it.
    f?.slice(0, 2048)
      .text()
      .then((t) => setHead(t.split(/\r?\n/).slice(0, 5).join("\n")))
      .catch(() => setHead(""));
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!file || colErr) return;
    const controller = new AbortController();
    setAbort(controller);
    setError(null);
    setProgress(0);
    try {
      const created = await uploadImport(file, options, setProgress, controller.signal);
      navigate(`/imports/${encodeURIComponent(created.batchId)}`);
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.code !== "aborted") setError(apiErr);
      setProgress(null);
      setAbort(null);
    }
  }

  const uploading = progress !== null;
  return (
    <form class="card upload" onSubmit={submit} data-testid="import-form">
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
            {!uploading && (
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
            disabled={uploading}
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
        <label class="check">
          <input
            type="checkbox"
            checked={options.dryRun}
            onChange={(e) => set("dryRun", e.currentTarget.checked)}
          />
          <span>
            Dry run <span class="muted">(check the file, write nothing)</span>
          </span>
        </label>
        <div class="form-row">
          <Field
            label="Meter"
            hint="For files with no meter column: its MPAN or MPRN"
            error={fieldError(error, "meter")}
          >
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                value={options.meter}
                onInput={(e) => set("meter", e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Layout" error={fieldError(error, "format")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={options.format}
                onChange={(e) => set("format", e.currentTarget.value)}
              >
                <option value="auto">Detect automatically</option>
                <option value="narrow">Narrow (one reading per row)</option>
                <option value="wide">Wide (one day per row)</option>
                <option value="daily">Daily totals</option>
                <option value="register">Register reads</option>
              </select>
            )}
          </Field>
        </div>
        <div class="form-row">
          <Field
            label="Timestamps mark"
            hint="For narrow files with one timestamp per reading"
            error={fieldError(error, "timestampLabels")}
          >
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={options.timestampLabels}
                onChange={(e) => set("timestampLabels", e.currentTarget.value)}
              >
                <option value="start">The start of the half-hour</option>
                <option value="end">The end of the half-hour</option>
              </select>
            )}
          </Field>
          <Field label="Existing readings" error={fieldError(error, "onConflict")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={options.onConflict}
                onChange={(e) => set("onConflict", e.currentTarget.value)}
              >
                <option value="replace">Replace with the file's values</option>
                <option value="keep">Keep, import only new half-hours</option>
              </select>
            )}
          </Field>
        </div>
        <Field
          label="Column mapping (JSON)"
          hint='Optional, e.g. {"meter":"M1_Code1","date":"Date"}'
          error={colErr ?? fieldError(error, "columns")}
        >
          {(id, d) => (
            <textarea
              id={id}
              aria-describedby={d}
              rows={2}
              class="mono"
              spellcheck={false}
              value={options.columns}
              onInput={(e) => set("columns", e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-row">
          <Field label="Notes" error={fieldError(error, "notes")}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                maxLength={2000}
                value={options.notes}
                onInput={(e) => set("notes", e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Tags" hint="Comma-separated" error={fieldError(error, "tags")}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                value={options.tags}
                onInput={(e) => set("tags", e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
      </div>
      {uploading && <ProgressBar value={(progress ?? 0) * 100} label="Upload progress" />}
      <FormError error={error} fields={OPTION_FIELDS} />
      <div class="form-actions">
        {uploading && abort && (
          <button type="button" class="btn" onClick={() => abort.abort()}>
            Cancel upload
          </button>
        )}
        <button type="submit" class="btn btn--primary" disabled={!file || uploading || Boolean(colErr)}>
          {uploading ? "Uploading…" : options.dryRun ? "Upload and check" : "Upload and import"}
        </button>
      </div>
    </form>
  );
}

function JobList() {
  const [status, setStatus] = useState<JobStatus | "">("");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const search = useDebounced(q.trim());
  useEffect(() => setPage(1), [status, search]);
  const jobs = useResource(
    () =>
      api.get("/api/import/jobs", {
        params: { query: { status: status || undefined, q: search || undefined, page } },
      }),
    [status, search, page],
  );
  const list = jobs.data?.data ?? [];
  const total = jobs.data?.total ?? list.length;
  const active = list.some((j) => j.status === "queued" || j.status === "processing");
  useEffect(() => {
    if (!active) return;
    const t = setInterval(jobs.reload, 3000);
    return () => clearInterval(t);
  }, [active]);

  return (
    <section>
      <div class="section-head">
        <h2>Jobs</h2>
        {jobs.data && <span class="muted">{formatInt(total)} in all</span>}
      </div>
      <div class="toolbar">
        <input
          type="search"
          class="search"
          placeholder="Search file name, notes, tags or batch id"
          aria-label="Search jobs"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <select
          aria-label="Status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as JobStatus | "")}
        >
          <option value="">Any status</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </div>
      {jobs.error ? (
        <ErrorNotice error={jobs.error} onRetry={jobs.reload} />
      ) : !jobs.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <EmptyState title={status || search ? "No jobs match" : "No imports yet"}>
          <p>
            {status || search
              ? "Try another status or search."
              : "Upload a readings file above; its job appears here."}
          </p>
        </EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table data-testid="jobs-table">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col" class="num">
                    Rows
                  </th>
                  <th scope="col" class="num">
                    Failed
                  </th>
                  <th scope="col">Created</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {list.map((j) => (
                  <tr key={j.batchId}>
                    <td>
                      <Link href={`/imports/${encodeURIComponent(j.batchId)}`}>
                        {j.fileName ?? j.batchId}
                      </Link>
                      {j.dryRun && <span class="badge badge--neutral badge--inline">dry run</span>}
                      <div class="muted small mono">{formatBytes(j.bytesTotal)}</div>
                    </td>
                    <td>
                      <JobStatusBadge status={j.status} />
                    </td>
                    <td class="nowrap">{j.progress}%</td>
                    <td class="num">{formatInt(j.rowsImported)}</td>
                    <td class="num">{formatInt(j.rowsFailed)}</td>
                    <td class="nowrap">{formatDateTime(j.createdAt ?? j.startedAt)}</td>
                    <td class="truncate">{j.notes ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {total > PAGE_SIZE && (
            <div class="pager">
              <button
                type="button"
                class="btn btn--small"
                disabled={page <= 1}
                onClick={() => setPage(page - 1)}
              >
                Previous
              </button>
              <span class="muted">
                Page {page} of {Math.ceil(total / PAGE_SIZE)}
              </span>
              <button
                type="button"
                class="btn btn--small"
                disabled={page * PAGE_SIZE >= total}
                onClick={() => setPage(page + 1)}
              >
                Next
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

export function ImportsPage() {
  return (
    <>
      <PageHeader
        title="Imports"
        subtitle="Upload half-hourly, daily or register readings from supplier and portal CSV files."
      />
      <div class="imports-grid">
        <UploadForm />
        <ImportHelp />
      </div>
      <JobList />
    </>
  );
}
