// What pricing a meter needs from D1, gathered in a few queries: its readings over the window, its dated
// assignments with their tariffs, and the price series of the dynamic ones. Costs, analyses and the cost
// report all start here.
import type { Db } from "../db/client";
import type { Fuel } from "../enums";
import { addDays } from "../time/settlement";
import { prepareReadings, windowLayout, type DayPrices, type PricedTariff, type TariffSpan } from "./bill";
import type { Tariff } from "./model";
import { assignments, listTariffs, priceVersions, readingDays, readPrices, type PricedMeter } from "./store";
import type { MeterInput } from "./switching";

export type Window = { from: string; to: string };

/**
 * Parsed price series kept by the isolate, keyed by tariff and stamped with the tariff's prices version:
 * an upload bumps the version (in D1, seen by every isolate), so a stale series is never used. A year of
 * several series is most of what an analysis reads from D1; the entries are read-only once made.
 */
const priceCache = new Map<number, { version: number; from: string; to: string; days: DayPrices }>();
const PRICE_CACHE_TARIFFS = 64;

async function pricesFor(db: Db, ids: number[], window: Window): Promise<Map<number, DayPrices>> {
  const versions = await priceVersions(db, ids);
  const out = new Map<number, DayPrices>();
  const stale: number[] = [];
  for (const id of ids) {
    const hit = priceCache.get(id);
    if (hit && hit.version === versions.get(id) && hit.from <= window.from && hit.to >= window.to)
      out.set(id, hit.days);
    else stale.push(id);
  }
  const read = await readPrices(db, stale, window.from, window.to);
  for (const id of stale) {
    const days = read.get(id) ?? new Map();
    out.set(id, days);
    priceCache.delete(id);
    if (priceCache.size >= PRICE_CACHE_TARIFFS) priceCache.delete(priceCache.keys().next().value!);
    priceCache.set(id, { version: versions.get(id) ?? 0, ...window, days });
  }
  return out;
}

/** Tariffs of a fuel by id, each with its prices over the window when dynamic. */
export async function pricedTariffs(db: Db, fuel: Fuel | undefined, window: Window) {
  const all = await listTariffs(db, { fuel });
  const dynamic = all.filter((t) => t.type === "dynamic").map((t) => t.id);
  const prices = await pricesFor(db, dynamic, window);
  return new Map<number, PricedTariff>(
    all.map((t) => [
      t.id,
      { tariff: t, prices: t.type === "dynamic" ? (prices.get(t.id) ?? new Map()) : undefined },
    ]),
  );
}

/** Each meter's readings laid out over the window and its current tariffs as dated spans. */
export async function meterInputs(
  db: Db,
  meters: PricedMeter[],
  window: Window,
  tariffs: Map<number, PricedTariff>,
): Promise<(MeterInput & { meter: PricedMeter; spans: (TariffSpan & { tariff: Tariff })[] })[]> {
  const ids = meters.map((m) => m.id);
  const [days, assigned] = await Promise.all([
    readingDays(db, ids, window.from, window.to),
    assignments(db, ids, window),
  ]);
  const layout = windowLayout(window.from, window.to);
  return meters.map((meter) => {
    const spans = assigned
      .filter((a) => a.meterId === meter.id && tariffs.has(a.tariffId))
      .map((a) => ({ ...tariffs.get(a.tariffId)!, from: a.from, to: a.to ?? window.to }));
    return {
      meter,
      prepared: prepareReadings(window.from, window.to, days.get(meter.id) ?? [], layout),
      current: spans,
      spans,
    };
  });
}

/** The default analysis window: the last 90 days of data, ending on the last day with readings. */
export const last90Days = (lastDate: string): Window => ({ from: addDays(lastDate, -89), to: lastDate });
