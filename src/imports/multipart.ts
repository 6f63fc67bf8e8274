// Finding the parts of a multipart/form-data body that was streamed to R2 whole: the small fields and
// the file's byte range are read from the object's head and tail, so the upload never sits in memory.

export type LocatedForm = {
  fields: Record<string, string>;
  file: { name: string; contentType: string; start: number; end: number } | null;
};

export class MultipartError extends Error {}

export function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

/** Bytes as a string of the same length (one char per byte), so string offsets are byte offsets. */
function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192)));
  }
  return out;
}

export const FILE_FIELD = "file";

/** Only the `file` field holds the file: a file under another name is refused, not taken silently. */
function assertFileField(name: string | undefined): void {
  if (name !== FILE_FIELD) {
    throw new MultipartError(
      `file: attach the CSV as the \`file\` field (a file came in field \`${fromLatin1(name ?? "").slice(0, 100)}\`)`,
    );
  }
}

const utf8 = new TextDecoder();
const fromLatin1 = (s: string) => utf8.decode(Uint8Array.from(s, (ch) => ch.charCodeAt(0)));

function partHeaders(block: string) {
  const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(block)?.[1] ?? "";
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  const contentType = /content-type:\s*([^\r\n]+)/i.exec(block)?.[1]?.trim() ?? "application/octet-stream";
  return { name, filename: filename === undefined ? undefined : fromLatin1(filename), contentType };
}

/**
 * `head` holds the object's first bytes and `tail` its last bytes (`tailStart` = where the tail begins).
 * Small fields may sit before or after the file; the file may be anywhere between.
 */
export function locateForm(
  head: Uint8Array,
  tail: Uint8Array,
  tailStart: number,
  boundary: string,
  /** Only the head of the body was read (a preview): a file running past it ends where the head does. */
  truncated = false,
): LocatedForm {
  const delimiter = `--${boundary}`;
  const h = latin1(head);
  const t = latin1(tail);
  const fields: Record<string, string> = {};
  let file: LocatedForm["file"] = null;

  // Walk the parts found in the head. A part whose end is not in the head is the file (it is big).
  let pos = h.indexOf(delimiter);
  if (pos < 0) throw new MultipartError("the body is not multipart/form-data with the declared boundary");
  let tailScanFrom = 0;
  while (pos >= 0) {
    const after = pos + delimiter.length;
    if (h.startsWith("--", after)) return { fields, file }; // closing delimiter
    const headerEnd = h.indexOf("\r\n\r\n", after);
    if (headerEnd < 0) throw new MultipartError("a part's headers do not fit in the first bytes of the body");
    const { name, filename, contentType } = partHeaders(h.slice(after, headerEnd));
    const bodyStart = headerEnd + 4;
    const next = h.indexOf(`\r\n${delimiter}`, bodyStart);
    if (next >= 0) {
      if (filename !== undefined) {
        assertFileField(name);
        file = { name: filename, contentType, start: bodyStart, end: next };
      } else if (name) fields[name] = fromLatin1(h.slice(bodyStart, next));
      pos = next + 2;
      continue;
    }
    // The part runs past the head: it is the file, and it ends at the first delimiter in the tail.
    if (filename === undefined) throw new MultipartError("a form field is too large");
    assertFileField(name);
    if (truncated) return { fields, file: { name: filename, contentType, start: bodyStart, end: h.length } };
    const endInTail = t.indexOf(`\r\n${delimiter}`, Math.max(0, bodyStart - tailStart));
    if (endInTail < 0) throw new MultipartError("the body ends without a closing delimiter");
    file = { name: filename, contentType, start: bodyStart, end: tailStart + endInTail };
    tailScanFrom = endInTail + 2;
    break;
  }
  // Fields after a big file are in the tail.
  let tpos = t.indexOf(delimiter, tailScanFrom);
  while (tpos >= 0) {
    const after = tpos + delimiter.length;
    if (t.startsWith("--", after)) break;
    const headerEnd = t.indexOf("\r\n\r\n", after);
    if (headerEnd < 0) break;
    const { name, filename } = partHeaders(t.slice(after, headerEnd));
    const next = t.indexOf(`\r\n${delimiter}`, headerEnd + 4);
    if (next < 0) break;
    if (filename !== undefined) assertFileField(name);
    else if (name) fields[name] = fromLatin1(t.slice(headerEnd + 4, next));
    tpos = next + 2;
  }
  return { fields, file };
}
