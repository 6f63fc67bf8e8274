// Site roll-ups (site_days, site_months: migrations/0010): per site and fuel, the sums of its meters' days,
// so a portfolio span sums a few rows per site rather than per meter. Writes of meter-days mark their
// (site, month) stale in the same transaction; a stale site-month is recomputed whole from meter_days
// before a read uses it (and after imports, from the queue), so roll-ups never lag the meter figures.
// Recomputing from meter_days, never adding deltas, keeps them equal to a rebuild's bit for bit.
import { jsonChunks } from "../readings/store";

/** Site-months recomputed per transaction: a site-month reads its meters' days of one month. */
const PAIRS_PER_BATCH = 60;

/** Marks the sites' months stale for [meterId, "YYYY-MM"] pairs (the meters' current sites). */
export function markStaleStatements(db: D1Database, pairs: [number, string][]): D1PreparedStatement[] {
  return jsonChunks(pairs).map((json) =>
    db
      .prepare(
        `INSERT INTO site_months_stale (site_id, month)
         SELECT DISTINCT m.site_id, j.value->>1 FROM json_each(?1) j JOIN meters m ON m.id = j.value->>0
         WHERE true ON CONFLICT DO NOTHING`,
      )
      .bind(json),
  );
}

/** Marks every month a meter has figures for stale at its current site (before it moves or goes). */
export const markMeterStale = (db: D1Database, meterId: number) =>
  db
    .prepare(
      `INSERT INTO site_months_stale (site_id, month)
       SELECT m.site_id, mm.month FROM meter_months mm JOIN meters m ON m.id = mm.meter_id
       WHERE mm.meter_id = ?1 ON CONFLICT DO NOTHING`,
    )
    .bind(meterId)
    .run();

const REFRESH = {
  clearDays: `DELETE FROM site_days WHERE (site_id, fuel, date) IN (
  SELECT sd.site_id, sd.fuel, sd.date FROM json_each(?1) p JOIN site_days sd
    ON sd.site_id = p.value->>0 AND sd.date BETWEEN (p.value->>1) || '-01' AND (p.value->>1) || '-31')`,
  days: `INSERT INTO site_days (site_id, fuel, date, kwh, periods, baseload_kw)
SELECT m.site_id, m.fuel, d.date, total(d.kwh), sum(coalesce(d.periods, d.expected)), sum(d.baseload_kw)
FROM json_each(?1) p JOIN meters m ON m.site_id = p.value->>0
JOIN meter_days d ON d.meter_id = m.id AND d.date BETWEEN (p.value->>1) || '-01' AND (p.value->>1) || '-31'
WHERE true GROUP BY m.site_id, m.fuel, d.date`,
  clearMonths: `DELETE FROM site_months WHERE (site_id, month) IN (SELECT p.value->>0, p.value->>1 FROM json_each(?1) p)`,
  months: `INSERT INTO site_months (site_id, fuel, month, kwh, periods)
SELECT sd.site_id, sd.fuel, p.value->>1, total(sd.kwh), sum(sd.periods)
FROM json_each(?1) p JOIN site_days sd
  ON sd.site_id = p.value->>0 AND sd.date BETWEEN (p.value->>1) || '-01' AND (p.value->>1) || '-31'
WHERE true GROUP BY sd.site_id, sd.fuel, p.value->>1`,
  done: `DELETE FROM site_months_stale WHERE (site_id, month) IN (SELECT p.value->>0, p.value->>1 FROM json_each(?1) p)`,
};

/**
 * Recomputes every stale site-month; each batch is one transaction, so a mark written meanwhile either
 * precedes it (its days are read) or stays for the next run. Returns the site-months recomputed.
 */
export async function refreshRollups(db: D1Database): Promise<number> {
  let refreshed = 0;
  for (;;) {
    const pairs = await db
      .prepare("SELECT site_id, month FROM site_months_stale LIMIT ?1")
      .bind(PAIRS_PER_BATCH)
      .raw<[number, string]>();
    if (pairs.length === 0) return refreshed;
    const json = JSON.stringify(pairs);
    await db.batch(Object.values(REFRESH).map((q) => db.prepare(q).bind(json)));
    refreshed += pairs.length;
  }
}
