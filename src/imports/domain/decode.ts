// Text encodings of supplier files: UTF-8 (with or without a BOM), UTF-16 LE/BE (by BOM, or by the
// pattern of NUL bytes when the BOM is missing or damaged) and Windows-1252 (bytes that are not UTF-8,
// as Excel on Windows saves "£" and "³"). Decoding is hand-written: Workers' TextDecoder knows UTF-8 only
// for certain, and these are a few lines each.

export const TEXT_ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "windows-1252"] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

const SAMPLE_BYTES = 8192;

/**
 * UTF-16 by BOM, or by NULs: in ASCII-range UTF-16 text every other byte is NUL, at odd offsets for
 * little-endian and even ones for big-endian. Undefined for anything else (binary has NULs anywhere).
 */
export function utf16Of(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  const n = Math.min(bytes.length, SAMPLE_BYTES) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  // A damaged BOM ("ï»¿" or U+FFFD written as bytes) shifts nothing when its length is even; allow a few strays.
  if (oddNul >= pairs * 0.9 && evenNul <= pairs * 0.02) return "utf-16le";
  if (evenNul >= pairs * 0.9 && oddNul <= pairs * 0.02) return "utf-16be";
  return undefined;
}

/** Whether the bytes are valid UTF-8 (a sequence cut off by the end of a head sample is allowed). */
export function isUtf8(bytes: Uint8Array, truncated = false): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const extra = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : -1;
    if (extra < 0 || (b >= 0xe0 && b < 0xf0 && extra !== 2)) return false;
    if (i + extra >= n) return truncated;
    for (let k = 1; k <= extra; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return false;
    i += extra + 1;
  }
  return true;
}

/** The encoding of a file judged by its head: UTF-16 first, then UTF-8, else Windows-1252. */
export function encodingOf(head: Uint8Array, wholeFile: boolean): TextEncoding {
  const utf16 = utf16Of(head);
  if (utf16) return utf16;
  return isUtf8(head, !wholeFile) ? "utf-8" : "windows-1252";
}

/** Windows-1252 0x80–0x9F (the rest is Latin-1); 0 = undefined byte, read as U+FFFD. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

/**
 * Bytes as text. UTF-16 drops its BOM and any junk a damaged BOM left before the first printable
 * character; an odd trailing byte is dropped. UTF-8 keeps its BOM (sniff strips it).
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  if (encoding === "utf-8") return new TextDecoder().decode(bytes);
  const parts: string[] = [];
  const CHUNK = 8192;
  if (encoding === "windows-1252") {
    for (let i = 0; i < bytes.length; i += CHUNK) {
      const end = Math.min(bytes.length, i + CHUNK);
      const codes = new Array<number>(end - i);
      for (let k = i; k < end; k++) {
        const b = bytes[k];
        codes[k - i] = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] || 0xfffd : b;
      }
      parts.push(String.fromCharCode(...codes));
    }
    return parts.join("");
  }
  const little = encoding === "utf-16le";
  const n = bytes.length & ~1;
  for (let i = 0; i < n; i += CHUNK) {
    const end = Math.min(n, i + CHUNK);
    const codes = new Array<number>((end - i) / 2);
    for (let k = i; k < end; k += 2)
      codes[(k - i) / 2] = little ? bytes[k] | (bytes[k + 1] << 8) : (bytes[k] << 8) | bytes[k + 1];
    parts.push(String.fromCharCode(...codes));
  }
  const text = parts.join("");
  let start = 0;
  while (start < text.length && start < 8) {
    const c = text.charCodeAt(start);
    if (c >= 0x20 && c < 0x7f) break;
    start++;
  }
  return start < 8 ? text.slice(start) : text;
}
