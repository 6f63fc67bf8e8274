// Session cookies: a random value in the browser, only its SHA-256 in D1.
import { and, eq, gt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Db } from "../db/client";
import { isLocalHost } from "../http/security-headers";
import { sessions, users } from "../db/schema";
import { randomToken, sha256Hex } from "./crypto";

export const SESSION_COOKIE = "eclectyc_session";
export const SESSION_TTL_MS = 7 * 24 * 3600_000;

const isLocalhost = (c: Context) => isLocalHost(new URL(c.req.url).hostname);

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
  if (!token) return;
  const hash = await sha256Hex(token);
  await db.delete(sessions).where(eq(sessions.tokenHash, hash));
  sessionCache.forget(hash);
}

export async function destroySession(db: Db, c: Context): Promise<void> {
  await forgetPresentedSession(db, c);
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocalhost(c) });
}

/** The user of a live session, looked up in D1. */
export async function userForSession(db: Db, token: string, now = Date.now()) {
  return userForSessionHash(db, await sha256Hex(token), now);
}

function userForSessionHash(db: Db, hash: string, now: number) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      active: users.active,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, now)))
    .get();
}

type SessionUser = NonNullable<Awaited<ReturnType<typeof userForSessionHash>>>;

/**
 * How long an isolate trusts a session it looked up: the lookup is a D1 query on every signed-in
 * request, and a page fires several at once. Sign-out and changes to a user apply at once in the
 * isolate that made them (they forget its entries) and within this time in any other.
 */
export const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_ENTRIES = 10_000;

/** Live sessions this isolate looked up lately, by token hash (unknown tokens are never kept). */
export const sessionCache = {
  entries: new Map<string, { user: SessionUser; until: number }>(),
  forget(hash: string) {
    this.entries.delete(hash);
  },
  forgetUser(userId: number) {
    for (const [hash, { user }] of this.entries) if (user.id === userId) this.entries.delete(hash);
  },
};

/** userForSession, answered from sessionCache while the entry is under SESSION_CACHE_MS old. */
export async function cachedUserForSession(db: Db, token: string, now = Date.now()) {
  const hash = await sha256Hex(token);
  const hit = sessionCache.entries.get(hash);
  if (hit && now < hit.until) return hit.user;
  const user = await userForSessionHash(db, hash, now);
  if (!user) {
    sessionCache.forget(hash);
    return undefined;
  }
  const { entries } = sessionCache;
  entries.delete(hash); // re-inserted last, so the first entry is always the oldest
  if (entries.size >= SESSION_CACHE_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(hash, { user, until: Math.min(now + SESSION_CACHE_MS, user.expiresAt) });
  return user;
}
