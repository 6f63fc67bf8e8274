// Alarm rules as pure functions: the spans an alarm looks at, a span's value of a metric from stored
// day figures (src/analytics: meter_days), and whether it breaches the alarm's threshold.
import { bucketOf, previousSpan, type Span } from "../analytics/calendar";
import { halfHourKw } from "../analytics/figures";
import type { AlarmMetric, AlarmOperator, AlarmPeriod } from "../enums";
import { addDays } from "../time/settlement";

export type AlarmRule = {
  metric: AlarmMetric;
  period: AlarmPeriod;
  operator: AlarmOperator;
  threshold: number | null;
  pctAbovePrevious: number | null;
};

/**
 * One day of the watched meters, summed over them (a meter alarm: its own figures): kWh, baseload kW
 * (null when no meter had one) and the largest half-hour kWh of each meter added up.
 */
export type DaySums = {
  date: string;
  kwh: number;
  baseloadKw: number | null;
  peakKwh: number | null;
  /**
   * costPence alarms only: the day's cost in pence incl. VAT, null when it cannot be priced; days without
   * figures are listed too (they pay the standing charge), `measured` false.
   */
  costPence?: number | null;
  measured?: boolean;
};

export type Breach = Span & { value: number; threshold: number; previous: number | null };

/** The whole day, ISO week or calendar month spans that hold any of the days from `from` to `to`. */
export function spansTouching(period: AlarmPeriod, from: string, to: string): Span[] {
  const spans: Span[] = [];
  for (let date = from; date <= to;) {
    const b = bucketOf(date, period);
    spans.push({ from: b.from, to: b.to });
    date = addDays(b.to, 1);
  }
  return spans;
}

/**
 * A span's value of a metric, from the analytics definitions: kwh is the sum; baseloadKw the mean of its
 * days' baseload; peakKw 2 × its largest half-hour kWh. A site sums its meters per day, so its peak is
 * the largest day-sum of its meters' peaks (an upper bound of the site's coincident peak). costPence is
 * the sum of its days' costs, null when any day of it cannot be priced or none has figures. Null when the span has no figure.
 */
export function spanValue(metric: AlarmMetric, days: readonly DaySums[]): number | null {
  if (days.length === 0) return null;
  switch (metric) {
    case "kwh":
      return days.reduce((s, d) => s + d.kwh, 0);
    case "baseloadKw": {
      const values = days.map((d) => d.baseloadKw).filter((v): v is number => v !== null);
      return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
    }
    case "peakKw": {
      const values = days.map((d) => d.peakKwh).filter((v): v is number => v !== null);
      return values.length ? halfHourKw(Math.max(...values)) : null;
    }
    case "costPence": {
      if (!days.some((d) => d.measured)) return null; // before the data starts, as for the other metrics
      let sum = 0;
      for (const d of days) {
        if (d.costPence == null) return null;
        sum += d.costPence;
      }
      return sum;
    }
  }
}

const inSpan = (days: readonly DaySums[], span: Span) =>
  days.filter((d) => d.date >= span.from && d.date <= span.to);

/**
 * Whether a complete span breaches the rule: its value against the threshold, or against the previous
 * span's value × (1 + pctAbovePrevious / 100) (the previous day, ISO week or calendar month). A span is
 * judged once its last day has figures (`lastDate`), so a week in progress never counts as "low".
 */
export function breachOf(
  rule: AlarmRule,
  span: Span,
  days: readonly DaySums[],
  lastDate: string,
): Breach | null {
  if (span.to > lastDate) return null;
  const value = spanValue(rule.metric, inSpan(days, span));
  if (value === null) return null;
  let threshold: number;
  let previous: number | null = null;
  if (rule.pctAbovePrevious !== null) {
    previous = spanValue(rule.metric, inSpan(days, previousSpan(span)));
    if (previous === null || previous <= 0) return null;
    threshold = previous * (1 + rule.pctAbovePrevious / 100);
  } else threshold = rule.threshold!;
  const breached = rule.operator === "gt" ? value > threshold : value < threshold;
  return breached ? { ...span, value, threshold, previous } : null;
}

/** The days of figures a span and the one before it need. */
export function daysNeeded(period: AlarmPeriod, spans: Span[]): Span | null {
  if (spans.length === 0) return null;
  const first = previousSpan(bucketOf(spans[0].from, period));
  return { from: first.from, to: spans[spans.length - 1].to };
}

export const METRIC_UNITS: Record<AlarmMetric, string> = {
  kwh: "kWh",
  baseloadKw: "kW",
  peakKw: "kW",
  costPence: "p",
};
export const METRIC_NAMES: Record<AlarmMetric, string> = {
  kwh: "consumption",
  baseloadKw: "baseload",
  peakKw: "peak demand",
  costPence: "cost (incl. VAT)",
};
