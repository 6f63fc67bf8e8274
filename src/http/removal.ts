// DELETE of one record: every removal route is declared and answered the same way (role and scope, 404
// when there is nothing the caller can see, an audit entry, 204), so the pattern is written once here.
import type { Context } from "hono";
import { audit } from "../audit/log";
import type { AppEnv } from "../auth/principal";
import { conflict, found, notFound } from "./errors";
import { errorResponse, IdParam, z } from "./openapi";
import { oneRecordRoute, recordKey, type RecordAccess } from "./record";

type Removal<P extends z.ZodObject, R> = RecordAccess<P> & {
  /**
   * The record's name in the 404, and the audit entry's entity unless `entity` names it otherwise (and
   * `action`, by default `<entity>.delete`).
   */
  what: string;
  entity?: string;
  action?: string;
  /** When it can refuse with 409 (the record is still in use), what the 409 means. */
  refusal?: string;
  /** The 204's description; "removed" by default. */
  done?: string;
  /** The record as the caller may see it, or undefined (404); without it, `remove` says whether there was one. */
  find?: (c: Context<AppEnv>, params: NoInfer<z.infer<P>>) => Promise<R | undefined>;
  /**
   * Removes the record (the one `find` found), answering false when there is none the caller may see
   * (404); throws the API error that refuses it (409) itself. Answers the audit entry's entity id and
   * detail when they are not the first path parameter.
   */
  remove: (
    c: Context<AppEnv>,
    params: z.infer<P>,
    record: R,
  ) => Promise<boolean | void | { entityId: string | number; detail?: unknown }>;
};

/** The route and handler of a removal, to spread into `.openapi(...)`. */
export function removal<P extends z.ZodObject = typeof IdParam, R = undefined>(
  path: string,
  summary: string,
  { what, entity, action, refusal, done, find, remove, ...access }: Removal<P, R>,
) {
  const route = oneRecordRoute("delete", path, summary, access, {
    204: { description: done ?? "removed" },
    ...(refusal ? { 409: errorResponse(refusal) } : {}),
  });
  const handler = async (c: Context<AppEnv>) => {
    const key = recordKey<P>(c);
    const record = find ? found(await find(c, key), what) : (undefined as R);
    const removed = await remove(c, key, record);
    if (removed === false) throw notFound(what);
    // By default the audit entry names the record by its first path parameter (its id, or its key).
    const entry =
      typeof removed === "object"
        ? removed
        : { entityId: Object.values(key as object)[0] as string | number };
    const audited = entity ?? what;
    await audit(c, action ?? `${audited}.delete`, { entity: audited, ...entry });
    return c.body(null, 204);
  };
  return [route, handler] as const;
}

/** The 409 of a record still in use: "the site still has 1 meter; move or delete them first". */
export function refuseWhileInUse(owner: string, count: number, noun: string) {
  if (count > 0)
    throw conflict(`${owner} still has ${count} ${noun}${count === 1 ? "" : "s"}; move or delete them first`);
}
