// GET of one record: every such route is declared and answered the same way (role and scope, the record's
// path parameters, 200 with its schema, 404 when there is none the caller can see), so it is written once
// here, as removal.ts does for DELETE.
import type { Context } from "hono";
import type { AppEnv } from "../auth/principal";
import { found } from "./errors";
import { IdParam, jsonResponse, z } from "./openapi";
import { recordKey, recordRoute, type RecordAccess } from "./record";

type Lookup<P extends z.ZodObject, S extends z.ZodType> = RecordAccess<P> & {
  /** The record's name in the 404, and the 200's description ("the <what>") unless `description` says more. */
  what: string;
  description?: string;
  /** The record as answered, or undefined when there is none the caller may see (404). */
  find: (c: Context<AppEnv>, params: z.infer<P>) => Promise<z.input<S> | undefined>;
};

/** The route and handler of a read of one record, to spread into `.openapi(...)`. */
export function lookup<S extends z.ZodType, P extends z.ZodObject = typeof IdParam>(
  path: string,
  summary: string,
  schema: S,
  { what, description, find, ...access }: Lookup<P, S>,
) {
  const route = recordRoute("get", path, summary, access, {
    200: jsonResponse(schema, description ?? `the ${what}`),
  });
  const handler = async (c: Context<AppEnv>) =>
    c.json(found(await find(c, recordKey<P>(c)), what) as object, 200);
  return [route, handler] as const;
}
