// The API client: same-origin JSON over the session cookie, with errors as values the pages can show.
// Every path, parameter, body and answer is typed from api-schema.d.ts, which `npm run api:types`
// generates from the Worker's route definitions (its OpenAPI document): no response is restated here,
// so a field renamed in a Worker schema fails the web's typecheck instead of a page at run time.
import createClient, { type FetchResponse, type MaybeOptionalInit } from "openapi-fetch";
import type { components, paths } from "./api-schema";

type Schemas = components["schemas"];
export type Method = "get" | "put" | "post" | "patch" | "delete";

/** The documented paths that answer a method. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];

/** What a route answers on success: its 2xx JSON, or void for a 204. */
export type Answer<P extends PathsWith<M>, M extends Method = "get"> =
  paths[P][M] extends Record<string | number, unknown>
    ? OrVoid<NonNullable<FetchResponse<paths[P][M], object, "application/json">["data"]>>
    : never;
type OrVoid<T> = [T] extends [never] ? void : T;

export type Role = Schemas["Me"]["role"];
/** Who is calling: a signed-in user (an API token has no id or email). */
export type User = Schemas["Me"];
export type Company = Schemas["Company"];
export type Region = Schemas["Region"];
export type Site = Schemas["Site"];
export type Meter = Schemas["Meter"];
export type Fuel = Meter["fuel"];
export type Supplier = Schemas["Supplier"];
export type Grant = Schemas["Grant"];
export type ManagedUser = Schemas["User"];
export type ApiToken = Schemas["ApiToken"];
export type AuditEntry = Schemas["AuditEntry"];
export type Health = Schemas["Health"];
export type DayReading = Schemas["DayReading"];
export type HalfHourReading = Schemas["HalfHourReading"];
export type WebhookSource = Schemas["WebhookSource"];
export type SiteImportResult = Schemas["SiteImportResult"];
/** One job with its first row errors and warnings (GET /api/import/jobs/{batchId}). */
export type ImportJob = Schemas["ImportJob"];
/** A job as lists show it: without the errors and warnings. */
export type ImportJobSummary = Answer<"/api/import/jobs">["data"][number];
export type JobStatus = ImportJob["status"];
/** A locked (IP, account) pair, or an account or IP on alert. */
export type SignInLock = Answer<"/api/auth/locks">["data"][number];
export type Tariff = Schemas["Tariff"];
export type TariffInput = Schemas["TariffInput"];
export type TariffBand = Schemas["TariffBand"];
export type SwitchingAnalysis = Schemas["SwitchingAnalysis"];

/** An API refusal: the HTTP status, the error code and message, and the field it concerns, if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Called when any request answers 401, so the app can return to the sign-in page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

/** The ApiError of a refused request, from the error body the Worker sends (Schemas["Error"]). */
export function apiErrorOf(res: { status: number; statusText?: string }, body: unknown): ApiError {
  const e = (body as Partial<Schemas["Error"]> | null | undefined)?.error;
  return new ApiError(
    res.status,
    e?.code ?? `http_${res.status}`,
    e?.message ?? `the server answered ${res.status} ${res.statusText ?? ""}`.trim(),
    e?.field,
  );
}

const client = createClient<paths>({ credentials: "same-origin", headers: { Accept: "application/json" } });
// The path and its init are checked against the document where api.get etc. are called; from there on
// the call is the same for every route.
const send = client.request as unknown as (
  method: Method,
  path: string,
  init?: object,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

async function call(method: Method, path: string, init?: object): Promise<unknown> {
  let result: Awaited<ReturnType<typeof send>>;
  try {
    result = await send(method, path, init);
  } catch (err) {
    // An abort (the page that asked has gone; the data layer passes `signal`) is not a network failure:
    // the data layer drops it.
    const aborted = (init as { signal?: AbortSignal } | undefined)?.signal?.aborted;
    if (err instanceof TypeError && !aborted)
      throw new ApiError(0, "network", "could not reach the server; check your connection and try again");
    throw err;
  }
  const { data, error, response } = result;
  if (response.status === 401 && path !== "/api/auth/login" && path !== "/api/auth/me") onUnauthorized();
  if (!response.ok) throw apiErrorOf(response, error);
  return data;
}

/**
 * The init a route takes: `params` (path, query) and `body`, optional when the route needs none; also
 * fetch's own options, such as the `signal` the data layer aborts a read with.
 */
export type Init<P extends PathsWith<M>, M extends Method = "get"> = MaybeOptionalInit<paths[P], M>;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** The init argument: optional when the route has no required parameter or body. */
export type InitArg<I> = [RequiredKeys<I>] extends [never] ? [init?: I] : [init: I];

function method<M extends Method>(m: M) {
  return <P extends PathsWith<M>, I extends Init<P, M>>(path: P, ...[init]: InitArg<I>) =>
    call(m, path, init ?? undefined) as Promise<Answer<P, M>>;
}

/**
 * Typed requests: `api.get("/api/sites/{id}", { params: { path: { id } } })` answers a Site; a wrong
 * path, parameter or body does not compile.
 */
export const api = {
  get: method("get"),
  post: method("post"),
  put: method("put"),
  patch: method("patch"),
  del: method("delete"),
  /**
   * A POST whose body the document does not describe, because the Worker reads it as a stream (a file
   * as multipart, or the JSON naming a finished upload); the answer is still the route's.
   */
  send: async <P extends PathsWith<"post">>(path: P, body: FormData | Record<string, unknown>) =>
    call("post", path, { body }) as Promise<Answer<P, "post">>,
};

type Readings = Answer<"/api/meters/{mpan}/readings">;

/** A meter's readings at one granularity: the answer's `granularity` says which entries `data` holds. */
export async function meterReadings<G extends Readings["granularity"]>(
  mpan: string,
  from: string,
  to: string,
  granularity: G,
  signal?: AbortSignal,
): Promise<Extract<Readings, { granularity: G }>> {
  const answer = await api.get("/api/meters/{mpan}/readings", {
    params: { path: { mpan }, query: { from, to, granularity } },
    signal,
  });
  if (answer.granularity !== granularity)
    throw new ApiError(200, "unexpected", `asked for ${granularity} readings, got ${answer.granularity}`);
  return answer as Extract<Readings, { granularity: G }>;
}
