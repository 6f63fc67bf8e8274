// Splitting an uploaded file into byte ranges that start at line starts, with the file line number
// each range starts on, so every row error can name its real line.

export type ByteRange = { index: number; start: number; end: number; firstLine: number };

/** Each range is a few MB: small enough to parse in one go well inside 128 MB, big enough to write in bulk. */
export const RANGE_BYTES = 4 * 1024 * 1024;

/** Bytes per read while the plan counts lines: big reads keep the per-chunk stream overhead out of the scan. */
export const SCAN_PIECE_BYTES = 8 * 1024 * 1024;

/** Reads an R2 object's bytes [start, end) in pieces of `pieceBytes`, one ranged GET each. */
export async function* readPieces(
  bucket: R2Bucket,
  key: string,
  start: number,
  end: number,
  pieceBytes = SCAN_PIECE_BYTES,
): AsyncGenerator<Uint8Array> {
  for (let offset = start; offset < end; offset += pieceBytes) {
    const object = await bucket.get(key, { range: { offset, length: Math.min(pieceBytes, end - offset) } });
    if (!object) throw new Error(`upload ${key} vanished`);
    yield new Uint8Array(await object.arrayBuffer());
  }
}

/**
 * Reads `pieces` (the file's bytes, which begin at object offset `fileStart`) once, counting lines.
 * Data starts on the line after `headerLine` (1-based). An infinite `rangeBytes` keeps a whole file in one range
 * (register reads need the previous read of each meter).
 */
export async function splitIntoRanges(
  pieces: AsyncIterable<Uint8Array>,
  fileStart: number,
  fileEnd: number,
  headerLine: number,
  rangeBytes = RANGE_BYTES,
): Promise<ByteRange[]> {
  const starts: { start: number; firstLine: number }[] = [];
  let line = 1;
  let offset = fileStart;
  let nextBoundary = Number.POSITIVE_INFINITY;
  for await (const value of pieces) {
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
