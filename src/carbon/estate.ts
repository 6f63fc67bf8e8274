// Emissions of a meter, a site or the portfolio over a range: the meters in the caller's scope, their
// stored half-hours, the intensities of the span (regional for each site's grid region, national) and
// the factors table, handed to the pure emissions.ts. This module only reads and groups.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Fuel } from "../enums";
import { addDays, settlementDayStartUtc } from "../time/settlement";
import {
  meterEmissions,
  rounded,
  sumEmissions,
  type EmissionGranularity,
  type Intensities,
  type MeterDay,
} from "./emissions";
import { emissionFactors, nationalBetween, regionalBetween } from "./store";

type EmissionMeter = {
  id: number;
  mpan: string;
  fuel: Fuel;
  siteId: number;
  siteName: string;
  regionId: number | null;
  days: MeterDay[];
};

/** Meters matching `where` (a visibility condition included), with their site's grid region and days. */
async function metersWithDays(db: Db, where: SQL, from: string, to: string): Promise<EmissionMeter[]> {
  const rows = await db.values<[number, string, Fuel, number, string, number | null, string]>(sql`
    SELECT meters.id, meters.mpan, meters.fuel, sites.id, sites.name, g.region_id, (
      SELECT json_group_array(json_array(r.date, r.total_kwh, json(r.periods)) ORDER BY r.date)
      FROM readings r WHERE r.meter_id = meters.id AND r.date BETWEEN ${from} AND ${to})
    FROM meters JOIN sites ON sites.id = meters.site_id
    LEFT JOIN site_grid_regions g ON g.site_id = sites.id
    WHERE ${where} ORDER BY sites.name, meters.mpan`);
  return rows.map(([id, mpan, fuel, siteId, siteName, regionId, days]) => ({
    id,
    mpan,
    fuel,
    siteId,
    siteName,
    regionId,
    days: (JSON.parse(days) as [string, number, (number | null)[] | null][]).map(
      ([date, totalKwh, periods]) => ({
        date,
        totalKwh,
        periods: periods ?? [],
      }),
    ),
  }));
}

/** The intensities of the settlement days [from, to], national and for each region asked for. */
async function intensitiesOf(db: D1Database, from: string, to: string, regionIds: (number | null)[]) {
  const start = settlementDayStartUtc(from);
  const end = settlementDayStartUtc(addDays(to, 1));
  const national = new Map(
    (await nationalBetween(db, start, end)).map((r) => [r.start, { actual: r.actual, forecast: r.forecast }]),
  );
  const regional = new Map<number | null, Map<number, number>>([[null, new Map()]]);
  for (const id of new Set(regionIds)) {
    if (id === null || regional.has(id)) continue;
    regional.set(id, new Map((await regionalBetween(db, id, start, end)).map((r) => [r.start, r.forecast])));
  }
  return (regionId: number | null): Intensities => ({
    regional: regional.get(regionId) ?? new Map(),
    national,
  });
}

export type Span = { from: string; to: string };

/** Buckets of days clipped to the range, as consumption analytics clips its first and last (hh: as they are). */
function clipped<T extends { data: { from: string; to: string }[] }>(
  r: T,
  span: Span,
  granularity: EmissionGranularity,
): T {
  if (granularity === "hh") return r;
  const data = r.data.map((d) => ({
    ...d,
    from: d.from < span.from ? span.from : d.from,
    to: d.to > span.to ? span.to : d.to,
  }));
  return { ...r, data };
}

async function emissionsOf(db: Db, d1: D1Database, where: SQL, span: Span, granularity: EmissionGranularity) {
  const meters = await metersWithDays(db, where, span.from, span.to);
  const [known, factors] = await Promise.all([
    intensitiesOf(
      d1,
      span.from,
      span.to,
      meters.map((m) => m.regionId),
    ),
    emissionFactors(d1),
  ]);
  return meters.map((m) => ({
    meter: m,
    ...clipped(meterEmissions(m.days, m.fuel, known(m.regionId), factors, granularity), span, granularity),
  }));
}

/** One meter's emissions; null when the caller cannot see it. */
export async function meterEmissionsOf(
  db: Db,
  d1: D1Database,
  visible: SQL,
  mpan: string,
  span: Span,
  granularity: EmissionGranularity,
) {
  const [found] = await emissionsOf(db, d1, sql`${visible} AND meters.mpan = ${mpan}`, span, granularity);
  if (!found) return null;
  const { meter } = found;
  return {
    mpan: meter.mpan,
    fuel: meter.fuel,
    regionId: meter.regionId,
    ...span,
    granularity,
    ...rounded(found),
  };
}

type FuelEmissions = ReturnType<typeof rounded>;

/** A site's or the portfolio's emissions per fuel, and each site's totals per fuel. */
export async function estateEmissions(
  db: Db,
  d1: D1Database,
  where: SQL,
  span: Span,
  granularity: EmissionGranularity,
) {
  const perMeter = await emissionsOf(db, d1, where, span, granularity);
  const fuels: Partial<Record<Fuel, FuelEmissions>> = {};
  for (const fuel of ["electricity", "gas"] as const) {
    const parts = perMeter.filter((m) => m.meter.fuel === fuel);
    if (parts.length) fuels[fuel] = rounded(sumEmissions(parts));
  }
  const sites = new Map<
    number,
    {
      siteId: number;
      name: string;
      regionId: number | null;
      fuels: Partial<Record<Fuel, FuelEmissions["total"]>>;
    }
  >();
  for (const fuel of ["electricity", "gas"] as const) {
    const bySite = new Map<number, typeof perMeter>();
    for (const m of perMeter) {
      if (m.meter.fuel !== fuel) continue;
      bySite.set(m.meter.siteId, [...(bySite.get(m.meter.siteId) ?? []), m]);
    }
    for (const [siteId, parts] of bySite) {
      const first = parts[0].meter;
      let site = sites.get(siteId);
      if (!site)
        sites.set(siteId, (site = { siteId, name: first.siteName, regionId: first.regionId, fuels: {} }));
      site.fuels[fuel] = rounded({ data: [], total: sumEmissions(parts).total }).total;
    }
  }
  return { ...span, granularity, fuels, sites: [...sites.values()] };
}
