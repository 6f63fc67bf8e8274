// Route definitions: one zod schema per request/response, used for validation, types and the OpenAPI document.
import { OpenAPIHono, createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { requireRole } from "../auth/middleware";
import { authenticateWithinLimits, limitByIp } from "../auth/rate-limit";
import type { AppEnv, Role } from "../auth/principal";
import { errorBody } from "./errors";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({
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
  /** Who may call it: every route states its minimum role ("public" only for sign-in, health and docs). */
  role: Role | "public";
  responses?: RouteConfig["responses"];
};

/** A route whose role check is part of its definition, so no route can forget it. */
export function defineRoute<const R extends RouteSpec>({ role, ...spec }: R) {
  // Request limits ride along (src/auth/rate-limit.ts): public routes by IP, others by token after sign-in.
  const middleware: MiddlewareHandler<AppEnv>[] =
    role === "public" ? [limitByIp] : [authenticateWithinLimits, requireRole(role)];
  return createRoute({
    ...spec,
    middleware,
    security: role === "public" ? [] : [{ session: [] }, { bearer: [] }],
    description: [spec.description, role === "public" ? "No authentication." : `Needs the ${role} role.`]
      .filter(Boolean)
      .join("\n\n"),
    responses: { ...standardErrors, ...(spec.responses ?? {}) },
  } as Omit<R, "role"> & { middleware: MiddlewareHandler<AppEnv>[]; responses: RouteConfig["responses"] });
}

/** A router whose validation failures become 400s naming the field. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue?.path.length ? issue.path.join(".") : undefined;
        const message = field ? `${field}: ${issue.message}` : (issue?.message ?? "invalid request");
        return c.json(errorBody("invalid", message, field), 400);
      }
    },
  });
}

/** The 1-based `page` query field of list routes. */
export const pageField = z.coerce.number().int().min(1).default(1);

/** `page` and `pageSize` query fields, for lists whose caller picks the page size. */
export const pagingFields = (defaultSize: number, maxSize: number) => ({
  page: pageField,
  pageSize: z.coerce.number().int().min(1).max(maxSize).default(defaultSize),
});

/** LIMIT and OFFSET of a 1-based page. */
export const pageWindow = (page: number, pageSize: number) => ({
  limit: pageSize,
  offset: (page - 1) * pageSize,
});

export { z };
