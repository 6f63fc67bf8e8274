// The preview of an import: the head of the chosen file (never more than 64 KB, cut at a line end) and
// the options so far go to POST /api/import/preview, which answers what it detected and the first
// readings as they would be stored.
import { apiErrorOf, type Answer } from "../api";

export type ImportPreview = Answer<"/api/import/preview", "post">;

/** The preview reads this much of the file, as the import's own detection does. */
export const PREVIEW_HEAD_BYTES = 64 * 1024;

/** The file's first bytes up to the last line end within PREVIEW_HEAD_BYTES (the whole file if smaller). */
async function headOf(file: File): Promise<Blob> {
  if (file.size <= PREVIEW_HEAD_BYTES) return file;
  const bytes = new Uint8Array(await file.slice(0, PREVIEW_HEAD_BYTES).arrayBuffer());
  const end = bytes.lastIndexOf(10);
  return new Blob([end > 0 ? bytes.subarray(0, end + 1) : bytes]);
}

export async function previewImport(
  file: File,
  fields: Record<string, string>,
  signal?: AbortSignal,
): Promise<ImportPreview> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", await headOf(file), file.name);
  const res = await fetch("/api/import/preview", {
    method: "POST",
    body: form,
    signal,
    headers: { Accept: "application/json" },
  });
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) throw apiErrorOf(res, body);
  return body as ImportPreview;
}

/** The cells of a file's first non-blank line, split on its likeliest delimiter (for column choices when the preview fails). */
export function firstLineCells(head: string): string[] {
  const line = head.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const delimiter = [",", ";", "\t"].reduce((a, b) => (line.split(b).length > line.split(a).length ? b : a));
  return line.split(delimiter).map((c) => c.replace(/^"|"$/g, "").trim());
}
