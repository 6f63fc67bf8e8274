// Sign-in throttling, keyed so that a stranger cannot lock the owner out (the rule is in the README):
// only an (IP, account) pair ever locks. Failures are also counted per account across IPs and per IP
// across accounts; when either count is high the pair locks sooner, but an IP that has not failed on an
// account is never refused the right password for it.
import { and, eq, gt, gte, like, not, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { loginAttempts } from "../db/schema";

export const THROTTLE = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  /** Failures of one pair in the window that lock it. */
  pairFailures: 5,
  /** Failures of one account (from any IP) or one IP (on any account) that put it on alert: its pairs lock at one. */
  alertFailures: 20,
};

export type Attempt = { email: string; ip: string };

export const pairKey = ({ email, ip }: Attempt) => `pair:${ip}|${email}`;
export const accountKey = (email: string) => `account:${email}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** Milliseconds until this IP may try this account again, or 0 when it may now. */
export async function lockedFor(db: Db, attempt: Attempt, now: number): Promise<number> {
  const row = await db
    .select({ lockedUntil: loginAttempts.lockedUntil })
    .from(loginAttempts)
    .where(eq(loginAttempts.key, pairKey(attempt)))
    .get();
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil - now : 0;
}

/** Counts one failure for the account, the IP and their pair, and locks the pair on reaching its limit. */
export async function recordFailure(db: Db, attempt: Attempt, now: number): Promise<void> {
  const floor = now - THROTTLE.windowMs;
  const account = accountKey(attempt.email);
  const ip = ipKey(attempt.ip);
  const pair = pairKey(attempt);
  const t = loginAttempts;
  // A failure restarts a stale window, else adds to it (in an upsert's SET, columns are the row before).
  const failures = sql<number>`CASE WHEN ${t.windowStart} < ${floor} THEN 1 ELSE ${t.failures} + 1 END`;
  const windowStart = sql<number>`CASE WHEN ${t.windowStart} < ${floor} THEN ${now} ELSE ${t.windowStart} END`;
  const count = (key: string) =>
    db
      .insert(t)
      .values({ key, failures: 1, windowStart: now })
      .onConflictDoUpdate({ target: t.key, set: { failures, windowStart } });
  // Read after the two counts above (a batch runs in order), so this failure can be the one that alerts.
  const limit = sql`CASE WHEN EXISTS (
      SELECT 1 FROM login_attempts AS counted WHERE counted.key IN (${account}, ${ip})
      AND counted.window_start >= ${floor} AND counted.failures >= ${THROTTLE.alertFailures})
    THEN 1 ELSE ${THROTTLE.pairFailures} END`;
  const lockedUntil = now + THROTTLE.lockMs;
  await db.batch([
    count(account),
    count(ip),
    db
      .insert(t)
      .values({
        key: pair,
        failures: 1,
        windowStart: now,
        lockedUntil: sql`CASE WHEN 1 >= ${limit} THEN ${lockedUntil} END`,
      })
      .onConflictDoUpdate({
        target: t.key,
        set: {
          failures,
          windowStart,
          lockedUntil: sql`CASE WHEN ${failures} >= ${limit} THEN ${lockedUntil} ELSE ${t.lockedUntil} END`,
        },
      }),
  ]);
}

/** A sign-in succeeded: that IP's failures on that account are forgotten (the wider counts stay). */
export async function clearPair(db: Db, attempt: Attempt): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, pairKey(attempt)));
}

export type ThrottleEntry = {
  key: string;
  kind: "pair" | "account" | "ip";
  email: string | null;
  ip: string | null;
  failures: number;
  since: string;
  lockedUntil: string | null;
};

function describeKey(key: string): Pick<ThrottleEntry, "kind" | "email" | "ip"> {
  const colon = key.indexOf(":");
  const kind = key.slice(0, colon) as ThrottleEntry["kind"];
  const rest = key.slice(colon + 1);
  if (kind === "account") return { kind, email: rest, ip: null };
  if (kind === "ip") return { kind, email: null, ip: rest };
  // Emails never contain "|" (the sign-in schema refuses it); an IP given in a header might.
  const bar = rest.lastIndexOf("|");
  return { kind, ip: rest.slice(0, bar), email: rest.slice(bar + 1) };
}

/** Locked pairs, and accounts and IPs on alert, newest first. */
export async function listThrottles(db: Db, now: number): Promise<ThrottleEntry[]> {
  const rows = await db
    .select()
    .from(loginAttempts)
    .where(
      or(
        gt(loginAttempts.lockedUntil, now),
        and(
          not(like(loginAttempts.key, "pair:%")),
          gte(loginAttempts.windowStart, now - THROTTLE.windowMs),
          gte(loginAttempts.failures, THROTTLE.alertFailures),
        ),
      ),
    )
    .orderBy(sql`coalesce(${loginAttempts.lockedUntil}, ${loginAttempts.windowStart}) DESC`)
    .limit(500);
  return rows.map((r) => ({
    key: r.key,
    ...describeKey(r.key),
    failures: r.failures,
    since: new Date(r.windowStart).toISOString(),
    lockedUntil: r.lockedUntil && r.lockedUntil > now ? new Date(r.lockedUntil).toISOString() : null,
  }));
}

/** Forgets one lock or alert; false when there was none. */
export async function clearThrottle(db: Db, key: string): Promise<boolean> {
  const gone = await db.delete(loginAttempts).where(eq(loginAttempts.key, key)).returning().get();
  return gone !== undefined;
}
