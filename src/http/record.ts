// Routes on one record (GET in lookup.ts, DELETE in removal.ts): declared the same way, with the record's
// path parameters (`{id}` by default) and the path's first segment after /api/ as their tag by default.
import type { Context } from "hono";
import type { ScopeRule } from "../auth/middleware";
import type { AppEnv } from "../auth/principal";
import type { Role } from "../enums";
import { defineRoute, IdParam, type z } from "./openapi";

export type RecordAccess<P extends z.ZodObject> = {
  role: Role;
  scope: ScopeRule;
  /** The OpenAPI tag, when it is not the path's first segment after /api/. */
  tag?: string;
  /** The path parameters; `{id}` by default. */
  params?: P;
};

export function recordRoute<P extends z.ZodObject>(
  method: "get" | "delete",
  path: string,
  summary: string,
  { role, scope, tag, params }: RecordAccess<P>,
  responses: Parameters<typeof defineRoute>[0]["responses"],
) {
  return defineRoute({
    method,
    path,
    role,
    scope,
    tags: [tag ?? path.split("/")[2]],
    summary,
    request: { params: params ?? IdParam },
    responses,
  });
}

/** The record's path parameters, as the route's validator left them. */
export const recordKey = <P extends z.ZodObject>(c: Context<AppEnv>) =>
  (c.req as unknown as { valid(target: "param"): z.infer<P> }).valid("param");
