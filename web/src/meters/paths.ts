// Where a meter's data lives in the API, and what a change to a meter makes stale in the cache.
import { meterReadings } from "../api";
import { customQuery } from "../query";

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
