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

export function errorBody(code: string, message: string, field?: string) {
  return { error: field ? { code, message, field } : { code, message } };
}

const HTTP_EXCEPTION_CODES: Record<number, string> = {
  400: "invalid",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

export function handleError(err: Error, c: Context) {
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
