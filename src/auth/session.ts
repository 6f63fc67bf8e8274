// Session cookies: a random value in the browser, only its SHA-256 in D1.
import { and, eq, gt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Db } from "../db/client";
import { sessions, users } from "../db/schema";
import { randomToken, sha256Hex } from "./crypto";

export const SESSION_COOKIE = "eclectyc_session";
export const SESSION_TTL_MS = 7 * 24 * 3600_000;

function isLocalhost(c: Context): boolean {
  const host = new URL(c.req.url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export async function createSession(db: Db, c: Context, userId: number, ip: string): Promise<void> {
  const token = randomToken();
  const expiresAt = Date.now() + SESSION_TTL_MS;
  await db.insert(sessions).values({ tokenHash: await sha256Hex(token), userId, expiresAt, ip });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: !isLocalhost(c),
    sameSite: "Lax",
    path: "/",
    expires: new Date(expiresAt),
  });
}

/** Ends the session the request presented (its cookie is overwritten or deleted by the caller). */
export async function forgetPresentedSession(db: Db, c: Context): Promise<void> {
  const token = readSessionCookie(c);
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, await sha256Hex(token)));
}

export async function destroySession(db: Db, c: Context): Promise<void> {
  await forgetPresentedSession(db, c);
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocalhost(c) });
}

export async function userForSession(db: Db, token: string) {
  const hash = await sha256Hex(token);
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, active: users.active })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, Date.now())))
    .get();
}
