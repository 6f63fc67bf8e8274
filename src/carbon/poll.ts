// One poll of the Carbon Intensity API, shared by the cron job and the on-demand refresh: sites' grid
// regions from their postcodes, the national 48 h forecast and the past half-hours it is missing (30
// days on the first run, the gap after an outage), the regional forecast and backfill for the sites'
// regions, and the generation mix. Every request's failure is caught and reported; none stops the others.
import { MS_PER_DAY, MS_PER_PERIOD, settlementDayStartUtc } from "../time/settlement";
import { carbonClient, defaultClientOptions, type ClientOptions } from "./client";
import {
  apiTime,
  GRID_REGIONS,
  halfHourFloor,
  outwardCode,
  parseGeneration,
  parseNational,
  parsePostcodeRegion,
  parseRegional,
} from "./domain";
import {
  deleteDemoRows,
  nationalSpan,
  recordPoll,
  regionalSpans,
  regionsInUse,
  setSiteRegion,
  sitesWithPostcodes,
  storeGeneration,
  storeNational,
  storeRegional,
  type WriteCount,
} from "./store";

/** The API answers at most 14 days per from/to request. */
export const MAX_WINDOW_MS = 14 * MS_PER_DAY;
export const FIRST_RUN_DAYS = 30;
/** A region added later is backfilled for its meters' readings, at most this far back. */
export const REGION_BACKFILL_MAX_DAYS = 365;
/**
 * Requests one poll may send (Workers allow 1,000 subrequests, 50 on the free plan): a long backfill
 * goes on at the next poll, from where this one stopped, since the spans stored say what is missing.
 */
export const MAX_REQUESTS_PER_POLL = 40;

export type PollResult = {
  stored: number;
  updated: number;
  /** First and last half-hour written (UTC ISO), null when nothing changed. */
  from: string | null;
  to: string | null;
  requests: number;
  failures: string[];
  consecutiveFailures: number;
};

/** [from, to) cut into windows of at most 14 days, oldest first. */
export function windowsOf(from: number, to: number, size = MAX_WINDOW_MS): [number, number][] {
  const out: [number, number][] = [];
  for (let a = from; a < to; a += size) out.push([a, Math.min(a + size, to)]);
  return out;
}

