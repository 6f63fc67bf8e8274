// Inserts that a unique key decides: two writers racing for the same name (or MPAN, or email) both try,
// exactly one row is written, and the loser learns it from the answer instead of a constraint error.
import type {
  SelectedFieldsFlat,
  SQLiteColumn,
  SQLiteInsertValue,
  SQLiteTable,
} from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

/**
 * INSERT … ON CONFLICT (key) DO NOTHING RETURNING: the new row's `returning` fields, or undefined when
 * another row already holds the key (the caller answers 409 with its own message).
 */
export function insertUnlessTaken<T extends SQLiteTable, R extends SelectedFieldsFlat>(
  db: Db,
  table: T,
  key: SQLiteColumn | SQLiteColumn[],
  values: SQLiteInsertValue<T>,
  returning: R,
) {
  return db.insert(table).values(values).onConflictDoNothing({ target: key }).returning(returning).get();
}
