// Splitting an uploaded file into byte ranges that start at line starts, with the file line number
// each range starts on, so every row error can name its real line.

export type ByteRange = { index: number; start: number; end: number; firstLine: number };

/** Each range is a few MB: small enough to parse in one go well inside 128 MB, big enough to write in bulk. */
export const RANGE_BYTES = 4 * 1024 * 1024;

/**
 * Streams `body` (the file's bytes, which begin at object offset `fileStart`) once, counting lines.
 * Data starts on the line after `headerLine` (1-based). `maxRanges` = 1 keeps a whole file in one range
 * (register reads need the previous read of each meter).
 */
export async function splitIntoRanges(
  body: ReadableStream<Uint8Array>,
  fileStart: number,
  fileEnd: number,
  headerLine: number,
  rangeBytes = RANGE_BYTES,
): Promise<ByteRange[]> {
  const starts: { start: number; firstLine: number }[] = [];
  let line = 1;
  let offset = fileStart;
  let nextBoundary = Number.POSITIVE_INFINITY;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let i = value.indexOf(10);
    while (i >= 0) {
      line++;
      const lineStart = offset + i + 1;
      if (line === headerLine + 1) {
        starts.push({ start: lineStart, firstLine: line });
        nextBoundary = lineStart + rangeBytes;
      } else if (lineStart >= nextBoundary) {
        starts.push({ start: lineStart, firstLine: line });
        nextBoundary = lineStart + rangeBytes;
      }
      i = value.indexOf(10, i + 1);
    }
    offset += value.length;
  }
  // A file whose header is its last line, without a newline after it, has no data.
  return starts
    .map((s, index) => ({
      index,
      start: s.start,
      end: starts[index + 1]?.start ?? fileEnd,
      firstLine: s.firstLine,
    }))
    .filter((r) => r.end > r.start);
}
