// Pieces the dashboard (the portfolio) and a site page share: one fuel's consumption over a range with its
// comparisons, normalised figures and daily chart against last year, and the baseload trend. Electricity
// and gas are always shown apart: their kWh are never added together.
import type { ComponentChildren } from "preact";
import { lastYearSpan } from "../../../src/analytics/calendar";
import { FUELS } from "../../../src/enums";
import type { Answer, Fuel } from "../api";
import type { components } from "../api-schema";
import { apiQuery, useApiQuery, type ApiRead } from "../query";
import { Changes } from "../ui/change";
import { Chart } from "../ui/chart";
import type { DateRange } from "../ui/date-range";
import { Figure, Notice } from "../ui/feedback";
import { formatDay, formatInt, formatKw, formatKwh, formatPercent } from "../ui/format";

export type FuelConsumption = components["schemas"]["FuelConsumption"];
export type Estate = Answer<"/api/portfolio/consumption"> | Answer<"/api/sites/{id}/consumption">;

export const FUEL_LABEL: Record<Fuel, string> = { electricity: "Electricity", gas: "Gas" };

/** The fuels the estate has meters of, in a fixed order, each with its figures. */
export const fuelsOf = (e: Estate) =>
  FUELS.flatMap((f) => (e.fuels[f] ? [[f, e.fuels[f]] as [Fuel, FuelConsumption]] : []));

/**
 * A portfolio's or a site's daily consumption over the range, and over the same dates a year earlier for
 * the chart's overlay (asked for at once, not after the first answer).
 */
export function useEstate(range: DateRange, siteId?: number) {
  const read = (r: DateRange): ApiRead<Estate> => {
    const query = { ...r, granularity: "day" as const };
    return siteId === undefined
      ? apiQuery("/api/portfolio/consumption", { params: { query } })
      : apiQuery("/api/sites/{id}/consumption", { params: { path: { id: siteId }, query } });
  };
  return {
    now: useApiQuery(read(range), { keepPrevious: true }),
    lastYear: useApiQuery(read(lastYearSpan(range)), { keepPrevious: true }),
  };
}

/** A bucket without any reading is a gap, not zero. */
const valueOf = (b: FuelConsumption["series"][number] | undefined) =>
  b === undefined || b.completeness === 0 ? null : b.kwh;

export function FuelCard({
  fuel,
  figures: f,
  lastYear,
  children,
}: {
  fuel: Fuel;
  figures: FuelConsumption;
  /** The same dates a year earlier, once answered. */
  lastYear?: FuelConsumption;
  children?: ComponentChildren;
}) {
  const s = f.series;
  const span = s.length ? `${s[0].from} to ${s[s.length - 1].to}` : "";
  const none = f.completeness === 0 && f.kwh === 0;
  return (
    <section class="card" data-testid={`fuel-${fuel}`}>
      <div class="card-head">
        <h2>{FUEL_LABEL[fuel]}</h2>
      </div>
      <div class="figures">
        <div class="figure--wide" data-testid={`total-${fuel}`}>
          <span class="stat-label">Consumption</span>
          <span class="big-number">{none ? "No readings" : formatKwh(f.kwh)}</span>
          {!none && <Changes previous={f.previous} lastYear={f.lastYear} />}
        </div>
        <Figure label="Data completeness" value={formatPercent(f.completeness)}>
          {s.filter((b) => b.completeness < 0.9).length} of {s.length} days under 90%
        </Figure>
        {f.m3 !== undefined && (
          <Figure label="Gas volume" value={`${formatInt(Math.round(f.m3))} m³`}>
            {f.m3Kwh === f.kwh
              ? "every day read as a volume"
              : `the ${formatKwh(f.m3Kwh ?? 0)} read as a volume`}
          </Figure>
        )}
        {f.perM2 !== undefined && <Figure label="Per m²" value={formatKwh(f.perM2)} />}
        {Object.entries(f.perNormaliser ?? {}).map(([name, v]) => (
          <Figure key={name} label={`Per ${name}`} value={formatKwh(v)} />
        ))}
        {children}
      </div>
      {!none && f.completeness < 0.9 && (
        <Notice kind="warn">
          Only {formatPercent(f.completeness)} of this range's half-hours have readings: totals and changes
          cover what is there.
        </Notice>
      )}
      {none ? (
        <p class="muted">No {fuel} readings in this range.</p>
      ) : (
        <Chart
          label={`Daily ${fuel} kWh, ${span}`}
          axis="date"
          slot={86_400}
          unit="kWh"
          x={s.map((b) => Date.parse(`${b.from}T12:00:00Z`) / 1000)}
          series={[
            { label: "This span", values: s.map(valueOf) },
            {
              label: "Last year",
              values: s.map((_b, i) => valueOf(lastYear?.series[i])),
              kind: "line",
              dashed: true,
              color: "#98a2a6",
            },
          ]}
          format={formatKwh}
          slotLabel={(i) =>
            `${formatDay(s[i].from)}${s[i].completeness > 0 && s[i].completeness < 1 ? ` (${formatPercent(s[i].completeness)} of half-hours)` : ""}`
          }
          height={220}
        />
      )}
    </section>
  );
}

/** Each fuel's baseload day by day: the load that never switches off, summed over the meters. */
export function BaseloadTrend({ estate }: { estate: Estate }) {
  return (
    <section class="card" data-testid="baseload">
      <div class="card-head">
        <h2>Baseload trend</h2>
      </div>
      <BaseloadChart estate={estate} />
    </section>
  );
}

function BaseloadChart({ estate }: { estate: Estate }) {
  const fuels = fuelsOf(estate).filter(([, f]) => f.series.some((b) => b.baseloadKw !== null));
  if (fuels.length === 0)
    return <p class="muted">No half-hourly readings in this range, so there is no baseload to show.</p>;
  const s = fuels[0][1].series;
  return (
    <Chart
      label={`Baseload by fuel, kW, ${estate.from} to ${estate.to}`}
      axis="date"
      slot={86_400}
      unit="kW"
      kind="lines"
      x={s.map((b) => Date.parse(`${b.from}T12:00:00Z`) / 1000)}
      series={fuels.map(([fuel, f]) => ({
        label: FUEL_LABEL[fuel],
        values: f.series.map((b) => b.baseloadKw),
        color: fuel === "gas" ? "#b45309" : undefined,
      }))}
      format={formatKw}
      slotLabel={(i) => formatDay(s[i].from)}
      height={200}
    />
  );
}
