// Cutting an uploaded file into byte ranges that start at line starts. The cut points are found by
// reading a little at each mark, not the whole file: a range counts its own lines when it is processed,
// and row errors are kept by range and line within it (see error-lines.ts).
import { readRange } from "./storage";

export type ByteRange = { index: number; start: number; end: number };

/** Each range is a few MB: small enough to parse in one go well inside 128 MB, big enough to write in bulk. */
export const RANGE_BYTES = 4 * 1024 * 1024;
/** Bytes read at a time while looking for the next line start. */
const PROBE_BYTES = 64 * 1024;

/** The first line start at or after `mark` (before `end`), or undefined when no line starts there. */
async function lineStartFrom(env: Env, key: string, mark: number, end: number) {
  // A line starts at `mark` when the byte before it ends a line, so the search begins one byte early.
  for (let offset = mark - 1; offset < end; offset += PROBE_BYTES) {
    const bytes = await readRange(env, key, { offset, length: Math.min(PROBE_BYTES, end - offset) });
    const i = bytes.indexOf(10);
    if (i >= 0) return offset + i + 1 < end ? offset + i + 1 : undefined;
  }
  return undefined;
}

/**
 * Cuts the object's bytes [dataStart, end) into ranges of about `rangeBytes`, each starting at a line
 * start. An infinite `rangeBytes` keeps the file in one range (register reads chain each meter's reads).
 */
export async function cutRanges(
  env: Env,
  key: string,
  dataStart: number,
  end: number,
  rangeBytes = RANGE_BYTES,
): Promise<ByteRange[]> {
  if (dataStart >= end) return [];
  const starts = [dataStart];
  for (let mark = dataStart + rangeBytes; mark < end;) {
    const start = await lineStartFrom(env, key, mark, end);
    if (start === undefined) break;
    starts.push(start);
    mark = start + rangeBytes;
  }
  return starts.map((start, index) => ({ index, start, end: starts[index + 1] ?? end }));
}

/** The byte offset just after the `line`-th line end in `bytes`, or undefined when it has fewer. */
export function offsetAfterLine(bytes: Uint8Array, line: number): number | undefined {
  let at = -1;
  for (let n = 0; n < line; n++) {
    at = bytes.indexOf(10, at + 1);
    if (at < 0) return undefined;
  }
  return at + 1;
}

/** Line ends in a text: a range's line count. */
export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
