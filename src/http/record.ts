// Routes on one record: create (POST, 201), read (GET, 200), change (PATCH, 200) and, in removal.ts,
// delete (DELETE, 204). Each capability declared and answered them the same way (role and scope, the
// record's path parameters, 404 when there is none the caller can see, 409 when a unique name is taken,
// an audit entry), so the pattern is written once here and a route gives only what is its own.
import type { Context } from "hono";
import { audit } from "../audit/log";
import type { ScopeRule } from "../auth/middleware";
import type { AppEnv, Principal } from "../auth/principal";
import { database, type Db } from "../db/client";
import type { Role } from "../enums";
import { conflict, found, type ApiError } from "./errors";
import { defineRoute, errorResponse, IdParam, jsonBody, jsonResponse, z } from "./openapi";

export type RecordAccess<P extends z.ZodObject = typeof IdParam> = {
  role: Role;
  scope: ScopeRule;
  /** The OpenAPI tag, when it is not the path's first segment after /api/. */
  tag?: string;
  /** The path parameters; `{id}` by default. */
  params?: P;
  /** What the document says of the route besides its summary. */
  description?: string;
};

type Request = Parameters<typeof defineRoute>[0]["request"];
type Responses = Parameters<typeof defineRoute>[0]["responses"];

/** A route on records, tagged by the path's first segment after /api/ unless `tag` says otherwise. */
function recordRoute(
  method: "post" | "get" | "patch" | "delete",
  path: string,
  summary: string,
  { role, scope, tag, description }: Omit<RecordAccess<z.ZodObject>, "params">,
  request: Request,
  responses: Responses,
) {
  return defineRoute({
    method,
    path,
    role,
    scope,
    tags: [tag ?? path.split("/")[2]],
    summary,
    ...(description ? { description } : {}),
    ...(request ? { request } : {}),
    responses,
  });
}

/** A route on one record, named by its path parameters (`{id}` by default). */
export function oneRecordRoute<P extends z.ZodObject>(
  method: "get" | "patch" | "delete",
  path: string,
  summary: string,
  { params, ...access }: RecordAccess<P>,
  responses: Responses,
  body?: z.ZodType,
) {
  const request = { params: params ?? IdParam, ...(body ? { body: jsonBody(body) } : {}) };
  return recordRoute(method, path, summary, access, request, responses);
}

/** `find` for a store's scoped getter of a numbered record (`getSite(db, principal, id)`). */
export function visibleById<G extends (db: Db, p: Principal, id: number) => Promise<unknown>>(get: G) {
  return (c: Context<AppEnv>, { id }: { id: number }) =>
    get(database(c.env), c.get("principal"), id) as ReturnType<G>;
}

/** The record's path parameters, as the route's validator left them. */
export const recordKey = <P extends z.ZodObject>(c: Context<AppEnv>) =>
  (c.req as unknown as { valid(target: "param"): z.infer<P> }).valid("param");

/** The JSON body, as the route's validator left it. */
const validBody = <B extends z.ZodType>(c: Context<AppEnv>) =>
  (c.req as unknown as { valid(target: "json"): z.infer<B> }).valid("json");

// ---------------------------------------------------------------------------------------------

type Lookup<P extends z.ZodObject, S extends z.ZodType> = RecordAccess<P> & {
  /** The record's name in the 404, and the 200's description ("the <what>") unless `answers` says more. */
  what: string;
  answers?: string;
  /** The record as answered, or undefined when there is none the caller may see (404). */
  find: (c: Context<AppEnv>, params: z.infer<P>) => Promise<z.input<S> | undefined>;
};

/** GET of one record: its route and handler, to spread into `.openapi(...)`. */
export function lookup<S extends z.ZodType, P extends z.ZodObject = typeof IdParam>(
  path: string,
  summary: string,
  schema: S,
  { what, answers, find, ...access }: Lookup<P, S>,
) {
  const route = oneRecordRoute("get", path, summary, access, {
    200: jsonResponse(schema, answers ?? `the ${what}`),
  });
  const handler = async (c: Context<AppEnv>) =>
    c.json(found(await find(c, recordKey<P>(c)), what) as object, 200);
  return [route, handler] as const;
}

// ---------------------------------------------------------------------------------------------

type Creation<B extends z.ZodType, S extends z.ZodType, R> = Omit<RecordAccess, "params"> & {
  /** The record's name: the audit entry's entity (action `<what>.create`). */
  what: string;
  /**
   * When a unique key can refuse it: the 409's description, and the error for this body (unless
   * `create` throws its own).
   */
  taken?: { description: string; error?: (body: z.infer<B>) => ApiError };
  /**
   * Checks and inserts the record (throwing the 400 of a field that refers to nothing), answering it
   * as the route does, or undefined when its unique key is taken (409).
   */
  create: (c: Context<AppEnv>, body: z.infer<B>) => Promise<R | undefined>;
  /** The answer, when it is not the created record itself. */
  answer?: (created: R) => z.input<S>;
  /** The audit entry's entity id (the record's `id` by default) and detail (the body by default). */
  entityId?: (created: R) => string | number;
  detail?: (body: z.infer<B>) => unknown;
};

