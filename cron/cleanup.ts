// Weekly cleanup: expired sessions and stale sign-in throttling rows.
import { lt } from "drizzle-orm";
import { database } from "../src/db/client";
import { loginAttempts, sessions } from "../src/db/schema";
import { THROTTLE } from "../src/auth/throttle";

export async function cleanup(env: Env, now: Date): Promise<string> {
  const db = database(env);
  const t = now.getTime();
  const expired = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, t))
    .returning({ h: sessions.tokenHash });
  const stale = await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.windowStart, t - THROTTLE.windowMs - THROTTLE.lockMs))
    .returning({ k: loginAttempts.key });
  return `removed ${expired.length} expired sessions, ${stale.length} stale throttle rows`;
}
