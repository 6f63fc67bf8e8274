// Where a meter's data lives in the API, and what a change to a meter makes stale in the cache.
import { meterReadings } from "../api";
import { customQuery } from "../query";
import type { DateRange } from "../ui/date-range";
import { isValidIsoDate, periodsInSettlementDay } from "../../../src/time/settlement";

/** What a card of the meter page's chosen range is given: the meter, the range, and where a day's click goes. */
export type RangeCardProps = { mpan: string; range: DateRange; onDay: (date: string) => void };

/** A meter's readings at one granularity, cached under the readings path with its parameters. */
export function readingsQuery<G extends "day" | "hh">(
  mpan: string,
  from: string,
  to: string,
  granularity: G,
) {
  return customQuery(
    ["/api/meters/{mpan}/readings", { path: { mpan }, query: { from, to, granularity } }],
    (signal) => meterReadings(mpan, from, to, granularity, signal),
  );
}

/** Meter lists and pages, and sites' meter counts. */
export const METER_DATA = ["/api/meters", "/api/sites"];

/**
 * What a link into a meter's chart asks for (the data-quality page writes `?from=&to=&day=&periods=3,4`,
 * see issueChartHref): a range, a day to open and that day's half-hours to highlight. Each part that is
 * not a real settlement day, a range backwards, or a period the day does not have is ignored on its own.
 */
export function chartLinkOf(search: URLSearchParams, today: string) {
  const date = (key: string) => {
    const v = search.get(key);
    return v && isValidIsoDate(v) ? v : null;
  };
  const from = date("from");
  // A link for an issue that runs to today ends a day later: the range stops at today, as the picker does.
  const to = date("to") && [date("to")!, today].sort()[0];
  const day = date("day") && date("day")! <= today ? date("day") : null;
  const n = day ? periodsInSettlementDay(day) : 0;
  // Whole numbers only ("3.5" and "" are not periods); each period once, in order.
  const periods = [...new Set((search.get("periods") ?? "").split(",").filter((p) => /^\d+$/.test(p)))]
    .map(Number)
    .filter((p) => p >= 1 && p <= n)
    .sort((a, b) => a - b);
  return { range: from && to && from <= to ? { from, to } : null, day, periods };
}
