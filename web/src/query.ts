// The SPA's data layer, on TanStack Query: each GET is cached under its path, components asking for the
// same path share one request, a request is aborted when no component waits for it any more (the user
// navigated away), and pages that follow changing data give a refetch interval instead of polling by
// hand. Writes go through useAction: one hook for the call, its busy flag, its error and the cache
// entries it makes stale.
import {
  keepPreviousData,
  QueryClient,
  useMutation,
  useQuery,
  type Query,
  type UseQueryResult,
} from "@tanstack/preact-query";
import { useRef } from "preact/hooks";
import { api, ApiError } from "./api";

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

/** A GET's cache key: its path and its query string apart, so invalidating a path reaches every filter. */
const keyOf = (path: string) => {
  const q = path.indexOf("?");
  return q < 0 ? [path, ""] : [path.slice(0, q), path.slice(q)];
};

export type ApiQuery<T> = UseQueryResult<T, ApiError>;

type ApiQueryOptions<T> = {
  /** Milliseconds between refetches while the page is open, or false; may depend on the last answer. */
  refetchInterval?: number | false | ((data: T | undefined) => number | false);
  /** Keep showing the previous answer while a new path loads (search boxes, paging). */
  keepPrevious?: boolean;
};

/** GET `path` (null: not yet, e.g. until the user picks something). */
export function useApi<T>(path: string | null, options: ApiQueryOptions<T> = {}): ApiQuery<T> {
  const { refetchInterval } = options;
  return useQuery<T, ApiError>({
    queryKey: keyOf(path ?? ""),
    queryFn: ({ signal }) => api.get<T>(path!, signal),
    enabled: path !== null,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
    refetchInterval:
      typeof refetchInterval === "function"
        ? (query: Query<T, ApiError>) => refetchInterval(query.state.data)
        : refetchInterval,
  });
}

/** The query options of a GET, for useQueries (the dashboard asks for one per meter). */
export function apiQuery<T>(path: string) {
  return {
    queryKey: keyOf(path),
    queryFn: ({ signal }: { signal: AbortSignal }) => api.get<T>(path, signal),
  };
}

/** Marks every cached GET under these paths stale and refetches those on screen. */
export function invalidate(prefixes: string[]) {
  return queryClient.invalidateQueries({
    predicate: (q) => prefixes.some((p) => String(q.queryKey[0]).startsWith(p)),
  });
}

/** Replaces a cached GET's answer (a live push, or the answer of a write). */
export function setCached<T>(path: string, update: (old: T | undefined) => T | undefined) {
  queryClient.setQueryData<T>(keyOf(path), update);
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
