// D1 access for grid carbon intensity: the half-hours (national, regional, generation mix), the spans
// already stored (demo rows never count), sites' grid regions, the feed's state and the factors table.
// Writes take one JSON parameter per statement (D1 allows 100 bound parameters).
import type { Fuel } from "../enums";
import type { Factors } from "./emissions";
import type { GenerationHalfHour, NationalHalfHour, RegionalHalfHour } from "./domain";

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

export type WriteCount = { stored: number; updated: number; first: number | null; last: number | null };

const countOf = (changes: { start: number; isNew: boolean }[]): WriteCount => ({
  stored: changes.filter((c) => c.isNew).length,
  updated: changes.filter((c) => !c.isNew).length,
  first: changes.length ? Math.min(...changes.map((c) => c.start)) : null,
  last: changes.length ? Math.max(...changes.map((c) => c.start)) : null,
});

/** `[[key…], value]` rows for json_each: what is stored now for these keys. */
async function existing<T>(db: D1Database, query: string, keys: unknown[]): Promise<Map<string, T>> {
  const rows = await db.prepare(query).bind(JSON.stringify(keys)).all<{ k: string } & T>();
  return new Map(rows.results.map((r) => [r.k, r]));
}

/** What one kind of half-hour needs to be stored by storeChanged. */
type ChangeSpec<R, Old> = {
  /** Reads what is stored for the keys in ?1 (a JSON array of `keyParam`s), each row's key as `k`. */
  select: string;
  keyParam: (r: R) => unknown;
  key: (r: R) => string;
  /** Whether a row says something the stored one does not. */
  differs: (r: R, old: Old) => boolean;
  /** Upserts the rows of ?1 (a JSON array of `values`), with ?2 = demo. */
  insert: string;
  values: (r: R) => unknown[];
};

/**
 * Writes the rows that are new, change a stored one, or replace a demo row with a real one, in one
 * statement; the count says how many were new and how many changed. Shared by the three kinds of half-hour.
 */
async function storeChanged<R extends { start: number }, Old extends { demo: number }>(
  db: D1Database,
  rows: R[],
  demo: boolean,
  spec: ChangeSpec<R, Old>,
): Promise<WriteCount> {
  if (rows.length === 0) return countOf([]);
  const before = await existing<Old>(db, spec.select, rows.map(spec.keyParam));
  const changed = rows.filter((r) => {
    const old = before.get(spec.key(r));
    return !old || (old.demo === 1 && !demo) || spec.differs(r, old);
  });
  if (changed.length === 0) return countOf([]);
  await db
    .prepare(spec.insert)
    .bind(JSON.stringify(changed.map(spec.values)), demo ? 1 : 0)
    .run();
  return countOf(changed.map((r) => ({ start: r.start, isNew: !before.has(spec.key(r)) })));
}

const byStart = (r: { start: number }) => String(r.start);

/**
 * Stores national half-hours. A later answer replaces the forecast and fills in the actual; an actual
 * already known is never blanked by an answer without one. A real row replaces a demo one.
 */
export const storeNational = (db: D1Database, rows: NationalHalfHour[], demo = false) =>
  storeChanged<
    NationalHalfHour,
    { forecast: number | null; actual: number | null; idx: string | null; demo: number }
  >(db, rows, demo, {
    select:
      "SELECT CAST(n.start AS TEXT) AS k, n.forecast, n.actual, n.idx, n.demo FROM json_each(?1) j JOIN carbon_national n ON n.start = j.value",
    keyParam: (r) => r.start,
    key: byStart,
    differs: (r, old) =>
      (r.forecast !== null && r.forecast !== old.forecast) ||
      (r.actual !== null && r.actual !== old.actual) ||
      (r.index !== null && r.index !== old.idx),
    insert: `INSERT INTO carbon_national (start, forecast, actual, idx, demo, updated_at)
       SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, ?2, ${NOW} FROM json_each(?1) j WHERE true
       ON CONFLICT (start) DO UPDATE SET
         forecast = coalesce(excluded.forecast, forecast), actual = coalesce(excluded.actual, actual),
         idx = coalesce(excluded.idx, idx), demo = excluded.demo, updated_at = excluded.updated_at`,
    values: (r) => [r.start, r.forecast, r.actual, r.index],
  });

