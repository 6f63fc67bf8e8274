// The one place that decides what a page shows while its data loads, fails or comes back empty, so
// every page words and lays out those states the same way.
import type { ComponentChildren } from "preact";
import type { ApiQuery } from "../query";
import { Link } from "../router";
import { EmptyState, emptyView, ErrorNotice, Loading } from "./feedback";

type AsyncProps<T> = {
  query: ApiQuery<T>;
  children: (data: T) => ComponentChildren;
  loading?: string;
  /** Whether the answer counts as empty; then `empty` shows instead of the children. */
  isEmpty?: (data: T) => boolean;
  /** What shows when empty; a plain sentence shows as a muted line. */
  empty?: ComponentChildren;
  /** Shown instead of the error when the API answers 404. */
  notFound?: ComponentChildren;
};

export function Async<T>({ query, children, loading, isEmpty, empty, notFound }: AsyncProps<T>) {
  const { data, error } = query;
  if (data === undefined) {
    if (error) {
      if (error.status === 404 && notFound) return <>{notFound}</>;
      return <ErrorNotice error={error} onRetry={() => void query.refetch()} />;
    }
    // A query waiting for input (no path yet) is not loading.
    if (query.fetchStatus === "idle") return null;
    return <Loading label={loading} />;
  }
  return (
    <>
      {/* A failed refresh keeps the last answer on screen and says why it may be out of date. */}
      {error && <ErrorNotice error={error} onRetry={() => void query.refetch()} />}
      {isEmpty?.(data) ? emptyView(empty) : children(data)}
    </>
  );
}

/** For list answers: empty when the page holds no rows. */
export const noRows = (list: { data: unknown[] }) => list.data.length === 0;

/** A page about one thing: the way back to its list, and a plain "not found" when it does not exist. */
export function DetailFrame<T>({
  back,
  backLabel,
  notFound,
  query,
  children,
}: {
  back: string;
  backLabel: string;
  notFound: [title: string, text: string];
  query: ApiQuery<T>;
  children: (data: T) => ComponentChildren;
}) {
  return (
    <>
      <p class="crumbs">
        <Link href={back}>← {backLabel}</Link>
      </p>
      <Async
        query={query}
        notFound={
          <EmptyState
            title={notFound[0]}
            action={
              <Link href={back} class="btn">
                Back to {backLabel.toLowerCase()}
              </Link>
            }
          >
            <p>{notFound[1]}</p>
          </EmptyState>
        }
      >
        {children}
      </Async>
    </>
  );
}
