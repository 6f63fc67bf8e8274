// The API client: same-origin JSON over the session cookie, with errors as values the pages can show.
export type Role = "viewer" | "manager" | "admin";
export type User = { id: number; email: string; role: Role; name: string | null };
export type Company = { id: number; name: string; isDefault: boolean };
export type Region = { id: number; companyId: number; name: string };
export type Site = {
  id: number;
  companyId: number;
  companyName: string;
  regionId: number | null;
  regionName: string | null;
  name: string;
  address: string | null;
  postcode: string | null;
  siteType: string | null;
  floorAreaM2: number | null;
  meterCount: number;
};
export type Fuel = "electricity" | "gas";
export type Meter = {
  id: number;
  mpan: string;
  fuel: Fuel;
  siteId: number;
  siteName: string;
  supplierId: number | null;
  supplierName: string | null;
  serial: string | null;
  name: string | null;
  status: "active" | "inactive";
};
export type Supplier = { id: number; name: string };
export type Grant = { id: number; companyId: number | null; regionId: number | null; siteId: number | null };
export type ManagedUser = {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  active: boolean;
  grants: Grant[];
};
export type ApiToken = {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  companyId: number | null;
  createdBy: { id: number; email: string; role: Role; active: boolean } | null;
  actsAs: Role | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
export type AuditEntry = {
  id: number;
  at: string;
  actorUserId: number | null;
  actorEmail: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  detail: string | null;
  ip: string | null;
};
export type Health = {
  status: "healthy" | "degraded" | "critical";
  checks: Record<string, { status: "ok" | "warn" | "fail" | "not_configured"; detail: string }>;
};
export type DayReading = {
  date: string;
  kwh: number;
  periods: number | null;
  expectedPeriods: number;
  estimated: boolean;
};
export type HalfHourReading = {
  date: string;
  period: number;
  start: string;
  end: string;
  kwh: number;
  estimated: boolean;
};
export type JobStatus =
  "queued" | "processing" | "completed" | "completed_with_errors" | "failed" | "cancelled";
export type ImportJob = {
  batchId: string;
  status: JobStatus;
  dryRun: boolean;
  format: string;
  fileName: string | null;
  rowsProcessed: number;
  rowsImported: number;
  rowsFailed: number;
  readingsWritten: number;
  bytesTotal: number;
  bytesDone: number;
  progress: number;
  errors?: { line: number; message: string }[];
  warnings?: { line: number; message: string }[];
  error?: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt?: string;
  attempts: number;
  notes: string | null;
  tags: string[];
};
export type List<T> = { data: T[]; total?: number };

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

export async function errorFrom(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string; field?: string };
  } | null;
  const e = body?.error;
  return new ApiError(
    res.status,
    e?.code ?? `http_${res.status}`,
    e?.message ?? `the server answered ${res.status} ${res.statusText}`.trim(),
    e?.field,
  );
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    signal,
  };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, "Content-Type": "application/json" };
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    // An abort (the page that asked has gone) is not a network failure; the data layer drops it.
    if (signal?.aborted) throw err;
    throw new ApiError(0, "network", "could not reach the server; check your connection and try again");
  }
  if (res.status === 401 && path !== "/api/auth/login" && path !== "/api/auth/me") onUnauthorized();
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  /** `signal` lets the data layer abort a read nobody is waiting for any more. */
  get: <T>(path: string, signal?: AbortSignal) => request<T>("GET", path, undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  del: (path: string) => request<void>("DELETE", path),
};

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
