// How stores answer searchable, paged lists: one search rule and one page-plus-total shape for all.
import { count, like, or, type SQL, type Subquery } from "drizzle-orm";
import type { Db } from "./client";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** Rows where any of the columns contains the search term (SQLite LIKE: ASCII case-insensitive). */
export function containsTerm(term: string | undefined, columns: SQLiteColumn[]): SQL | undefined {
  if (!term) return undefined;
  const pattern = `%${term}%`;
  return or(...columns.map((column) => like(column, pattern)));
}

/** A select that can be ordered and windowed, or counted as a subquery (drizzle's builders are). */
type Listable<T> = {
  orderBy(...order: SQL[]): { limit(n: number): { offset(n: number): PromiseLike<T[]> } };
  as(alias: string): Subquery;
};

/**
 * One page of a list and the number of rows on every page, read at once: `query()` builds the filtered
 * select (twice, as drizzle builders are single-use), ordered and windowed for the page, counted for the total.
 */
export async function pageWithTotal<T>(
  db: Db,
  query: () => Listable<T>,
  order: SQL[],
  window: { limit: number; offset: number },
) {
  const [data, total] = await Promise.all([
    query()
      .orderBy(...order)
      .limit(window.limit)
      .offset(window.offset),
    db.select({ n: count() }).from(query().as("matching")).get(),
  ]);
  return { data, total: total?.n ?? 0 };
}