const mixText = (mix: RegionalHalfHour["mix"]) => (mix ? JSON.stringify(mix) : null);

export const storeRegional = (db: D1Database, rows: RegionalHalfHour[], demo = false) =>
  storeChanged<RegionalHalfHour, { forecast: number; idx: string | null; mix: string | null; demo: number }>(
    db,
    rows,
    demo,
    {
      select: `SELECT r.region_id || ':' || r.start AS k, r.forecast, r.idx, r.mix, r.demo FROM json_each(?1) j
     JOIN carbon_regional r ON r.region_id = j.value->>0 AND r.start = j.value->>1`,
      keyParam: (r) => [r.regionId, r.start],
      key: (r) => `${r.regionId}:${r.start}`,
      differs: (r, old) =>
        r.forecast !== old.forecast || (r.index ?? null) !== old.idx || mixText(r.mix) !== old.mix,
      insert: `INSERT INTO carbon_regional (region_id, start, forecast, idx, mix, demo, updated_at)
       SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, ?2, ${NOW} FROM json_each(?1) j WHERE true
       ON CONFLICT (region_id, start) DO UPDATE SET forecast = excluded.forecast, idx = excluded.idx,
         mix = coalesce(excluded.mix, mix), demo = excluded.demo, updated_at = excluded.updated_at`,
      values: (r) => [r.regionId, r.start, r.forecast, r.index, mixText(r.mix)],
    },
  );

export const storeGeneration = (db: D1Database, rows: GenerationHalfHour[], demo = false) =>
  storeChanged<GenerationHalfHour, { mix: string; demo: number }>(db, rows, demo, {
    select:
      "SELECT CAST(g.start AS TEXT) AS k, g.mix, g.demo FROM json_each(?1) j JOIN carbon_generation g ON g.start = j.value",
    keyParam: (r) => r.start,
    key: byStart,
    differs: (r, old) => old.mix !== JSON.stringify(r.mix),
    insert: `INSERT INTO carbon_generation (start, mix, demo) SELECT j.value->>0, j.value->>1, ?2 FROM json_each(?1) j WHERE true
       ON CONFLICT (start) DO UPDATE SET mix = excluded.mix, demo = excluded.demo`,
    values: (r) => [r.start, JSON.stringify(r.mix)],
  });

/** Seeded demo rows go once real figures are stored: they must never mix with them. */
export async function deleteDemoRows(db: D1Database): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM carbon_national WHERE demo = 1"),
    db.prepare("DELETE FROM carbon_regional WHERE demo = 1"),
    db.prepare("DELETE FROM carbon_generation WHERE demo = 1"),
  ]);
}

// ---------------------------------------------------------------------------------------------
// what is stored (real rows only), for the backfill rules

export type NationalSpan = { rows: number; lastActual: number | null; last: number | null };

export async function nationalSpan(db: D1Database): Promise<NationalSpan> {
  const row = await db
    .prepare(
      `SELECT count(*) AS rows, max(CASE WHEN actual IS NOT NULL THEN start END) AS lastActual, max(start) AS last
       FROM carbon_national WHERE demo = 0`,
    )
    .first<NationalSpan>();
  return row ?? { rows: 0, lastActual: null, last: null };
}

/** Per region: the first stored half-hour, and the last one at or before `now`. */
export async function regionalSpans(db: D1Database, now: number) {
  const rows = await db
    .prepare(
      `SELECT region_id AS regionId, min(start) AS first, max(CASE WHEN start <= ?1 THEN start END) AS lastPast
       FROM carbon_regional WHERE demo = 0 GROUP BY region_id`,
    )
    .bind(now)
    .all<{ regionId: number; first: number; lastPast: number | null }>();
  return new Map(rows.results.map((r) => [r.regionId, r]));
}

