// Date ranges for charts and reports: the quick ranges a picker offers, each a pair of settlement days
// (inclusive) computed from today, and which quick range a pair is, if any.
import { addDays, daysInMonth } from "../../../src/time/settlement";

export type DateRange = { from: string; to: string };

export const QUICK_RANGES = [
  { id: "7d", label: "7 d" },
  { id: "30d", label: "30 d" },
  { id: "90d", label: "90 d" },
  { id: "this-month", label: "This month" },
  { id: "last-month", label: "Last month" },
  { id: "12m", label: "12 months" },
] as const;
export type QuickRange = (typeof QUICK_RANGES)[number]["id"];

const pad2 = (n: number) => String(n).padStart(2, "0");

function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** The range a quick choice means on `today`: the last N days end today; months are calendar months. */
export function quickRange(id: QuickRange, today: string): DateRange {
  const [y, m, d] = parts(today);
  switch (id) {
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "90d":
      return { from: addDays(today, -89), to: today };
    case "this-month":
      return { from: `${y}-${pad2(m)}-01`, to: today };
    case "last-month": {
      const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
      return { from: `${py}-${pad2(pm)}-01`, to: `${py}-${pad2(pm)}-${pad2(daysInMonth(py, pm))}` };
    }
    case "12m": {
      // From the day after this date a year ago (29 February falls back to the 28th), so 12 whole months.
      const yearAgo = `${y - 1}-${pad2(m)}-${pad2(Math.min(d, daysInMonth(y - 1, m)))}`;
      return { from: addDays(yearAgo, 1), to: today };
    }
  }
}

/** The quick range that is exactly this range today, or "custom". */
export function quickRangeOf(range: DateRange, today: string): QuickRange | "custom" {
  const hit = QUICK_RANGES.find((q) => {
    const r = quickRange(q.id, today);
    return r.from === range.from && r.to === range.to;
  });
  return hit?.id ?? "custom";
}
