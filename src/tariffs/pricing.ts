// What pricing a meter needs from D1, gathered in a few queries: its readings over the window, its dated
// assignments with their tariffs, and the price series of the dynamic ones. Costs, analyses and the cost
// report all start here.
import type { Db } from "../db/client";
import type { Fuel } from "../enums";
import { addDays } from "../time/settlement";
import { prepareReadings, windowLayout, type PricedTariff, type TariffSpan } from "./bill";
import type { Tariff } from "./model";
import { assignments, listTariffs, readingDays, readPrices, type PricedMeter } from "./store";
import type { MeterInput } from "./switching";

export type Window = { from: string; to: string };

/** Tariffs of a fuel by id, each with its prices over the window when dynamic. */
export async function pricedTariffs(db: Db, fuel: Fuel | undefined, window: Window) {
  const all = await listTariffs(db, { fuel });
  const dynamic = all.filter((t) => t.type === "dynamic").map((t) => t.id);
  const prices = await readPrices(db, dynamic, window.from, window.to);
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
