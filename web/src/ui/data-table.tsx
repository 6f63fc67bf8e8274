// A table of rows: sortable columns, pages (in the browser, or the server's), an empty state, and a
// frame that scrolls sideways inside its card on a phone instead of widening the page.
import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { ApiQuery } from "../query";
import { Async } from "./async";
import { emptyView } from "./feedback";
import { formatDateTime } from "./format";

export type Column<T> = {
  header: string;
  cell: (row: T) => ComponentChildren;
  /** The value the column sorts by; without it the column does not sort. */
  sort?: (row: T) => string | number | null;
  /** Classes for the column's cells, e.g. "num" (right-aligned figures) or "nowrap". */
  class?: string;
  /** The header is read out but not shown (a column of row buttons). */
  hideHeader?: boolean;
};

/** Pages the server cuts: the table shows one and asks for another. */
export type ServerPaging = {
  page: number;
  /** Known when the API counts the rows. */
  pages?: number;
  hasNext: boolean;
  onPage: (page: number) => void;
  labels?: [previous: string, next: string];
};

type DataTableProps<T> = {
  rows: T[];
  /** `false` drops a column, e.g. the admin's buttons for other roles. */
  columns: (Column<T> | false)[];
  /** A row's key; by default its `id`. */
  rowKey?: (row: T, index: number) => string | number;
  rowProps?: (row: T) => Record<string, string | undefined>;
  /** The row's buttons, in a last column whose header only screen readers hear. */
  actions?: false | undefined | ((row: T) => ComponentChildren);
  testid?: string;
  /** Rows a page when the table pages in the browser. */
  pageSize?: number;
  paging?: ServerPaging;
  empty?: ComponentChildren;
};

const idOf = (row: unknown, index: number) => (row as { id?: string | number }).id ?? index;

type Sort = { column: number; dir: 1 | -1 } | null;

const collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
}

export function DataTable<T>({
  rows,
  columns,
  rowKey = idOf,
  rowProps,
  actions,
  testid,
  pageSize = 50,
  paging,
  empty,
}: DataTableProps<T>) {
  const cols = columns.filter((c): c is Column<T> => c !== false);
  if (actions) cols.push({ header: "Actions", hideHeader: true, class: "row-actions", cell: actions });
  const [sort, setSort] = useState<Sort>(null);
  const [page, setPage] = useState(1);
  const sorted = useMemo(() => {
    const by = sort && cols[sort.column]?.sort;
    if (!sort || !by) return rows;
    return [...rows].sort((a, b) => sort.dir * compare(by(a), by(b)));
  }, [rows, sort]);
  const pages = paging ? (paging.pages ?? 0) : Math.max(1, Math.ceil(rows.length / pageSize));
  // A shorter list (a new search) must not leave the table on a page past its end.
  useEffect(() => {
    if (!paging && page > pages) setPage(pages);
  }, [pages]);
  if (rows.length === 0 && empty !== undefined && (!paging || paging.page === 1))
    return <>{emptyView(empty)}</>;
  const shown = paging ? sorted : sorted.slice((page - 1) * pageSize, page * pageSize);

  const toggle = (i: number) =>
    setSort((s) => (s?.column === i ? (s.dir === 1 ? { column: i, dir: -1 } : null) : { column: i, dir: 1 }));

  return (
    <>
      <div class="table-wrap">
        <table data-testid={testid}>
          <thead>
            <tr>
              {cols.map((c, i) => {
                const dir = sort?.column === i ? sort.dir : 0;
                return (
                  <th
                    key={c.header}
                    scope="col"
                    class={c.class}
                    aria-sort={dir === 1 ? "ascending" : dir === -1 ? "descending" : undefined}
                  >
                    {c.hideHeader ? (
                      <span class="sr-only">{c.header}</span>
                    ) : c.sort ? (
                      <button type="button" class="sort" onClick={() => toggle(i)}>
                        {c.header}
                        <span class="sort-mark" aria-hidden="true">
                          {dir === 1 ? "▲" : dir === -1 ? "▼" : ""}
                        </span>
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, i) => (
              <tr key={rowKey(row, i)} {...rowProps?.(row)}>
                {cols.map((c) => (
                  <td key={c.header} class={c.class}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {paging ? (
        <Pager
          page={paging.page}
          pages={paging.pages}
          hasNext={paging.hasNext}
          onPage={paging.onPage}
          labels={paging.labels}
        />
      ) : (
        pages > 1 && <Pager page={page} pages={pages} hasNext={page < pages} onPage={setPage} />
      )}
    </>
  );
}

function Pager({ page, pages, hasNext, onPage, labels = ["Previous", "Next"] }: ServerPaging) {
  if (page <= 1 && !hasNext) return null;
  return (
    <div class="pager">
      <button type="button" class="btn btn--small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {labels[0]}
      </button>
      <span class="muted">{pages ? `Page ${page} of ${pages}` : `Page ${page}`}</span>
      <button type="button" class="btn btn--small" disabled={!hasNext} onClick={() => onPage(page + 1)}>
        {labels[1]}
      </button>
    </div>
  );
}

/** A table of a list the API answers: loading and errors from <Async>, then the rows. */
export function ApiTable<T>({
  query,
  ...table
}: Omit<DataTableProps<T>, "rows"> & { query: ApiQuery<{ data: T[] }> }) {
  return <Async query={query}>{(list) => <DataTable rows={list.data} {...table} />}</Async>;
}

/** A column of dates and times, sorted by time. */
export function dateColumn<T>(header: string, at: (row: T) => string | null | undefined): Column<T> {
  return { header, class: "nowrap", sort: (r) => at(r) ?? null, cell: (r) => formatDateTime(at(r)) };
}

/**
 * A column of figures, right-aligned and (unless `sortable` is false) sorted by value; `format` writes
 * one as shown (formatInt, formatKwh, pence as money).
 */
export function numberColumn<T>(
  header: string,
  value: (row: T) => number,
  format: (value: number) => ComponentChildren = String,
  sortable = true,
): Column<T> {
  return { header, class: "num", sort: sortable ? value : undefined, cell: (r) => format(value(r)) };
}

/** Pages of a list the API counts: `total` rows in all, `pageSize` a page. */
export function countedPaging(
  page: number,
  onPage: (page: number) => void,
  total = 0,
  pageSize = 50,
): ServerPaging {
  return { page, pages: Math.max(1, Math.ceil(total / pageSize)), hasNext: page * pageSize < total, onPage };
}

/** A small button in a row's last cell; `name` says which row it acts on ("Delete meter 1200…"). */
export function RowButton({
  label,
  name,
  danger,
  disabled,
  onClick,
}: {
  label: string;
  name?: string;
  danger?: boolean;
  disabled?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      class={danger ? "btn btn--small btn--danger-quiet" : "btn btn--small"}
      aria-label={name}
      disabled={disabled}
      onClick={onClick}
    >
      {label}
    </button>
  );
}
