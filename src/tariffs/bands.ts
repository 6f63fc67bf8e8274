// Time-of-use bands as a plan: which band applies at each (weekday, month, half-hour of the wall-clock
// day), and the first gap or overlap, named by its band. Pure and dependency-free: the API checks tariffs
// with it, the calculator looks rates up in it, and the SPA's band bar and editor draw and check with it.
import { DAY_NAMES, type DayName } from "../enums";

/** A band as the API takes it: a rate from `start` to `end` ("HH:MM"; end before start crosses midnight). */
export type Band = {
  name: string;
  pencePerKwh: number;
  start: string;
  end: string;
  days?: DayName[];
  months?: number[];
};

// ---------------------------------------------------------------------------------------------
// band plans

export const SLOTS_PER_DAY = 48;
const MONTHS = 12;
/** A plan entry's index: weekday (0 = Monday) × month × half-hour of the wall-clock day. */
export const planKey = (weekday: number, month: number, slot: number) =>
  (weekday * MONTHS + (month - 1)) * SLOTS_PER_DAY + slot;
const PLAN_SIZE = 7 * MONTHS * SLOTS_PER_DAY;

const slotOf = (time: string) => (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) / 30;
const timeOfSlot = (slot: number) =>
  `${String(Math.floor(slot / 2)).padStart(2, "0")}:${slot % 2 ? "30" : "00"}`;

/** The half-hours of the day a band covers, as slot numbers 0–47. */
function bandSlots(band: Band): number[] {
  const start = slotOf(band.start) % SLOTS_PER_DAY;
  const end = slotOf(band.end) % SLOTS_PER_DAY;
  const count = end > start ? end - start : end + SLOTS_PER_DAY - start; // equal: the whole day
  return Array.from({ length: count }, (_, i) => (start + i) % SLOTS_PER_DAY);
}

export type TariffProblem = { field: string; message: string };

/**
 * Which band applies at each (weekday, month, half-hour), or the first problem: a half-hour two bands
 * claim (named by the later band) or one no band covers (named by the band that ends where the gap starts,
 * or the one that starts where it ends).
 */
export function bandPlan(bands: readonly Band[]): Int8Array | TariffProblem {
  const plan = new Int8Array(PLAN_SIZE).fill(-1);
  const label = (i: number) => `bands.${i} ("${bands[i].name}")`;
  for (let i = 0; i < bands.length; i++) {
    const band = bands[i];
    const days = band.days ?? DAY_NAMES;
    const months = band.months ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const slots = bandSlots(band);
    for (const day of days) {
      const weekday = DAY_NAMES.indexOf(day);
      for (const month of months) {
        for (const slot of slots) {
          const key = planKey(weekday, month, slot);
          if (plan[key] !== -1) {
            const other = plan[key];
            return {
              field: `bands.${i}`,
              message: `${label(i)} overlaps ${label(other)} at ${timeOfSlot(slot)} on ${day}${band.months ? ` in month ${month}` : ""}`,
            };
          }
          plan[key] = i;
        }
      }
    }
  }
  for (let weekday = 0; weekday < 7; weekday++) {
    for (let month = 1; month <= MONTHS; month++) {
      for (let slot = 0; slot < SLOTS_PER_DAY; slot++) {
        if (plan[planKey(weekday, month, slot)] !== -1) continue;
        let end = slot;
        while (end < SLOTS_PER_DAY && plan[planKey(weekday, month, end)] === -1) end++;
        const before = slot > 0 ? plan[planKey(weekday, month, slot - 1)] : -1;
        const after = end < SLOTS_PER_DAY ? plan[planKey(weekday, month, end)] : -1;
        const named = before !== -1 ? before : after;
        const gap = `${timeOfSlot(slot)}–${end === SLOTS_PER_DAY ? "24:00" : timeOfSlot(end)} on ${DAY_NAMES[weekday]}${
          bands.some((b) => b.months) ? ` in month ${month}` : ""
        }`;
        return named === -1
          ? { field: "bands", message: `bands: no band covers ${gap}` }
          : {
              field: `bands.${named}`,
              message: `${label(named)}: no band covers ${gap}, next to this band`,
            };
      }
    }
  }
  return plan;
}