export async function pollCarbon(
  env: Pick<Env, "DB" | "CARBON_API_URL" | "CARBON_TIMEOUT_MS" | "CARBON_BACKOFF_MS">,
  at: Date,
  options: Partial<ClientOptions> = {},
): Promise<PollResult> {
  const db = env.DB;
  const client = carbonClient({ ...defaultClientOptions(env), ...options });
  const now = halfHourFloor(at.getTime());
  const failures: string[] = [];
  const total: WriteCount = { stored: 0, updated: 0, first: null, last: null };
  const add = (w: WriteCount) => {
    total.stored += w.stored;
    total.updated += w.updated;
    if (w.first !== null) total.first = total.first === null ? w.first : Math.min(total.first, w.first);
    if (w.last !== null) total.last = total.last === null ? w.last : Math.max(total.last, w.last);
  };
  let realNational = false;
  /** Runs one request and what follows from it; a failure is noted and the poll goes on. */
  async function step(what: string, run: () => Promise<void>): Promise<boolean> {
    if (client.requests() >= MAX_REQUESTS_PER_POLL) return false;
    try {
      await run();
      return true;
    } catch (err) {
      failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  // 1. Sites' regions: a postcode's outward code is looked up once (again only if the postcode changes).
  for (const site of await sitesWithPostcodes(db)) {
    const outward = outwardCode(site.postcode);
    if (site.source === "manual" || site.outward === outward) continue;
    await step(`postcode ${outward}`, async () => {
      const region = parsePostcodeRegion(
        await client.get(`/regional/postcode/${encodeURIComponent(outward)}`),
      );
      await setSiteRegion(db, site.id, region, "postcode", outward);
    });
  }

  // 2. National: what is stored decides the backfill (demo rows never count).
  const span = await nationalSpan(db);
  // Forecasts alone (a first poll whose backfill failed) do not count: the backfill is still owed.
  const firstRun = span.rows === 0 || span.lastActual === null;
  await step("national forecast", async () => {
    const rows = parseNational(await client.get(`/intensity/${apiTime(now)}/fw48h`));
    add(await storeNational(db, rows));
    realNational ||= rows.length > 0;
  });
  const pastFrom = firstRun
    ? now - FIRST_RUN_DAYS * MS_PER_DAY
    : Math.max(
        (span.lastActual ?? span.last ?? now) + MS_PER_PERIOD,
        now - REGION_BACKFILL_MAX_DAYS * MS_PER_DAY,
      );
  // Oldest first, so a poll cut short leaves one contiguous span and the next one goes on after it.
  for (const [a, b] of windowsOf(pastFrom, now + MS_PER_PERIOD)) {
    const ok = await step(`national ${apiTime(a)}–${apiTime(b)}`, async () => {
      const rows = parseNational(await client.get(`/intensity/${apiTime(a)}/${apiTime(b)}`));
      add(await storeNational(db, rows));
      realNational ||= rows.length > 0;
    });
    if (!ok) break;
  }

  // 3. Regional: the 48 h forecast for the sites' regions, and each region's missing past.
  const regions = await regionsInUse(db);
  const wanted = new Set(regions.map((r) => r.regionId));
  if (wanted.size) {
    const stored = await regionalSpans(db, now);
    await step("regional forecast", async () => {
      const rows = parseRegional(await client.get(`/regional/intensity/${apiTime(now)}/fw48h`));
      add(
        await storeRegional(
          db,
          rows.filter((r) => wanted.has(r.regionId)),
        ),
      );
    });
    for (const { regionId, firstReading } of regions) {
      if (!GRID_REGIONS[regionId]) continue;
      // Its meters' readings, at most a year back and at least the first run's 30 days.
      const readingsFrom = firstReading ? settlementDayStartUtc(firstReading) : now;
      const wantFrom = Math.max(
        Math.min(readingsFrom, now - FIRST_RUN_DAYS * MS_PER_DAY),
        now - REGION_BACKFILL_MAX_DAYS * MS_PER_DAY,
      );
      const have = stored.get(regionId);
      const missing: [number, number][] = [];
      if (!have) missing.push(...windowsOf(wantFrom, now + MS_PER_PERIOD).reverse());
      else {
        if (have.lastPast !== null && have.lastPast < now)
          missing.push(...windowsOf(have.lastPast + MS_PER_PERIOD, now + MS_PER_PERIOD));
        // Before the first stored half-hour, newest first, so what is stored stays one span.
        if (have.first > wantFrom) missing.push(...windowsOf(wantFrom, have.first).reverse());
      }
      for (const [a, b] of missing) {
        const ok = await step(`region ${regionId} ${apiTime(a)}–${apiTime(b)}`, async () => {
          const body = await client.get(
            `/regional/intensity/${apiTime(a)}/${apiTime(b)}/regionid/${regionId}`,
          );
          add(
            await storeRegional(
              db,
              parseRegional(body, regionId).filter((r) => r.regionId === regionId),
            ),
          );
        });
        if (!ok) break;
      }
    }
  }

  // 4. The generation mix of the past 24 hours.
  await step("generation", async () => {
    add(await storeGeneration(db, parseGeneration(await client.get(`/generation/${apiTime(now)}/pt24h`))));
  });

  if (client.requests() >= MAX_REQUESTS_PER_POLL)
    console.log("carbon poll: request budget used; the backfill goes on next time");
  // The first real national figures replace the demo data (the 30-day backfill above covers its span).
  if (realNational) await deleteDemoRows(db);
  const consecutiveFailures = await recordPoll(db, at, {
    failed: failures.length > 0,
    error: failures.length ? failures.join("; ").slice(0, 1000) : null,
    newData: total.stored + total.updated > 0,
  });
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    stored: total.stored,
    updated: total.updated,
    from: iso(total.first),
    to: iso(total.last === null ? null : total.last + MS_PER_PERIOD),
    requests: client.requests(),
    failures,
    consecutiveFailures,
  };
}
