// How stores answer searchable, paged lists: one search rule and one page-plus-total shape for all.
import { and, count, eq, like, or, sql, type SQL, type Subquery } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { visibleSites } from "../access/scope";
import type { Principal } from "../auth/principal";
import type { Db } from "./client";

/** Rows where any of the columns contains the search term (SQLite LIKE: ASCII case-insensitive). */
export function containsTerm(term: string | undefined, columns: SQLiteColumn[]): SQL | undefined {
  if (!term) return undefined;
  const pattern = `%${term}%`;
  return or(...columns.map((column) => like(column, pattern)));
}

/** Each filter that is given, as its column equal to it (a list's `siteId`, `fuel`, `status`…). */
export function equalTo<F extends object>(filter: F, columns: { [K in keyof F]?: SQLiteColumn }) {
  const given = Object.entries(columns).map(([key, column]) => {
    const value = filter[key as keyof F];
    return value ? eq(column as SQLiteColumn, value) : undefined;
  });
  return and(...given);
}

/** A searchable list's filter as a store takes it: the term, the list's own filters, the page's window. */
export type Search<F extends object> = F & { q?: string; limit: number; offset: number };

/** The WHERE of a searchable list: the term in any of `searched`, and each filter given equal to its column. */
export const matching = <F extends object>(
  filter: Search<F>,
  searched: SQLiteColumn[],
  columns: { [K in keyof F]?: SQLiteColumn },
) => and(containsTerm(filter.q, searched), equalTo<F>(filter, columns));

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

/** A select builder that can be filtered, then joined in any order (drizzle's `$dynamic()`). */
type Filterable = { where(where: SQL | undefined): { $dynamic(): unknown } };

/**
 * The records the caller may see, as every store reads them: the rows of `query` whose site (the
 * `siteId` column) access/scope.ts finds visible and that match `where`. Dynamic, so the store chains
 * the joins its columns need after it.
 */
export function visibleTo<Q extends Filterable>(query: Q, p: Principal, siteId: SQLiteColumn, where?: SQL) {
  return query.where(and(visibleSites(p, sql`${siteId}`), where)).$dynamic() as ReturnType<
    ReturnType<Q["where"]>["$dynamic"]
  >;
}
