// How stores answer searchable, paged lists: one search rule and one page-plus-total shape for all.
import { like, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** Rows where any of the columns contains the search term (SQLite LIKE: ASCII case-insensitive). */
export function containsTerm(term: string | undefined, columns: SQLiteColumn[]): SQL | undefined {
  if (!term) return undefined;
  const pattern = `%${term}%`;
  return or(...columns.map((column) => like(column, pattern)));
}

/** One page of rows and the number of rows on every page, read at once. */
export async function pageWithTotal<T>(
  rows: PromiseLike<T[]>,
  count: PromiseLike<{ n: number } | undefined>,
) {
  const [data, total] = await Promise.all([rows, count]);
  return { data, total: total?.n ?? 0 };
}
