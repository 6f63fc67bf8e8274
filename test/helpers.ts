// Shared test fixtures: a small estate with two companies, users of each role, and an HTTP client.
import { SELF, env } from "cloudflare:test";
import { hashPassword } from "../src/auth/crypto";

export const ORIGIN = "http://localhost";
export const PASSWORD = "correct horse battery";

// Valid MPAN cores: the 13th digit is the sum of the first 12 × 3,5,7,13,17,19,23,29,31,37,41,43, mod 11, mod 10
// (e.g. 1030006718997: the sum is 1448, 1448 % 11 = 7).
export const MPAN_A = "1030006718997";
export const MPAN_B = "2499999999991";
export const MPAN_C = "1312345678907";

export type Estate = {
  companyA: number;
  companyB: number;
  regionA1: number;
  siteA1: number;
  siteA2: number;
  siteB1: number;
  users: Record<"admin" | "manager" | "viewer" | "siteViewer" | "nobody", number>;
};

let hashed: string | undefined;

/**
 * Company A (region A1 holds site A1; site A2 has no region) and company B (site B1).
 * manager → company A; viewer → region A1; siteViewer → site A2; nobody has no grant.
 * Meters: MPAN_A on A1, MPAN_B on A2, MPAN_C on B1.
 */
export async function seedEstate(): Promise<Estate> {
  hashed ??= await hashPassword(PASSWORD, 1000);
  const db = env.DB;
  await resetDb();
  await db.batch([
    db.prepare(
      "INSERT INTO companies (id, name, is_default) VALUES (1, 'Default company', 1), (10, 'Acme Estates', 0), (20, 'Bravo Holdings', 0)",
    ),
    db.prepare("INSERT INTO regions (id, company_id, name) VALUES (100, 10, 'North')"),
    db.prepare(
      "INSERT INTO sites (id, company_id, region_id, name, postcode) VALUES (1000, 10, 100, 'Acme North Office', 'M1 1AA'), (1001, 10, NULL, 'Acme Depot', 'B1 1AA'), (2000, 20, NULL, 'Bravo Tower', 'EC1A 1BB')",
    ),
    db.prepare(
      `INSERT INTO meters (mpan, fuel, site_id) VALUES ('${MPAN_A}', 'electricity', 1000), ('${MPAN_B}', 'electricity', 1001), ('${MPAN_C}', 'electricity', 2000)`,
    ),
    db
      .prepare(
        "INSERT INTO users (id, email, name, password_hash, role) VALUES (1, 'admin@example.com', 'A', ?1, 'admin'), (2, 'manager@example.com', 'M', ?1, 'manager'), (3, 'viewer@example.com', 'V', ?1, 'viewer'), (4, 'siteviewer@example.com', 'S', ?1, 'viewer'), (5, 'nobody@example.com', 'N', ?1, 'manager')",
      )
      .bind(hashed),
    db.prepare(
      "INSERT INTO access_grants (user_id, company_id, region_id, site_id) VALUES (2, 10, NULL, NULL), (3, NULL, 100, NULL), (4, NULL, NULL, 1001)",
    ),
  ]);
  return {
    companyA: 10,
    companyB: 20,
    regionA1: 100,
    siteA1: 1000,
    siteA2: 1001,
    siteB1: 2000,
    users: { admin: 1, manager: 2, viewer: 3, siteViewer: 4, nobody: 5 },
  };
}

/** Storage is isolated per test file, not per test: empty every table (children first). */
export async function resetDb(): Promise<void> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
  ).all<{ name: string }>();
  await env.DB.batch([
    env.DB.prepare("PRAGMA defer_foreign_keys = on"),
    ...tables.results.map((t) => env.DB.prepare(`DELETE FROM "${t.name}"`)),
  ]);
}

export type Auth = { cookie?: string; token?: string; origin?: string | null; ip?: string };

/** Sends a request to the Worker (`via` swaps the way in, e.g. the app with other bindings). */
export async function call(
  method: string,
  path: string,
  body?: unknown,
  auth: Auth = {},
  via: (request: Request) => Promise<Response> = (request) => SELF.fetch(request),
): Promise<Response> {
  const headers = new Headers();
  if (auth.cookie) headers.set("Cookie", auth.cookie);
  if (auth.token) headers.set("Authorization", `Bearer ${auth.token}`);
  if (auth.origin !== null && method !== "GET") headers.set("Origin", auth.origin ?? ORIGIN);
  if (auth.ip) headers.set("CF-Connecting-IP", auth.ip);
  let payload: BodyInit | undefined;
  if (body instanceof FormData || typeof body === "string") payload = body;
  else if (body !== undefined) {
    headers.set("Content-Type", "application/json");
    payload = JSON.stringify(body);
  }
  return via(new Request(`${ORIGIN}${path}`, { method, headers, body: payload }));
}

export async function login(email: string, password = PASSWORD, ip?: string): Promise<string> {
  const res = await call("POST", "/api/auth/login", { email, password }, { ip });
  if (res.status !== 200) throw new Error(`login ${email} → ${res.status} ${await res.text()}`);
  return sessionCookie(res);
}

export function sessionCookie(res: Response): string {
  const set = res.headers.get("Set-Cookie") ?? "";
  const m = /eclectyc_session=([^;]+)/.exec(set);
  if (!m) throw new Error(`no session cookie in ${set}`);
  return `eclectyc_session=${m[1]}`;
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/**
 * Answers of requests sent at once (two writers racing for the same name): their statuses, sorted, and
 * the body of the first 409 among them, if any.
 */
export async function race(requests: Promise<Response>[]) {
  const answers = await Promise.all(requests);
  const loser = answers.find((r) => r.status === 409);
  return {
    statuses: answers.map((r) => r.status).sort((a, b) => a - b),
    conflict: loser ? await json(loser) : undefined,
  };
}
