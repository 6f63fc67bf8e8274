// A meter's consumption: daily totals over a chosen range with the previous span and the daily baseload
// beside them (click a day for its half-hours), and one day's half-hourly profile on real time, so a
// clock-change day shows its 46 or 50 periods and a half-hour without a reading is a gap.
import type { RefObject } from "preact";
import { useMemo } from "preact/hooks";
import {
  MS_PER_PERIOD,
  periodsInSettlementDay,
  periodStartUtc,
  utcOffsetMinutesAt,
} from "../../../src/time/settlement";
import type { DayReading, HalfHourReading } from "../api";
import { previousSpan } from "../../../src/analytics/calendar";
import { useAnsweredInput, useApiQuery } from "../query";
import { Async, noRows } from "../ui/async";
import { Chart } from "../ui/chart";
import type { DateRange } from "../ui/date-range";
import { addDays, daysBetween } from "../../../src/time/settlement";
import { formatClock, formatDay, formatKw, formatKwh, today } from "../ui/format";
import { NoReadings } from "../imports/no-readings";
import { readingsQuery, type RangeCardProps } from "./paths";
import { Card } from "../ui/feedback";

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

const datesOf = (range: DateRange) =>
  Array.from({ length: daysBetween(range.from, range.to) + 1 }, (_, i) => addDays(range.from, i));

function dailySeries(rows: DayReading[], range: DateRange, previous: DayReading[] | undefined) {
  const byDate = new Map(rows.map((d) => [d.date, d]));
  const dates = datesOf(range);
  // The previous span day by day from its first day (a month before may be a day or two shorter).
  const before = new Map((previous ?? []).map((d) => [d.date, d.kwh]));
  const prevDates = datesOf(previousSpan(range));
  return {
    dates,
    byDate,
    x: dates.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000),
    values: dates.map((d) => byDate.get(d)?.kwh ?? null),
    previous: dates.map((_d, i) => (i < prevDates.length ? (before.get(prevDates[i]) ?? null) : null)),
    baseload: dates.map((d) => byDate.get(d)?.baseloadKw ?? null),
    total: rows.reduce((a, d) => a + d.kwh, 0),
    incomplete: rows.filter((d) => d.periods !== null && d.periods < d.expectedPeriods).length,
    estimated: rows.filter((d) => d.estimated).length,
  };
}

export function DailyConsumption({ mpan, range, onDay }: RangeCardProps) {
  const days = useApiQuery(readingsQuery(mpan, range.from, range.to, "day"), { keepPrevious: true });
  const shown = useAnsweredInput(range, days);
  const prev = previousSpan(shown);
  const before = useApiQuery(readingsQuery(mpan, prev.from, prev.to, "day"), { keepPrevious: true });
  const daily = useMemo(
    () => days.data && dailySeries(days.data.data, shown, before.data?.data),
    [days.data, before.data, shown],
  );
  return (
    <Card title="Daily consumption">
      <Async
        query={days}
        loading="Loading readings…"
        isEmpty={noRows}
        empty={
          <NoReadings
            title="No readings in this range"
            admin="Import this meter's half-hourly or daily readings on the Imports page, or choose another range."
            others="Readings appear once an administrator imports them. Try another range."
          />
        }
      >
        {() =>
          daily && (
            <>
              <p class="big-number">{formatKwh(daily.total)}</p>
              <p class="muted">
                {daily.incomplete > 0 && `${plural(daily.incomplete, "day")} with missing half-hours. `}
                {daily.estimated > 0 && `${plural(daily.estimated, "day")} include estimated values. `}
                Bars: this span; dashed line: the previous span ({prev.from} to {prev.to}) day by day; line:
                the day's baseload (kW, right axis). Click a day for its half-hours; drag across days to zoom
                in.
              </p>
              <Chart
                label={`Daily kWh, ${shown.from} to ${shown.to}`}
                axis="date"
                slot={86_400}
                unit="kWh"
                x={daily.x}
                series={[
                  { label: "This span", values: daily.values },
                  {
                    label: "Previous span",
                    values: daily.previous,
                    kind: "line",
                    dashed: true,
                    color: "#98a2a6",
                  },
                  { label: "Baseload", values: daily.baseload, kind: "line", unit: "kW", format: formatKw },
                ]}
                format={formatKwh}
                slotLabel={(i) => {
                  const d = daily.byDate.get(daily.dates[i]);
                  const missing = d && d.periods !== null && d.periods < d.expectedPeriods;
                  return `${formatDay(daily.dates[i])}${missing ? ` (${d.periods} of ${d.expectedPeriods} half-hours)` : ""}`;
                }}
                onSelect={(i) => onDay(daily.dates[i])}
              />
            </>
          )
        }
      </Async>
    </Card>
  );
}

