// A meter's figures over the page's range (GET /api/meters/{mpan}/summary) with its comparisons, and
// every half-hour of the range: a chart that zooms from a year (17,520 points, one uPlot instance) down
// to one day, and a heatmap of day × half-hour.
import { useMemo } from "preact/hooks";
import { MS_PER_PERIOD, periodsInSettlementDay, periodStartUtc } from "../../../src/time/settlement";
import type { HalfHourReading } from "../api";
import { NoReadings } from "../imports/no-readings";
import { useAnsweredInput, useApi, useApiQuery } from "../query";
import { Async, noRows } from "../ui/async";
import { Card, Figure } from "../ui/feedback";
import { Changes } from "../ui/change";
import { Chart } from "../ui/chart";
import type { DateRange } from "../ui/date-range";
import { Heatmap, type HeatmapRow } from "../ui/heatmap";
import { formatDateTime, formatInt, formatDay, formatKw, formatKwh, formatPercent } from "../ui/format";
import { daysBetween, addDays } from "../../../src/time/settlement";
import { halfHourLabel } from "./meter-readings";
import { readingsQuery, type RangeCardProps } from "./paths";

/** The readings endpoint's longest half-hourly range (src/readings/routes.ts MAX_READING_DAYS.hh). */
const MAX_HH_DAYS = 400;

const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const rowLabel = (date: string) => shortDay.format(new Date(`${date}T12:00:00Z`));

export function MeterSummary({ mpan, range }: { mpan: string; range: DateRange }) {
  const summary = useApi(
    "/api/meters/{mpan}/summary",
    { params: { path: { mpan }, query: range } },
    { keepPrevious: true },
  );
  return (
    <Card title="Summary" testid="meter-summary">
      <Async query={summary}>
        {(s) =>
          s.periods === 0 && s.kwh === 0 ? (
            <p class="muted">No readings in this range, so there are no figures to show.</p>
          ) : (
            <>
              <div class="figures">
                <div class="figure--wide" data-testid="summary-kwh">
                  <span class="stat-label">Consumption</span>
                  <span class="big-number">{formatKwh(s.kwh)}</span>
                  <Changes previous={s.previous} lastYear={s.lastYear} />
                </div>
                <Figure label="Data completeness" value={formatPercent(s.completeness)}>
                  {s.periods} of {s.expectedPeriods} half-hours
                </Figure>
                <Figure label="Baseload" value={s.baseloadKw === null ? "—" : formatKw(s.baseloadKw)}>
                  mean of the days' 8 lowest half-hours
                </Figure>
                <Figure label="Peak demand" value={s.peakKw === null ? "—" : formatKw(s.peakKw)}>
                  {s.peakAt && `at ${formatDateTime(s.peakAt)}`}
                </Figure>
                <Figure label="Load factor" value={s.loadFactor === null ? "—" : formatPercent(s.loadFactor)}>
                  mean ÷ peak demand
                </Figure>
                <Figure
                  label="Out of hours"
                  value={s.outOfHoursKwh === null ? "—" : formatKwh(s.outOfHoursKwh)}
                >
                  {s.outOfHoursKwh !== null &&
                    s.kwh > 0 &&
                    `${formatPercent(s.outOfHoursKwh / s.kwh)} of the total`}
                </Figure>
              </div>
              {s.completeness < 0.9 && (
                <p class="muted small">
                  Only {formatPercent(s.completeness)} of this range's half-hours have readings: the figures
                  cover what is there.
                </p>
              )}
            </>
          )
        }
      </Async>
    </Card>
  );
}

/** Every half-hour of the range in time order, a reading or null, and the heatmap's rows. */
function halfHoursOf(rows: HalfHourReading[], range: DateRange) {
  const byKey = new Map(rows.map((r) => [`${r.date}|${r.period}`, r.kwh]));
  const x: number[] = [];
  const values: (number | null)[] = [];
  const slots: { date: string; start: number; last: boolean; n: number }[] = [];
  const days: HeatmapRow[] = [];
  for (let i = 0, n = daysBetween(range.from, range.to); i <= n; i++) {
    const date = addDays(range.from, i);
    const periods = periodsInSettlementDay(date);
    const row: (number | null)[] = [];
    for (let p = 1; p <= periods; p++) {
      const start = periodStartUtc(date, p);
      const v = byKey.get(`${date}|${p}`) ?? null;
      x.push((start + MS_PER_PERIOD / 2) / 1000);
      values.push(v);
      slots.push({ date, start, last: p === periods, n: periods });
      row.push(v);
    }
    days.push({ date, values: row });
  }
  return { x, values, slots, days, count: rows.length };
}

export function RangeHalfHours({ mpan, range, onDay }: RangeCardProps) {
  const tooLong = daysBetween(range.from, range.to) + 1 > MAX_HH_DAYS;
  const hh = useApiQuery(tooLong ? null : readingsQuery(mpan, range.from, range.to, "hh"), {
    keepPrevious: true,
  });
  const shown = useAnsweredInput(range, hh);
  const data = useMemo(() => hh.data && halfHoursOf(hh.data.data, shown), [hh.data, shown]);
  const slotLabel = (i: number) => {
    const s = data!.slots[i];
    return `${formatDay(s.date)} ${halfHourLabel(s.start, s.last, s.n)}`;
  };
  return (
    <Card title="Half-hours" testid="range-half-hours">
      {tooLong ? (
        <p class="muted">
          Half-hours are shown for ranges of up to {MAX_HH_DAYS} days; choose a shorter range.
        </p>
      ) : (
        <Async
          query={hh}
          loading="Loading half-hours…"
          isEmpty={noRows}
          empty={
            <NoReadings
              title="No half-hourly readings in this range"
              admin="Import this meter's half-hourly readings on the Imports page, or choose another range."
              others="Half-hourly readings appear once an administrator imports them. Try another range."
            />
          }
        >
          {() =>
            data && (
              <>
                <p class="muted">
                  {formatInt(data.count)} of {formatInt(data.x.length)} half-hours have readings. Drag across
                  the chart to zoom in (down to one day), double-click to zoom out, click a half-hour for its
                  day's profile.
                </p>
                <Chart
                  label={`Half-hourly kWh, ${shown.from} to ${shown.to}`}
                  axis="time"
                  slot={1800}
                  unit="kWh"
                  kind="lines"
                  x={data.x}
                  series={[{ label: "kWh", values: data.values }]}
                  format={formatKwh}
                  slotLabel={slotLabel}
                  onSelect={(i) => onDay(data.slots[i].date)}
                />
                <h3>Heatmap</h3>
                <Heatmap
                  label={`Heatmap of half-hourly kWh, ${shown.from} to ${shown.to}`}
                  rows={data.days}
                  unit="kWh"
                  format={formatKwh}
                  rowLabel={rowLabel}
                  cellLabel={(row, i) =>
                    `${formatDay(row.date)} ${halfHourLabel(periodStartUtc(row.date, i + 1), i === row.values.length - 1, row.values.length)}`
                  }
                />
              </>
            )
          }
        </Async>
      )}
    </Card>
  );
}
