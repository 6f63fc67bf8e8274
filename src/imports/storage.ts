// Uploaded files in R2: request bodies are streamed in (never buffered), and the file inside a
// multipart body is located by reading only the object's head and tail.
import { ApiError, badRequest } from "../http/errors";
import { detectBinary } from "./domain";
import { boundaryOf, locateForm, MultipartError } from "./multipart";

export const SNIFF_BYTES = 64 * 1024;

export function maxUploadBytes(env: Env): number {
  return Number(env.MAX_UPLOAD_BYTES) || 1024 * 1024 * 1024;
}

export const tooLarge = (limit: number) =>
  new ApiError(413, "too_large", `the file is over the ${Math.round(limit / 1024 / 1024)} MB limit`);
export const notText = () =>
  new ApiError(415, "not_text", "the file is not a text CSV (binary content found)");

/** Streams a request body of known length into R2. */
export async function streamToR2(env: Env, key: string, request: Request, limit: number): Promise<number> {
  const length = Number(request.headers.get("Content-Length") ?? NaN);
  if (!Number.isFinite(length)) throw new ApiError(411, "length_required", "send a Content-Length header");
  if (length > limit) throw tooLarge(limit);
  if (!request.body || length === 0) throw badRequest("the request body is empty", "file", "empty_file");
  const fixed = new FixedLengthStream(length);
  const [, object] = await Promise.all([
    request.body.pipeTo(fixed.writable),
    env.UPLOADS.put(key, fixed.readable),
  ]);
  return object?.size ?? length;
}

/** Bytes of a stored object. */
export async function readRange(env: Env, key: string, range: R2Range): Promise<Uint8Array> {
  const object = await env.UPLOADS.get(key, { range });
  if (!object) throw new Error(`upload ${key} vanished`);
  return new Uint8Array(await object.arrayBuffer());
}

/** The file inside a stored multipart body, with the small fields sent beside it. */
export async function locateUploadedForm(env: Env, key: string, size: number, contentType: string) {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw badRequest("multipart body without a boundary", "file");
  const whole = size <= SNIFF_BYTES * 2;
  const head = await readRange(env, key, { offset: 0, length: whole ? size : SNIFF_BYTES });
  const tail = whole ? new Uint8Array(0) : await readRange(env, key, { suffix: SNIFF_BYTES });
  try {
    return locateForm(head, tail, size - tail.length, boundary);
  } catch (err) {
    if (err instanceof MultipartError) throw badRequest(err.message, "file");
    throw err;
  }
}

/** Refuses a file that is not text, judged by its first bytes. */
export async function assertTextFile(env: Env, key: string, start: number, end: number): Promise<void> {
  const head = await readRange(env, key, { offset: start, length: Math.min(end - start, 8192) });
  if (detectBinary(head)) throw notText();
}
