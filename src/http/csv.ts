// CSV output that a spreadsheet cannot be tricked by: quoted cells, and formula-looking cells defused.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  // A cell starting like a formula is shown as text, not evaluated (OWASP CSV injection).
  if (FORMULA_START.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}

/** Whether a report route should answer CSV: `format=csv`, or no format and `Accept: text/csv`. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  return format === "csv" || (format === undefined && /\btext\/csv\b/.test(accept ?? ""));
}

/** A CSV download: its lines (from csvLine) as an attachment named `fileName`. */
export function csvAttachment(lines: string[], fileName: string): Response {
  return new Response(lines.join(""), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
    },
  });
}
