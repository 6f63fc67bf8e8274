// Route definitions: one zod schema per request/response, used for validation, types and the OpenAPI document.
import { OpenAPIHono, createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { authenticate, requireRole, requireScope, type ScopeRule } from "../auth/middleware";
import type { AppEnv } from "../auth/principal";
import type { Role } from "../enums";
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
 */
export function defineRoute<const R extends RouteSpec>({ role, scope, ...spec }: R) {
  const middleware: MiddlewareHandler<AppEnv>[] =
    role === "public" ? [] : [authenticate, requireRole(role), requireScope(scope!)];
  return createRoute({
    ...spec,
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
