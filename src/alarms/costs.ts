// What the watched meters cost per day, for costPence alarms: the same pricing as GET /api/meters/{mpan}/costs
// (src/tariffs: meterInputs + priceReadings), its meters' days added up for a site. A day whose cost is not
// whole (no tariff assigned, or kWh without a price) is null, so a span holding it is never judged.
import type { Span } from "../analytics/calendar";
import { database } from "../db/client";
import { addPricedDays, emptyPricedDays, priceReadings } from "../tariffs/bill";
import { meterInputs, pricedTariffs } from "../tariffs/pricing";
import { watchedMeters } from "./store";

/** Per date of the window, the total cost in pence incl. VAT (unrounded), or null when it cannot be priced. */
export async function dayCosts(
  d1: D1Database,
  alarm: { meterId: number | null; siteId: number | null },
  window: Span,
): Promise<Map<string, number | null>> {
  const db = database({ DB: d1 });
  const meters = await watchedMeters(d1, alarm);
  const out = new Map<string, number | null>();
  if (meters.length === 0) return out;
  const tariffs = await pricedTariffs(db, meters[0].fuel, window);
  const inputs = await meterInputs(db, meters, window, tariffs);
  const dates = inputs[0].prepared.dates;
  const total = emptyPricedDays(dates.length);
  for (const input of inputs)
    addPricedDays(total, priceReadings(input.prepared, input.spans, input.meter.fuel));
  dates.forEach((date, d) =>
    out.set(
      date,
      total.dayUnpriced[d] ? null : total.units[d] + total.standing[d] + total.ccl[d] + total.vat[d],
    ),
  );
  return out;
}
