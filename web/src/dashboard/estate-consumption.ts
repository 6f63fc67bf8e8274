// The estate's daily consumption over the last 30 days, electricity and gas apart (kWh of different
// fuels are not added up), from every meter the user can see. Until estate analytics exist it asks
// for each meter's daily readings; above METER_LIMIT meters that is too many requests, and the
// dashboard says so rather than showing a total of only some meters.
import { useQueries } from "@tanstack/preact-query";
import { addDays } from "../../../src/time/settlement";
import type { ApiError, Fuel } from "../api";
import { readingsQuery } from "../meters/paths";
import { useApi } from "../query";
import { today } from "../ui/format";

export const METER_LIMIT = 200;
const DAYS = 30;

export type FuelUse = {
  fuel: Fuel;
  /** Meters of this fuel in scope, and how many of them have readings in the period. */
  meters: number;
  withReadings: number;
  /** kWh per day, aligned with `days`. */
  kwh: number[];
  total: number;
};

export type EstateConsumption =
  | { state: "loading" }
  | { state: "error"; error: ApiError; retry: () => void }
  | { state: "too-many"; meters: number }
  | { state: "ready"; meters: number; days: string[]; fuels: FuelUse[] };

export function useEstateConsumption(): EstateConsumption {
  const meters = useApi("/api/meters", { params: { query: { pageSize: METER_LIMIT } } });
  const list = meters.data?.data ?? [];
  const inScope = meters.data ? (meters.data.total ?? list.length) : 0;
  const to = today();
  const from = addDays(to, -(DAYS - 1));
  const countable = meters.data !== undefined && inScope <= METER_LIMIT;
  const readings = useQueries({
    queries: (countable ? list : []).map((m) => readingsQuery(m.mpan, from, to, "day")),
  });

  if (meters.error) return { state: "error", error: meters.error, retry: () => void meters.refetch() };
  if (!meters.data) return { state: "loading" };
  if (!countable) return { state: "too-many", meters: inScope };
  const failed = readings.find((r) => r.error);
  if (failed?.error)
    return {
      state: "error",
      error: failed.error as ApiError,
      retry: () => readings.forEach((r) => r.error && void r.refetch()),
    };
  if (readings.some((r) => r.data === undefined)) return { state: "loading" };

  const days = Array.from({ length: DAYS }, (_, i) => addDays(from, i));
  const index = new Map(days.map((d, i) => [d, i]));
  const fuels = new Map<Fuel, FuelUse>();
  list.forEach((m, i) => {
    const use = fuels.get(m.fuel) ?? {
      fuel: m.fuel,
      meters: 0,
      withReadings: 0,
      kwh: days.map(() => 0),
      total: 0,
    };
    fuels.set(m.fuel, use);
    use.meters++;
    const rows = readings[i].data!.data;
    if (rows.length) use.withReadings++;
    for (const r of rows) {
      const at = index.get(r.date);
      if (at === undefined) continue;
      use.kwh[at] += r.kwh;
      use.total += r.kwh;
    }
  });
  return {
    state: "ready",
    meters: inScope,
    days,
    fuels: [...fuels.values()].sort((a, b) => a.fuel.localeCompare(b.fuel)),
  };
}
