// Sending an import file: one multipart request with upload progress (XMLHttpRequest, since fetch has
// no upload progress), or, for files too big for one Worker request, equal parts through /api/uploads.
import type {
  CONFLICT_POLICIES,
  DATE_ORDERS,
  IMPORT_FORMATS,
  IMPORT_UNITS,
  TIMESTAMP_LABELS,
} from "../../../src/enums";
import { api, apiErrorOf, ApiError, type Answer } from "../api";

/** Above this a single request is too large for a Worker; the README promises parts from ~90 MB. */
export const SINGLE_REQUEST_LIMIT = 90 * 1024 * 1024;

/** The options as the form holds them; "" = let the importer detect it. */
export type ImportOptionsForm = {
  dryRun: boolean;
  autoCreateMeters: boolean;
  meter: string;
  format: (typeof IMPORT_FORMATS)[number];
  timestampLabels: (typeof TIMESTAMP_LABELS)[number] | "";
  unit: (typeof IMPORT_UNITS)[number] | "";
  dateOrder: (typeof DATE_ORDERS)[number] | "";
  calorificValue: string;
  /** Role → header name or 1-based column number, chosen in the preview. */
  columns: Record<string, string | number>;
  onConflict: (typeof CONFLICT_POLICIES)[number];
  notes: string;
  tags: string;
};

export type Created = Answer<"/api/import/jobs", "post">;

/** The request fields of the options: only what the user set, so the rest is detected. */
export function optionFields(o: ImportOptionsForm): Record<string, string> {
  const fields: Record<string, string> = {
    dryRun: String(o.dryRun),
    autoCreateMeters: String(o.autoCreateMeters),
    format: o.format,
    onConflict: o.onConflict,
  };
  if (o.timestampLabels) fields.timestampLabels = o.timestampLabels;
  if (o.unit) fields.unit = o.unit;
  if (o.dateOrder) fields.dateOrder = o.dateOrder;
  if (o.calorificValue.trim()) fields.calorificValue = o.calorificValue.trim();
  if (o.meter.trim()) fields.meter = o.meter.trim();
  if (Object.keys(o.columns).length > 0) fields.columns = JSON.stringify(o.columns);
  if (o.notes.trim()) fields.notes = o.notes.trim();
  if (o.tags.trim()) fields.tags = o.tags.trim();
  return fields;
}

function parseError(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as unknown;
    if (body && typeof body === "object" && "error" in body) return apiErrorOf(xhr, body);
  } catch {}
  if (xhr.status === 413) return new ApiError(413, "too_large", "the file is larger than the upload limit");
  return new ApiError(
    xhr.status,
    `http_${xhr.status}`,
    `the upload failed (${xhr.status || "network error"})`,
  );
}

/** One XHR; `onProgress` gets the bytes of the body sent so far. */
function send<T>(
  method: string,
  url: string,
  body: XMLHttpRequestBodyInit,
  onProgress: (sent: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.responseType = "text";
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText || "null") as T);
      else reject(parseError(xhr));
    };
    xhr.onerror = () =>
      reject(new ApiError(0, "network", "the connection dropped during the upload; try again"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "upload cancelled"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}

/** Parts uploaded at the same time. */
const PARTS_IN_FLIGHT = 3;

/** Uploads the file and creates the job; progress is reported as a fraction 0–1 of the file's bytes. */
export async function uploadImport(
  file: File,
  options: ImportOptionsForm,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Created> {
  const fields = optionFields(options);
  if (file.size <= SINGLE_REQUEST_LIMIT) {
    const form = new FormData();
    // Options before the file, so the server has them before it streams the file to storage.
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", file, file.name);
    return send<Created>(
      "POST",
      "/api/import/jobs",
      form,
      (sent) => onProgress(Math.min(1, sent / file.size)),
      signal,
    );
  }
  const begun = await api.post("/api/uploads", { body: { fileName: file.name, size: file.size } });
  // A few parts in flight at once hide the round trip to the edge; each part's bytes count as they go.
  const sent = new Array<number>(begun.partCount + 1).fill(0);
  const report = () => onProgress(sent.reduce((a, b) => a + b, 0) / file.size);
  let next = 1;
  const worker = async () => {
    while (next <= begun.partCount) {
      const n = next++;
      const part = file.slice((n - 1) * begun.partSize, Math.min(file.size, n * begun.partSize));
      await send(
        "PUT",
        `/api/uploads/${begun.uploadId}/parts/${n}`,
        part,
        (bytes) => {
          sent[n] = bytes;
          report();
        },
        signal,
      );
      sent[n] = part.size;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, begun.partCount) }, worker));
  await api.post("/api/uploads/{id}/complete", { params: { path: { id: begun.uploadId } } });
  return api.send("/api/import/jobs", { uploadId: begun.uploadId, ...fields });
}
