// How numbers, sizes and dates read on screen (en-GB). Energy, money, carbon and shares each have one
// formatter, so a figure reads the same on every page. Date arithmetic is src/time/settlement.ts's.
import { settlementPeriodAt } from "../../../src/time/settlement";

const intFormat = new Intl.NumberFormat("en-GB");
/** Small figures keep two decimals (a half-hour's 0.25 kWh), large ones none (a year's 12,345 kWh). */
const decimals = [2, 1, 0].map((d) => new Intl.NumberFormat("en-GB", { maximumFractionDigits: d }));
const gbpFormat = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
const percentFormat = new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 });

function scaled(v: number): string {
  const a = Math.abs(v);
  return decimals[a < 10 ? 0 : a < 1000 ? 1 : 2].format(v);
}

export const formatInt = (v: number) => intFormat.format(v);

/** Energy: "0.25 kWh", "123.4 kWh", "12,345 kWh". */
export const formatKwh = (kwh: number) => `${scaled(kwh)} kWh`;

/** Power: "3.25 kW", "123.4 kW". */
export const formatKw = (kw: number) => `${scaled(kw)} kW`;

/** Money in pounds: "£1,234.50". */
export const formatGbp = (pounds: number) => gbpFormat.format(pounds);

/** Emissions given in grams of CO₂e: grams, then kilograms, then tonnes as they grow. */
export function formatCo2(grams: number): string {
  const a = Math.abs(grams);
  if (a >= 1e6) return `${scaled(grams / 1e6)} tCO₂e`;
  if (a >= 1e3) return `${scaled(grams / 1e3)} kgCO₂e`;
  return `${scaled(grams)} gCO₂e`;
}

/** A share given as a fraction: 0.125 → "12.5%". */
export const formatPercent = (fraction: number) => percentFormat.format(fraction);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" });
}

const dayFormat = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
/** A settlement day "YYYY-MM-DD" as "Sun 25 Oct 2026" (built from parts: engines differ on commas). */
export const formatDay = (date: string) =>
  dayFormat
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .filter((p) => p.type !== "literal")
    .map((p) => p.value)
    .join(" ");

const clockFormat = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});
/** "13:30", the London wall-clock time of an instant. */
export const formatClock = (utcMs: number) => clockFormat.format(utcMs);

/** Today's date in Europe/London (the settlement day now running). */
export const today = () => settlementPeriodAt(Date.now()).date;
