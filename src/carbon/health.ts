// The feed's freshness for /api/health: degraded (warn) after 2 hours without new data, counted from the
// last poll that stored or changed something (or, before any did, from the first poll).
import { feedState } from "./store";

export const STALE_AFTER_MS = 2 * 3_600_000;

export async function carbonFeedCheck(
  db: D1Database,
  now: number,
): Promise<{ status: "ok" | "warn"; detail: string }> {
  const feed = await feedState(db);
  const since = feed?.lastNewDataAt ?? feed?.firstAttemptAt;
  if (!feed || !since) return { status: "ok", detail: "not polled yet" };
  const minutes = Math.round((now - Date.parse(since)) / 60_000);
  const failing = feed.consecutiveFailures
    ? `; ${feed.consecutiveFailures} failed polls in a row: ${feed.lastError ?? ""}`
    : "";
  const what = feed.lastNewDataAt
    ? `new data ${minutes} minutes ago`
    : `no data since the first poll ${minutes} minutes ago`;
  return now - Date.parse(since) > STALE_AFTER_MS
    ? { status: "warn", detail: `stale: ${what}${failing}` }
    : { status: "ok", detail: `${what}${failing}` };
}
