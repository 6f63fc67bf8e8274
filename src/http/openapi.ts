// Route definitions: one zod schema per request/response, used for validation, types and the OpenAPI document.
import { OpenAPIHono, createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { requireRole, requireScope, type ScopeRule } from "../auth/middleware";
import { authenticateWithinLimits, limitByIp } from "../auth/rate-limit";
import type { AppEnv } from "../auth/principal";
import type { Role } from "../enums";
import { ApiError } from "./errors";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
    }),
  })
  .openapi("Error");

/** An error answer: always the `{"error":{"code","message","field"?}}` shape of src/http/errors.ts. */
export const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});

export const standardErrors = {
  400: errorResponse("invalid input; `field` names the offending field"),
  401: errorResponse("no valid session or token"),
  403: errorResponse("role or scope does not allow this"),
  404: errorResponse("not found, or not visible to you"),
  429: errorResponse("over a request limit (per API token, or per IP without credentials); see Retry-After"),
};

/** A JSON body schema wrapped the way OpenAPI wants it. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true,
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

type RouteSpec = Omit<RouteConfig, "responses" | "middleware"> & {
  responses?: RouteConfig["responses"];
} & (
    | {
        /** Who may call it: every route states its minimum role ("public" only for sign-in, health and webhooks). */
        role: "public";
        scope?: never;
      }
    | {
        role: Role;
        /** How it treats the caller's scope (see ScopeRule): no authenticated route can leave it out. */
        scope: ScopeRule;
      }
  );

/**
 * A route whose role and scope checks are part of its definition, so no route can forget them. The
 * scope rule is also written into the OpenAPI document (`x-scope`), where a test checks every route.
 * Request limits ride along (src/auth/rate-limit.ts): public routes by IP, others by token after sign-in.
 */
export function defineRoute<const R extends RouteSpec>({ role, scope, ...spec }: R) {
  const middleware: MiddlewareHandler<AppEnv>[] =
    role === "public" ? [limitByIp] : [authenticateWithinLimits, requireRole(role), requireScope(scope!)];
  if (spec.request?.body?.content?.["application/json"]) middleware.push(acceptJsonBody);
  return createRoute({
    ...spec,
    request: spec.method === "patch" ? withSomethingToChange(spec.request) : spec.request,
    middleware,
    "x-scope": role === "public" ? "public" : scope,
    security: role === "public" ? [] : [{ session: [] }, { bearer: [] }],
    description: [spec.description, role === "public" ? "No authentication." : `Needs the ${role} role.`]
      .filter(Boolean)
      .join("\n\n"),
    responses: { ...standardErrors, ...(spec.responses ?? {}) },
  } as Omit<R, "role" | "scope"> & {
    middleware: MiddlewareHandler<AppEnv>[];
    responses: RouteConfig["responses"];
  });
}

// ---------------------------------------------------------------------------------------------
// JSON bodies: checked once here, for every route that declares one, so no handler sees a bad body.

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
/** No JSON body this API takes comes near this; a bigger one is refused before it is parsed. */
export const JSON_BODY_MAX_BYTES = 1024 * 1024;

/**
 * Runs before zod's validator: a body that is not declared JSON answers 415 and one that does not parse
 * answers 400 `invalid_json`. Left to the library, both end as a Hono HTTPException (or, with no
 * Content-Type and no body, as a validation of `{}`), not as this API's error shape.
 */
const acceptJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0].trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "send the body as JSON with Content-Type: application/json",
    );
  }
  const tooLarge = new ApiError(413, "payload_too_large", "a JSON body is limited to 1 MB");
  if (Number(c.req.header("Content-Length") ?? 0) > JSON_BODY_MAX_BYTES) throw tooLarge;
  // Read through Hono's body cache, so the validator after this parses the same text.
  const text = await c.req.text();
  if (text.length > JSON_BODY_MAX_BYTES) throw tooLarge;
  try {
    JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "the body is not valid JSON");
  }
  return next();
};

/** A PATCH body must change something: `{}` (or only fields the route drops) is a 400, not a no-op. */
function withSomethingToChange(request: RouteSpec["request"]): RouteSpec["request"] {
  const json = request?.body?.content?.["application/json"];
  if (!request?.body || !json || !("schema" in json) || !(json.schema instanceof z.ZodType)) return request;
  const schema = json.schema.refine(
    (value: unknown) =>
      typeof value === "object" && value !== null && Object.values(value).some((v) => v !== undefined),
    { message: "nothing to change" },
  );
  return {
    ...request,
    body: { ...request.body, content: { ...request.body.content, "application/json": { ...json, schema } } },
  };
}

/** A zod failure as this API's 400: the first issue, its message prefixed by the field it names. */
export function invalidInput(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : undefined;
  const message = field ? `${field}: ${issue.message}` : (issue?.message ?? "invalid request");
  return new ApiError(400, "invalid", message, field);
}

/** A router whose validation failures become 400s naming the field. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error);
    },
  });
}

/** The `{id}` path parameter of routes on one numbered record. */
export const IdParam = z.object({ id: z.coerce.number().int().positive() });

/** A meter named by MPAN core, full 21-character MPAN or MPRN (meters/store's meterKey finds it). */
const mpanField = z.string().min(1).max(40);

/** The `{mpan}` path parameter of routes on one meter. */
export const MpanParam = z.object({ mpan: mpanField });

/** Query fields narrowing a list or figure to one meter (`mpan`) or one site (`siteId`). */
export const meterOrSiteFields = {
  mpan: mpanField.optional(),
  siteId: z.coerce.number().int().positive().optional(),
};

/** One page of a longer list: `{ data: [...], total }`, total counting every page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), total: z.number().int() });

/** The 1-based `page` query field of list routes. */
export const pageField = z.coerce.number().int().min(1).default(1);

/** `page` and `pageSize` query fields, for lists whose caller picks the page size. */
export const pagingFields = (defaultSize: number, maxSize: number) => ({
  page: pageField,
  pageSize: z.coerce.number().int().min(1).max(maxSize).default(defaultSize),
});

/** The query of a searchable list: `q`, the route's own filters, `page` and `pageSize`. */
export const searchQuery = <F extends z.ZodRawShape>(filters: F, defaultSize: number, maxSize: number) =>
  z.object({ q: z.string().max(200).optional(), ...filters, ...pagingFields(defaultSize, maxSize) });

/** LIMIT and OFFSET of a 1-based page. */
export const pageWindow = (page: number, pageSize: number) => ({
  limit: pageSize,
  offset: (page - 1) * pageSize,
});

/** A list query as a store takes it: its filters, with `page` and `pageSize` as LIMIT and OFFSET. */
export function windowed<Q extends { page: number; pageSize: number }>(query: Q) {
  const { page, pageSize, ...filters } = query;
  return { ...filters, ...pageWindow(page, pageSize) };
}

export { z };