/** POST that creates one record (201): its route and handler, to spread into `.openapi(...)`. */
export function creation<B extends z.ZodType, S extends z.ZodType, R extends object>(
  path: string,
  summary: string,
  body: B,
  schema: S,
  { what, taken, create, answer, entityId, detail, ...access }: Creation<B, S, R>,
) {
  const route = recordRoute(
    "post",
    path,
    summary,
    access,
    { body: jsonBody(body) },
    {
      201: jsonResponse(schema, "created"),
      ...(taken ? { 409: errorResponse(taken.description) } : {}),
    },
  );
  const handler = async (c: Context<AppEnv>) => {
    const input = validBody<B>(c);
    const created = await create(c, input);
    if (!created) throw taken?.error?.(input) ?? conflict(taken?.description ?? "it exists");
    await audit(c, `${what}.create`, {
      entity: what,
      entityId: entityId ? entityId(created) : (created as unknown as { id: number }).id,
      detail: detail ? detail(input) : input,
    });
    return c.json((answer ? answer(created) : created) as object, 201);
  };
  return [route, handler] as const;
}

// ---------------------------------------------------------------------------------------------

/** GET of a whole (unpaged) list: `{data: [...]}`, every record the caller may see; `answers` describes the 200. */
export function listing<S extends z.ZodType>(
  path: string,
  summary: string,
  item: S,
  { answers, ...access }: Omit<RecordAccess, "params"> & { answers: string },
  list: (c: Context<AppEnv>) => Promise<z.infer<S>[]>,
) {
  const route = recordRoute("get", path, summary, access, undefined, {
    200: jsonResponse(z.object({ data: z.array(item) }), answers),
  });
  const handler = async (c: Context<AppEnv>) => c.json({ data: (await list(c)) as object[] }, 200);
  return [route, handler] as const;
}

// ---------------------------------------------------------------------------------------------

type Change<P extends z.ZodObject, B extends z.ZodType, S extends z.ZodType, R> = RecordAccess<P> & {
  /**
   * The record's name in the 404, and the audit entry's entity unless `entity` names it otherwise (and
   * `action`, by default `<entity>.update`).
   */
  what: string;
  entity?: string;
  action?: string;
  /** The 200's description ("updated" by default), and the 409's when a unique name can refuse it. */
  answers?: string;
  refusal?: string;
  /** The record as the caller may see it, or undefined (404). */
  find: (c: Context<AppEnv>, params: NoInfer<z.infer<P>>) => Promise<R | undefined>;
  /**
   * Checks and applies the change to the record found. May answer a step to take once the change is
   * audited (work that follows from it, such as figures to aggregate again).
   */
  apply: (
    c: Context<AppEnv>,
    before: R,
    body: z.infer<B>,
    params: z.infer<P>,
  ) => Promise<void | (() => Promise<unknown>)>;
  /** The answer: the record found again by default. */
  answer?: (c: Context<AppEnv>, params: z.infer<P>, body: z.infer<B>) => Promise<z.input<S>> | z.input<S>;
  /** The audit entry's entity id (the first path parameter by default) and detail (the body by default). */
  entityId?: (before: R, params: z.infer<P>) => string | number;
  detail?: (body: z.infer<B>) => unknown;
};

/** PATCH of one record (200): its route and handler, to spread into `.openapi(...)`. */
export function change<
  B extends z.ZodType,
  S extends z.ZodType,
  R extends object,
  P extends z.ZodObject = typeof IdParam,
>(
  path: string,
  summary: string,
  body: B,
  schema: S,
  {
    what,
    entity,
    action,
    answers,
    refusal,
    find,
    apply,
    answer,
    entityId,
    detail,
    ...access
  }: Change<P, B, S, R>,
) {
  const route = oneRecordRoute(
    "patch",
    path,
    summary,
    access,
    {
      200: jsonResponse(schema, answers ?? "updated"),
      ...(refusal ? { 409: errorResponse(refusal) } : {}),
    },
    body,
  );
  const handler = async (c: Context<AppEnv>) => {
    const key = recordKey<P>(c);
    const input = validBody<B>(c);
    const before = found(await find(c, key), what);
    const afterwards = await apply(c, before, input, key);
    const audited = entity ?? what;
    await audit(c, action ?? `${audited}.update`, {
      entity: audited,
      entityId: entityId ? entityId(before, key) : (Object.values(key as object)[0] as string | number),
      detail: detail ? detail(input) : input,
    });
    if (afterwards) await afterwards();
    return c.json((answer ? await answer(c, key, input) : await find(c, key)) as object, 200);
  };
  return [route, handler] as const;
}
