// Changes to one stored record: every editable record stamps when it last changed (its updated_at).
import type { SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

/**
 * UPDATE … SET the changes and updated_at = now WHERE `key`. A change to a unique key another row holds
 * fails on the constraint, for the route to answer 409 (see whenTaken in http/errors.ts).
 */
export async function updateStamped<T extends SQLiteTable & { updatedAt: SQLiteColumn }>(
  db: Db,
  table: T,
  key: SQL | undefined,
  changes: SQLiteUpdateSetSource<T>,
) {
  await db
    .update(table)
    .set({ ...changes, updatedAt: new Date().toISOString() })
    .where(key);
}
