// Login throttling: repeated failures lock an account (and, separately, an IP) for a while.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { loginAttempts } from "../db/schema";

export const THROTTLE = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxPerAccount: 5,
  maxPerIp: 20,
};

export const accountKey = (email: string) => `account:${email.toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** Milliseconds until the lock ends, or 0 when the key is free. */
export async function lockedFor(db: Db, keys: string[], now: number): Promise<number> {
  let wait = 0;
  for (const key of keys) {
    const row = await db.select().from(loginAttempts).where(eq(loginAttempts.key, key)).get();
    if (row?.lockedUntil && row.lockedUntil > now) wait = Math.max(wait, row.lockedUntil - now);
  }
  return wait;
}

export async function recordFailure(db: Db, key: string, limit: number, now: number): Promise<void> {
  const windowFloor = now - THROTTLE.windowMs;
  // One statement: restart the window when it is stale, count, and lock on reaching the limit.
  await db.run(sql`
    INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT(key) DO UPDATE SET
      failures = CASE WHEN window_start < ${windowFloor} THEN 1 ELSE failures + 1 END,
      window_start = CASE WHEN window_start < ${windowFloor} THEN ${now} ELSE window_start END,
      locked_until = CASE
        WHEN (CASE WHEN window_start < ${windowFloor} THEN 1 ELSE failures + 1 END) >= ${limit}
        THEN ${now + THROTTLE.lockMs} ELSE locked_until END`);
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, key));
}
