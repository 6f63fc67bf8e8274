// Carbon: the grid's 48 h forecast with its bands, the history with its half-hour-of-day profile, the
// generation mix, the best time to run a flexible load, and each site's emissions over a chosen range,
// location-based (every half-hour × its grid intensity) beside fixed-factor (UK government factors).
import { useState } from "preact/hooks";
import { INDEX_COLOURS, INDEXES } from "../../../src/carbon/domain";
import { useApi } from "../query";
import { Async, noRows } from "../ui/async";
import { Chart, type ChartProps } from "../ui/chart";
import { DataTable } from "../ui/data-table";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { Card, EmptyState, PageHeader } from "../ui/feedback";
import { InlineSelect, optionsOf } from "../ui/form";
import { formatClock, formatCo2, formatDateTime, formatKwh, today } from "../ui/format";
import { CarbonWidget } from "./intensity-widget";

const gPerKwh = (v: number) => `${Math.round(v)} gCO₂/kWh`;

/**
 * A chart of the grid's half-hours (the API's rows from `from`), each slot at its middle; in gCO₂/kWh,
 * on the clock and with each slot's start on hover unless told otherwise.
 */
function GridChart({
  rows,
  axis = "time",
  unit = "gCO₂/kWh",
  format = gPerKwh,
  slotLabel = (i) => formatDateTime(rows[i].from),
  ...chart
}: Omit<ChartProps, "x" | "slot" | "axis" | "unit" | "format" | "slotLabel"> &
  Partial<Pick<ChartProps, "axis" | "unit" | "format" | "slotLabel">> & { rows: { from: string }[] }) {
  const x = rows.map((r) => Date.parse(r.from) / 1000 + 900);
  return <Chart {...chart} {...{ x, axis, unit, format, slotLabel }} slot={1800} />;
}

export function CarbonPage() {
  return (
    <>
      <PageHeader
        title="Carbon"
        subtitle="The grid's carbon intensity and the emissions of your electricity and gas."
      />
      <CarbonWidget />
      <ForecastChart />
      <BestTimes />
      <History />
      <GenerationMix />
      <PortfolioEmissions />
    </>
  );
}

/** The next 48 hours, one bar series per band so each bar carries its band's colour. */
function ForecastChart() {
  const current = useApi("/api/carbon-intensity");
  return (
    <Card title="Forecast, next 48 hours" testid="carbon-forecast">
      <Async query={current} isEmpty={(c) => c.forecast.length === 0} empty="No forecast stored yet.">
        {(c) => (
          <GridChart
            label="Carbon intensity forecast, gCO₂/kWh, by band"
            kind="bars"
            rows={c.forecast}
            series={INDEXES.map((band) => ({
              label: band,
              color: INDEX_COLOURS[band],
              values: c.forecast.map((f) => (f.index === band ? f.forecast : null)),
            }))}
            slotLabel={(i) =>
              `${formatDateTime(c.forecast[i].from)}–${formatClock(Date.parse(c.forecast[i].to))}`
            }
          />
        )}
      </Async>
    </Card>
  );
}

const LOADS = [1, 2, 3, 4, 6, 8];

function BestTimes() {
  const [hours, setHours] = useState(3);
  const [siteId, setSiteId] = useState("");
  const sites = useApi("/api/sites", { params: { query: { pageSize: 100 } } });
  const best = useApi("/api/carbon-intensity/best-times", {
    params: { query: { hours, ...(siteId ? { siteId: Number(siteId) } : {}) } },
  });
  return (
    <Card
      title="Best time to run"
      testid="carbon-best-times"
      actions={
        <div class="toolbar">
          <InlineSelect
            label="Load length"
            value={String(hours)}
            onValue={(v) => setHours(Number(v))}
            options={LOADS.map((h) => ({ value: String(h), label: `${h} h` }))}
          />
          <InlineSelect
            label="Site"
            any="National"
            value={siteId}
            onValue={setSiteId}
            options={optionsOf(sites.data?.data ?? [])}
          />
        </div>
      }
    >
      <Async
        query={best}
        isEmpty={(b) => b.length === 0}
        empty={<p class="muted">Not enough forecast stored for a {hours} h load.</p>}
      >
        {(windows) => (
          <ol class="best-times">
            {windows.map((w) => (
              <li key={w.from}>
                <strong>
                  {formatDateTime(w.from)}–{formatClock(Date.parse(w.to))}
                </strong>{" "}
                mean {gPerKwh(w.meanIntensity)};{" "}
                {w.saving > 0
                  ? `${Math.round(w.saving)} g/kWh (${w.savingPct.toFixed(1)} %) cleaner than starting now`
                  : "no cleaner than now"}
              </li>
            ))}
          </ol>
        )}
      </Async>
    </Card>
  );
}

