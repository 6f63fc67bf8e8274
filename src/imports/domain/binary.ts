// Refusing binary uploads (spreadsheets, zips, images) before anything tries to parse them as CSV.

import { utf16Of } from "./decode";

const SAMPLE_BYTES = 8192;
/** Share of control bytes above which a sample is not text. */
const MAX_CONTROL_SHARE = 0.1;

/**
 * True when the first 8 KB (not UTF-16: see decode.ts) hold a NUL byte or more than 10 % control bytes (other than tab, CR, LF,
 * form feed). Bytes ≥ 0x80 count as text: UTF-8 and Latin-1 files are welcome.
 */
export function detectBinary(bytes: Uint8Array): boolean {
  // UTF-16 text has a NUL in every other byte: it is decoded, not refused.
  if (utf16Of(bytes)) return false;
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if ((b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) || b === 127) control++;
  }
  return control / n > MAX_CONTROL_SHARE;
}
