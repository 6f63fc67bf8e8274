// The SPA's data layer, on TanStack Query over the typed API client: each GET is cached under its
// documented path and its parameters, components asking for the same GET share one request, a request
// is aborted when no component waits for it any more (the user navigated away), and pages that follow
// changing data give a refetch interval instead of polling by hand. Writes go through useAction: one
// hook for the call, its busy flag, its error and the cache entries it makes stale.
import {
  keepPreviousData,
  QueryClient,
  useMutation,
  useQuery,
  type Query,
  type UseQueryResult,
} from "@tanstack/preact-query";
import { useRef } from "preact/hooks";
import { api, ApiError, type Answer, type Init, type InitArg, type PathsWith } from "./api";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Lists change when someone edits them, and every edit here invalidates what it changed; 30 s
      // keeps navigation back and forth instant without hiding other people's edits for long.
      staleTime: 30_000,
      // Retry only what may pass on a second try: the network or the server, never a refusal.
      retry: (failures, error) =>
        failures < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: false,
    },
  },
});

export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, "client", String(err));
}

type GetPath = PathsWith<"get">;

/**
 * One GET as the cache knows it: the key is the documented path (`/api/sites/{id}`), then its
 * parameters, so invalidating a path reaches every id and filter under it.
 */
export type ApiRead<T> = {
  queryKey: readonly [GetPath, unknown];
  queryFn: (context: { signal: AbortSignal }) => Promise<T>;
};

// The path and init are checked where apiQuery is called; past that the call is the same for every GET.
const get = api.get as unknown as (path: string, init?: object) => Promise<unknown>;

/** A GET for useApiQuery or useQueries, typed like `api.get(path, init)`. */
export function apiQuery<P extends GetPath, I extends Init<P>>(
  path: P,
  ...[init]: InitArg<I>
): ApiRead<Answer<P>> {
  return {
    queryKey: [path, (init as { params?: unknown } | undefined)?.params ?? {}],
    queryFn: ({ signal }) => get(path, { ...(init as object | undefined), signal }) as Promise<Answer<P>>,
  };
}

/** A read that needs more than one GET's answer, or narrows it (a meter's readings), under its own key. */
export function customQuery<T>(
  queryKey: readonly [GetPath, unknown],
  fn: (signal: AbortSignal) => Promise<T>,
): ApiRead<T> {
  return { queryKey, queryFn: ({ signal }) => fn(signal) };
}

export type ApiQuery<T> = UseQueryResult<T, ApiError>;

export type ApiQueryOptions<T> = {
  /** Milliseconds between refetches while the page is open, or false; may depend on the last answer. */
  refetchInterval?: number | false | ((data: T | undefined) => number | false);
  /** Keep showing the previous answer while new parameters load (search boxes, paging). */
  keepPrevious?: boolean;
};

/** Runs a read built by apiQuery or customQuery (null: not yet, e.g. until the user picks something). */
export function useApiQuery<T>(read: ApiRead<T> | null, options: ApiQueryOptions<T> = {}): ApiQuery<T> {
  const { refetchInterval } = options;
  return useQuery<T, ApiError, T, readonly unknown[]>({
    queryKey: read?.queryKey ?? ["", null],
    queryFn: read?.queryFn,
    enabled: read !== null,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
    refetchInterval:
      typeof refetchInterval === "function"
        ? (query: Query<T, ApiError, T, readonly unknown[]>) => refetchInterval(query.state.data)
        : refetchInterval,
  });
}

/**
 * GET a documented path, cached: `useApi("/api/sites/{id}", { params: { path: { id } } })`, with the
 * query options last: `useApi("/api/audit", { params: { query: { page } } }, { keepPrevious: true })`.
 */
export function useApi<P extends GetPath, I extends Init<P>>(
  path: P,
  ...args: [...InitArg<I>, ApiQueryOptions<Answer<P>>?]
): ApiQuery<Answer<P>> {
  // Both are optional where the route has no required parameter, so the tuple has them in this order.
  const [init, options] = args as unknown as [I | undefined, ApiQueryOptions<Answer<P>>?];
  return useApiQuery(apiQuery<P, I>(path, ...([init] as InitArg<I>)), options);
}

/** Marks every cached GET under these paths stale and refetches those on screen. */
export function invalidate(prefixes: string[]) {
  return queryClient.invalidateQueries({
    predicate: (q) => prefixes.some((p) => String(q.queryKey[0]).startsWith(p)),
  });
}

/** Marks one read stale (and refetches it if it is on screen). */
export function refetchRead(read: ApiRead<unknown>) {
  return queryClient.invalidateQueries({ queryKey: read.queryKey, exact: true });
}

/** Replaces a cached read's answer (a live push, or the answer of a write). */
export function setCached<T>(read: ApiRead<T>, update: (old: T | undefined) => T | undefined) {
  queryClient.setQueryData<T>(read.queryKey, update);
}

export type Action<A, R> = {
  /** Runs the action; resolves to its result, or to undefined when it failed (the error is in `error`). */
  run: (arg: A) => Promise<R | undefined>;
  busy: boolean;
  error: ApiError | null;
  result: R | undefined;
  reset: () => void;
};

type ActionOptions<A, R> = {
  /** Paths whose cached GETs the action changes; those on screen refetch once it succeeds. */
  invalidates?: string[];
  onDone?: (result: R, arg: A) => void;
};

/**
 * A write with its busy flag and error. Client-side checks throw an ApiError naming the field from
 * inside `fn`, so they reach the form exactly as the API's own refusals do.
 */
export function useAction<A = void, R = unknown>(
  fn: (arg: A) => Promise<R>,
  options: ActionOptions<A, R> = {},
): Action<A, R> {
  const mutation = useMutation<R, ApiError, A>({
    mutationFn: async (arg) => {
      try {
        return await fn(arg);
      } catch (err) {
        throw asApiError(err);
      }
    },
    // onDone first (it usually closes a dialog or leaves a page), then the stale lists refetch.
    onSuccess: async (result, arg) => {
      options.onDone?.(result, arg);
      if (options.invalidates?.length) await invalidate(options.invalidates);
    },
  });
  return {
    run: (arg: A) => mutation.mutateAsync(arg).catch(() => undefined),
    busy: mutation.isPending,
    error: mutation.error,
    result: mutation.data,
    reset: mutation.reset,
  };
}

/**
 * The input the answer on screen belongs to. While `keepPrevious` shows the last answer for a new
 * input (a new date range), that is the last input that was answered, not the new one.
 */
export function useAnsweredInput<T>(input: T, query: ApiQuery<unknown>): T {
  const answered = useRef(input);
  if (query.data !== undefined && !query.isPlaceholderData) answered.current = input;
  return query.isPlaceholderData ? answered.current : input;
}