function History() {
  const [days, setDays] = useState<"7" | "30" | "90">("7");
  const history = useApi("/api/carbon-intensity/history", { params: { query: { days } } });
  return (
    <Card
      title="History"
      testid="carbon-history"
      actions={
        <div class="segmented" role="group" aria-label="History length">
          {(["7", "30", "90"] as const).map((d) => (
            <button key={d} type="button" aria-pressed={days === d} onClick={() => setDays(d)}>
              {d} days
            </button>
          ))}
        </div>
      }
    >
      <Async query={history} isEmpty={noRows} empty="No history stored yet.">
        {(h) => (
          <>
            <p class="muted">
              Mean {h.average === null ? "—" : gPerKwh(h.average)}, lowest{" "}
              {h.min === null ? "—" : gPerKwh(h.min)}, highest {h.max === null ? "—" : gPerKwh(h.max)} (actual
              where published, else forecast).
            </p>
            <GridChart
              label={`Carbon intensity, last ${days} days, gCO₂/kWh`}
              kind="lines"
              axis="date"
              rows={h.data}
              series={[
                { label: "Actual", values: h.data.map((r) => r.actual) },
                { label: "Forecast", values: h.data.map((r) => r.forecast) },
              ]}
            />
            <h3>Half-hour of the day (London time)</h3>
            <Chart
              label="Mean carbon intensity by half-hour of the day, gCO₂/kWh"
              kind="bars"
              axis="time"
              slot={1800}
              unit="gCO₂/kWh"
              // Drawn on one UTC day so the axis reads as clock times.
              x={h.profile.map((p) => Date.parse(`2000-01-01T${p.halfHour}:00Z`) / 1000 + 900)}
              series={[{ label: "Mean", values: h.profile.map((p) => p.mean) }]}
              format={gPerKwh}
              slotLabel={(i) => h.profile[i].halfHour}
              height={200}
            />
          </>
        )}
      </Async>
    </Card>
  );
}

function GenerationMix() {
  const mix = useApi("/api/carbon-intensity/generation");
  return (
    <Card title="Generation mix, last 24 hours" testid="carbon-generation">
      <Async query={mix} isEmpty={noRows} empty="No generation mix stored yet.">
        {(m) => {
          const fuels = [...new Set(m.data.flatMap((d) => d.generationmix.map((g) => g.fuel)))];
          return (
            <GridChart
              label="Generation mix, % of generation by fuel"
              kind="lines"
              unit="%"
              rows={m.data}
              series={fuels.map((fuel) => ({
                label: fuel,
                values: m.data.map((d) => d.generationmix.find((g) => g.fuel === fuel)?.perc ?? null),
              }))}
              format={(v) => `${v.toFixed(1)} %`}
            />
          );
        }}
      </Async>
    </Card>
  );
}

function PortfolioEmissions() {
  const [range, setRange] = useState<DateRange>(() => quickRange("30d", today()));
  const portfolio = useApi("/api/portfolio/emissions", {
    params: { query: { ...range, granularity: "month" } },
  });
  return (
    <Card
      title="Emissions per site"
      testid="carbon-emissions"
      actions={<DateRangePicker value={range} onChange={setRange} />}
    >
      <Async
        query={portfolio}
        isEmpty={(p) => p.sites.length === 0}
        empty={
          <EmptyState title="No meters in view">
            Emissions appear once your sites have meters with readings.
          </EmptyState>
        }
      >
        {(p) => (
          <DataTable
            testid="emissions-table"
            rows={p.sites}
            rowKey={(s) => s.siteId}
            columns={[
              { header: "Site", cell: (s) => s.name },
              { header: "Electricity", cell: (s) => formatKwh(s.fuels.electricity?.kwh ?? 0) },
              {
                header: "Location-based",
                cell: (s) =>
                  formatCo2(((s.fuels.electricity?.kgco2 ?? 0) + (s.fuels.gas?.kgco2 ?? 0)) * 1000),
              },
              {
                header: "Fixed-factor",
                cell: (s) =>
                  formatCo2(
                    ((s.fuels.electricity?.fixedFactorKgco2 ?? 0) + (s.fuels.gas?.fixedFactorKgco2 ?? 0)) *
                      1000,
                  ),
              },
              { header: "Unmatched kWh", cell: (s) => formatKwh(s.fuels.electricity?.unmatchedKwh ?? 0) },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
