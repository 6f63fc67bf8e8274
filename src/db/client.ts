import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof createDatabase>;

const createDatabase = (d1: D1Database) => drizzle(d1, { schema });

// drizzle() walks the whole schema to build its relational config (about 7 ms a call in workerd), so
// each D1 binding gets one instance for the isolate's life instead of one per request.
const instances = new WeakMap<D1Database, Db>();

export function database(env: Pick<Env, "DB">): Db {
  let db = instances.get(env.DB);
  if (!db) {
    db = createDatabase(env.DB);
    instances.set(env.DB, db);
  }
  return db;
}

export { schema };
