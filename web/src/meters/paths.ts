// Where a meter's data lives in the API, and what a change to a meter makes stale in the cache.
import { query } from "../api";

export const meterPath = (mpan: string) => `/api/meters/${encodeURIComponent(mpan)}`;

export function readingsPath(mpan: string, from: string, to: string, granularity: "day" | "hh") {
  return `${meterPath(mpan)}/readings${query({ from, to, granularity })}`;
}

/** Meter lists and pages, and sites' meter counts. */
export const METER_DATA = ["/api/meters", "/api/sites"];