function halfHourSeries(rows: HalfHourReading[], day: string) {
  const n = periodsInSettlementDay(day);
  const byPeriod = new Map(rows.map((r) => [r.period, r.kwh]));
  const starts = Array.from({ length: n }, (_, i) => periodStartUtc(day, i + 1));
  const peak = rows.reduce<HalfHourReading | null>((a, r) => (a && a.kwh >= r.kwh ? a : r), null);
  return {
    n,
    starts,
    x: starts.map((s) => (s + MS_PER_PERIOD / 2) / 1000),
    values: starts.map((_s, i) => byPeriod.get(i + 1) ?? null),
    total: rows.reduce((a, r) => a + r.kwh, 0),
    count: rows.length,
    peak,
  };
}

/**
 * "23:30–24:00" for a half-hour starting at `start` (UTC ms) of a day of `n` periods; on a clock-change
 * day with the zone, since 01:00–01:30 comes twice in October.
 */
export function halfHourLabel(start: number, last: boolean, n: number): string {
  const end = last ? "24:00" : formatClock(start + MS_PER_PERIOD);
  const zone = n === 48 ? "" : utcOffsetMinutesAt(start) === 60 ? " BST" : " GMT";
  return `${formatClock(start)}–${end}${zone}`;
}

const periodLabel = (starts: number[], i: number) =>
  halfHourLabel(starts[i], i === starts.length - 1, starts.length);

/** Periods (1-based, ascending) as runs of the clock: [3,4,5,9] → "01:00–02:30 and 04:00–04:30". */
function periodRuns(starts: number[], periods: number[]): string {
  const runs: [number, number][] = [];
  for (const p of periods) {
    const last = runs.at(-1);
    if (last && last[1] === p - 1) last[1] = p;
    else runs.push([p, p]);
  }
  const labels = runs.map(([a, b]) => {
    const [first, end] = [periodLabel(starts, a - 1), periodLabel(starts, b - 1)];
    return `${first.slice(0, first.indexOf("–"))}${end.slice(end.indexOf("–"))}`;
  });
  return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}` : labels[0];
}

export function HalfHourProfile({
  mpan,
  day,
  onDay,
  sectionRef,
  highlight,
}: {
  mpan: string;
  day: string | null;
  onDay: (date: string | null) => void;
  sectionRef?: RefObject<HTMLElement | null>;
  /** Half-hours of one day to shade, e.g. those a data-quality issue names (periods are 1-based). */
  highlight?: { day: string; periods: number[] };
}) {
  const halfHours = useApiQuery(day ? readingsQuery(mpan, day, day, "hh") : null, { keepPrevious: true });
  const shown = useAnsweredInput(day, halfHours);
  const profile = useMemo(
    () => (shown && halfHours.data ? halfHourSeries(halfHours.data.data, shown) : null),
    [halfHours.data, shown],
  );
  // Only on the linked day: another day chosen afterwards is shown plain.
  const marked = highlight && shown === highlight.day ? highlight.periods : null;
  return (
    <section class="card" ref={sectionRef}>
      <div class="card-head">
        <h2>Half-hourly profile</h2>
        <label class="inline-field">
          <span>Day</span>
          <input
            type="date"
            value={day ?? ""}
            max={today()}
            onChange={(e) => onDay(e.currentTarget.value || null)}
          />
        </label>
      </div>
      {!day ? (
        <p class="muted">Choose a day, or click one in the daily chart, to see its half-hours.</p>
      ) : (
        <Async
          query={halfHours}
          isEmpty={noRows}
          empty={<p class="muted">No half-hourly readings on {shown}.</p>}
        >
          {() =>
            profile && (
              <>
                <p class="muted">
                  {formatKwh(profile.total)} over{" "}
                  {profile.count < profile.n ? `${profile.count} of ${profile.n}` : profile.count} half-hours;
                  peak {formatKwh(profile.peak!.kwh)} at {formatClock(Date.parse(profile.peak!.start))}
                </p>
                {profile.n !== 48 && (
                  <p class="muted small">
                    The clocks {profile.n === 46 ? "went forward" : "went back"} on this day, so it has{" "}
                    {profile.n} half-hours.
                  </p>
                )}
                {marked && (
                  <p class="chart-note" data-testid="highlight-note">
                    Highlighted: {periodRuns(profile.starts, marked)}, the half-hours named by the
                    data-quality issue that linked here.
                  </p>
                )}
                <Chart
                  label={`Half-hourly kWh on ${shown}`}
                  axis="time"
                  slot={1800}
                  unit="kWh"
                  x={profile.x}
                  series={[{ label: "kWh", values: profile.values }]}
                  format={formatKwh}
                  slotLabel={(i) => periodLabel(profile.starts, i)}
                  highlight={marked?.map((p) => p - 1)}
                />
              </>
            )
          }
        </Async>
      )}
    </section>
  );
}
