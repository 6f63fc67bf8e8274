// Every API error is JSON `{"error":{"code","message","field"?}}` with a fitting status.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, field?: string, code = "invalid") =>
  new ApiError(400, code, message, field);
export const unauthorized = (message = "sign in or send a valid API token") =>
  new ApiError(401, "unauthenticated", message);
export const forbidden = (message = "your role does not allow this") =>
  new ApiError(403, "forbidden", message);
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const conflict = (message: string, field?: string) => new ApiError(409, "conflict", message, field);

/** The record a lookup found, or a 404 naming what was looked for. */
export function found<T>(record: T | undefined, what: string): T {
  if (record === undefined) throw notFound(what);
  return record;
}

/**
 * For a write a unique key can refuse (a rename racing another writer): that refusal rethrown as
 * `taken`, the answer a check would have given, rather than the generic one of uniqueViolation.
 */
export const whenTaken =
  (taken: ApiError) =>
  (err: unknown): never => {
    throw uniqueViolation(err)?.field === taken.field ? taken : err;
  };

export function errorBody(code: string, message: string, field?: string) {
  return { error: field ? { code, message, field } : { code, message } };
}

/**
 * A unique-constraint failure anywhere in the error's cause chain (D1 reports "UNIQUE constraint failed:
 * table.column"; drizzle wraps it): two writers raced for the same name or id, and the loser gets 409
 * naming the field, not 500. Check-then-insert code still answers first with its own message.
 */
export function uniqueViolation(err: unknown): ApiError | null {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const m = /UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)/.exec(e.message);
    if (m) {
      // A composite key (sites: company_id, name) names the field the user chose last: the name.
      const column = m[1].split(", ").pop()!.split(".").pop()!;
      const field = column.replace(/_(\w)/g, (_, ch: string) => ch.toUpperCase());
      return new ApiError(409, "conflict", `another record already has this ${field}`, field);
    }
  }
  return null;
}

const HTTP_EXCEPTION_CODES: Record<number, string> = {
  400: "invalid",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

export function handleError(err: Error, c: Context) {
  const unique = uniqueViolation(err);
  if (unique) err = unique;
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.field), err.status, err.headers);
  }
  // Hono's own HTTPException (a body limit, or a validator's refusal) carries a client-error status:
  // it keeps that status, in this API's error shape.
  if (err instanceof HTTPException && err.status >= 400 && err.status < 500) {
    const code = HTTP_EXCEPTION_CODES[err.status] ?? "invalid";
    return c.json(errorBody(code, err.message || "the request was refused"), err.status);
  }
  console.error("unhandled error", err);
  return c.json(errorBody("internal", "something went wrong on our side; it has been logged"), 500);
}
