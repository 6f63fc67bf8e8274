// DELETE of one record: every removal route is declared and answered the same way (role and scope, 404
// when there is nothing the caller can see, an audit entry, 204), so the pattern is written once here.
import type { Context } from "hono";
import { audit } from "../audit/log";
import type { ScopeRule } from "../auth/middleware";
import type { AppEnv } from "../auth/principal";
import type { Role } from "../enums";
import { conflict, notFound } from "./errors";
import { defineRoute, errorResponse, IdParam, z } from "./openapi";

type Removal<P extends z.ZodObject> = {
  role: Role;
  scope: ScopeRule;
  /** The OpenAPI tag, when it is not the path's first segment after /api/. */
  tag?: string;
  /** The path parameters; `{id}` by default. */
  params?: P;
  /** The record's name in the 404, and the audit entry (`entity`, and `action`, by default `<entity>.delete`). */
  what: string;
  entity: string;
  action?: string;
  /** When it can refuse with 409 (the record is still in use), what the 409 means. */
  refusal?: string;
  /**
   * Removes the record, answering false when there is none the caller may see (404); throws the API error
   * that refuses it (409) itself. Answers the audit entry's entity id and detail when they are not `id`.
   */
  remove: (
    c: Context<AppEnv>,
    params: z.infer<P>,
  ) => Promise<boolean | { entityId: string | number; detail?: unknown }>;
};

/** The route and handler of a removal, to spread into `.openapi(...)`. */
export function removal<P extends z.ZodObject = typeof IdParam>(
  path: string,
  summary: string,
  { role, scope, tag, params, what, entity, action, refusal, remove }: Removal<P>,
) {
  const route = defineRoute({
    method: "delete",
    path,
    role,
    scope,
    tags: [tag ?? path.split("/")[2]],
    summary,
    request: { params: params ?? IdParam },
    responses: { 204: { description: "removed" }, ...(refusal ? { 409: errorResponse(refusal) } : {}) },
  });
  const handler = async (c: Context<AppEnv>) => {
    const key = (c.req as unknown as { valid(target: "param"): z.infer<P> }).valid("param");
    const done = await remove(c, key);
    if (!done) throw notFound(what);
    // By default the audit entry names the record by its first path parameter (its id, or its key).
    const entry = done === true ? { entityId: Object.values(key as object)[0] as string | number } : done;
    await audit(c, action ?? `${entity}.delete`, { entity, ...entry });
    return c.body(null, 204);
  };
  return [route, handler] as const;
}

/** The 409 of a record still in use: "the site still has 1 meter; move or delete them first". */
export function refuseWhileInUse(owner: string, count: number, noun: string) {
  if (count > 0)
    throw conflict(`${owner} still has ${count} ${noun}${count === 1 ? "" : "s"}; move or delete them first`);
}
