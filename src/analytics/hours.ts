// A site's working hours (local Europe/London time): which half-hours of a settlement day are in hours,
// for out-of-hours consumption. Pure; the period-to-local-time arithmetic is asked of src/time/settlement.ts.
import {
  epochDayOfIso,
  MS_PER_DAY,
  MS_PER_MINUTE,
  periodStartUtc,
  periodsInSettlementDay,
  utcOffsetMinutesAt,
} from "../time/settlement";
import { isoWeekday } from "./calendar";

/** Opening and closing time, "HH:MM" on the half-hour ("24:00" closes at midnight). */
export type OpeningTimes = { open: string; close: string };
/** Opening times Monday–Friday and Saturday–Sunday; null = closed all day. */
export type WorkingHours = { weekday: OpeningTimes | null; weekend: OpeningTimes | null };

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  weekday: { open: "08:00", close: "18:00" },
  weekend: null,
};

/** "HH:MM" → minutes after midnight. */
export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Minutes after local midnight at which each period of a settlement day starts (the clock-change days repeat or skip an hour). */
export function periodLocalStartMinutes(date: string): number[] {
  const midnight = epochDayOfIso(date) * MS_PER_DAY;
  const minutes: number[] = [];
  for (let p = 1, n = periodsInSettlementDay(date); p <= n; p++) {
    const utc = periodStartUtc(date, p);
    minutes.push((utc + utcOffsetMinutesAt(utc) * MS_PER_MINUTE - midnight) / MS_PER_MINUTE);
  }
  return minutes;
}

/** For each period of the day, whether it starts within the day's opening times (Mon–Fri weekday, Sat–Sun weekend). */
export function inHoursMask(date: string, hours: WorkingHours): boolean[] {
  const times = isoWeekday(date) <= 5 ? hours.weekday : hours.weekend;
  const open = times ? minutesOf(times.open) : 0;
  const close = times ? minutesOf(times.close) : 0;
  return periodLocalStartMinutes(date).map((m) => m >= open && m < close);
}

/** Masks by site hours and date, built once per aggregation run (the caller owns it). */
export class HoursMasks {
  /** Hours key → date → mask: two lookups, no key string built per day (an import asks once per meter-day). */
  private readonly masks = new Map<string, Map<string, boolean[]>>();

  /** `key` names the hours (e.g. their JSON text), so sites with the same hours share masks. */
  get(date: string, hours: WorkingHours, key: string): boolean[] {
    let byDate = this.masks.get(key);
    if (!byDate) this.masks.set(key, (byDate = new Map()));
    let mask = byDate.get(date);
    if (!mask) byDate.set(date, (mask = inHoursMask(date, hours)));
    return mask;
  }
}