/** The grid regions the sites are in, each with the first day of its meters' readings (null: none). */
export async function regionsInUse(db: D1Database) {
  const rows = await db
    .prepare(
      `SELECT g.region_id AS regionId, (SELECT min(r.date) FROM readings r JOIN meters m ON m.id = r.meter_id
         JOIN site_grid_regions g2 ON g2.site_id = m.site_id WHERE g2.region_id = g.region_id) AS firstReading
       FROM site_grid_regions g WHERE g.region_id IS NOT NULL GROUP BY g.region_id ORDER BY g.region_id`,
    )
    .all<{ regionId: number; firstReading: string | null }>();
  return rows.results;
}

// ---------------------------------------------------------------------------------------------
// sites' grid regions

/** Sites with a postcode and how their region was last settled (null: never looked up). */
export async function sitesWithPostcodes(db: D1Database) {
  const rows = await db
    .prepare(
      `SELECT s.id, s.postcode, g.source, g.outward FROM sites s LEFT JOIN site_grid_regions g ON g.site_id = s.id
       WHERE s.postcode IS NOT NULL AND s.postcode != ''`,
    )
    .all<{ id: number; postcode: string; source: "postcode" | "manual" | null; outward: string | null }>();
  return rows.results;
}

export async function setSiteRegion(
  db: D1Database,
  siteId: number,
  regionId: number | null,
  source: "postcode" | "manual",
  outward: string | null,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO site_grid_regions (site_id, region_id, source, outward, updated_at) VALUES (?1, ?2, ?3, ?4, ${NOW})
       ON CONFLICT (site_id) DO UPDATE SET region_id = excluded.region_id, source = excluded.source,
         outward = excluded.outward, updated_at = excluded.updated_at`,
    )
    .bind(siteId, regionId, source, outward)
    .run();
}

export async function clearSiteRegion(db: D1Database, siteId: number): Promise<void> {
  await db.prepare("DELETE FROM site_grid_regions WHERE site_id = ?1").bind(siteId).run();
}

export async function siteRegion(db: D1Database, siteId: number) {
  return db
    .prepare(
      "SELECT region_id AS regionId, source, outward, updated_at AS updatedAt FROM site_grid_regions WHERE site_id = ?1",
    )
    .bind(siteId)
    .first<{
      regionId: number | null;
      source: "postcode" | "manual";
      outward: string | null;
      updatedAt: string;
    }>();
}

// ---------------------------------------------------------------------------------------------
// the feed's state

export type FeedState = {
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastNewDataAt: string | null;
  consecutiveFailures: number;
  lastError: string | null;
};

export async function feedState(db: D1Database): Promise<FeedState | null> {
  return db
    .prepare(
      `SELECT first_attempt_at AS firstAttemptAt, last_attempt_at AS lastAttemptAt, last_success_at AS lastSuccessAt, last_new_data_at AS lastNewDataAt,
         consecutive_failures AS consecutiveFailures, last_error AS lastError FROM carbon_feed WHERE id = 1`,
    )
    .first<FeedState>();
}

/** Records a poll: failures in a row count up until one succeeds. Answers the count after this poll. */
export async function recordPoll(
  db: D1Database,
  at: Date,
  outcome: { failed: boolean; error: string | null; newData: boolean },
): Promise<number> {
  const iso = at.toISOString();
  const row = await db
    .prepare(
      `INSERT INTO carbon_feed (id, first_attempt_at, last_attempt_at, last_success_at, last_new_data_at, consecutive_failures, last_error)
       VALUES (1, ?1, ?1, CASE WHEN ?2 THEN NULL ELSE ?1 END, CASE WHEN ?3 THEN ?1 END, ?2, ?4)
       ON CONFLICT (id) DO UPDATE SET first_attempt_at = coalesce(first_attempt_at, ?1), last_attempt_at = ?1,
         last_success_at = CASE WHEN ?2 THEN last_success_at ELSE ?1 END,
         last_new_data_at = CASE WHEN ?3 THEN ?1 ELSE last_new_data_at END,
         consecutive_failures = CASE WHEN ?2 THEN consecutive_failures + 1 ELSE 0 END,
         last_error = ?4
       RETURNING consecutive_failures AS n`,
    )
    .bind(iso, outcome.failed ? 1 : 0, outcome.newData ? 1 : 0, outcome.error)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Claims the on-demand refresh for this minute, for the whole deployment (one row in D1, decided by
 * one UPDATE): null when claimed, else the seconds until the next one is allowed.
 */
export async function claimRefresh(db: D1Database, now: number, everyMs: number): Promise<number | null> {
  await db.prepare("INSERT INTO carbon_feed (id) VALUES (1) ON CONFLICT (id) DO NOTHING").run();
  const claimed = await db
    .prepare(
      `UPDATE carbon_feed SET last_refresh_at = ?1 WHERE id = 1 AND (last_refresh_at IS NULL OR last_refresh_at <= ?2)
       RETURNING last_refresh_at`,
    )
    .bind(now, now - everyMs)
    .first();
  if (claimed) return null;
  const row = await db
    .prepare("SELECT last_refresh_at AS at FROM carbon_feed WHERE id = 1")
    .first<{ at: number }>();
  return Math.max(1, Math.ceil(((row?.at ?? now) + everyMs - now) / 1000));
}

// ---------------------------------------------------------------------------------------------
// reads behind the API

export type StoredNational = {
  start: number;
  forecast: number | null;
  actual: number | null;
  idx: string | null;
};

export async function nationalBetween(db: D1Database, from: number, to: number): Promise<StoredNational[]> {
  const rows = await db
    .prepare(
      "SELECT start, forecast, actual, idx FROM carbon_national WHERE start >= ?1 AND start < ?2 ORDER BY start",
    )
    .bind(from, to)
    .all<StoredNational>();
  return rows.results;
}

/** The latest national half-hour that starts at or before `at`, if any. */
export async function nationalAtOrBefore(db: D1Database, at: number): Promise<StoredNational | null> {
  return db
    .prepare(
      "SELECT start, forecast, actual, idx FROM carbon_national WHERE start <= ?1 ORDER BY start DESC LIMIT 1",
    )
    .bind(at)
    .first<StoredNational>();
}

export async function lastNationalUpdate(db: D1Database): Promise<string | null> {
  const row = await db
    .prepare("SELECT max(updated_at) AS at FROM carbon_national")
    .first<{ at: string | null }>();
  return row?.at ?? null;
}

export type StoredRegional = { start: number; forecast: number; idx: string | null; mix: string | null };

export async function regionalBetween(db: D1Database, regionId: number, from: number, to: number) {
  const rows = await db
    .prepare(
      "SELECT start, forecast, idx, mix FROM carbon_regional WHERE region_id = ?1 AND start >= ?2 AND start < ?3 ORDER BY start",
    )
    .bind(regionId, from, to)
    .all<StoredRegional>();
  return rows.results;
}

export async function generationBetween(db: D1Database, from: number, to: number) {
  const rows = await db
    .prepare("SELECT start, mix FROM carbon_generation WHERE start >= ?1 AND start < ?2 ORDER BY start")
    .bind(from, to)
    .all<{ start: number; mix: string }>();
  return rows.results;
}

export async function emissionFactors(db: D1Database): Promise<Factors> {
  const rows = await db
    .prepare("SELECT year, fuel, kg_per_kwh AS kg FROM emission_factors")
    .all<{ year: number; fuel: Fuel; kg: number }>();
  const factors: Factors = { electricity: new Map(), gas: new Map() };
  for (const r of rows.results) factors[r.fuel]?.set(r.year, r.kg);
  return factors;
}
