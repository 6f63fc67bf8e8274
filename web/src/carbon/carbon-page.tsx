// Carbon: the grid's 48 h forecast with its bands, the history with its half-hour-of-day profile, the
// generation mix, the best time to run a flexible load, and each site's emissions over a chosen range,
// location-based (every half-hour × its grid intensity) beside fixed-factor (UK government factors).
import { useState } from "preact/hooks";
import { INDEX_COLOURS, INDEXES } from "../../../src/carbon/domain";
import { useApi } from "../query";
import { Async } from "../ui/async";
import { Chart } from "../ui/chart";
import { DataTable } from "../ui/data-table";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { EmptyState, PageHeader } from "../ui/feedback";
import { formatClock, formatCo2, formatDateTime, formatKwh, today } from "../ui/format";
import { CarbonWidget } from "./intensity-widget";

const gPerKwh = (v: number) => `${Math.round(v)} gCO₂/kWh`;
const mid = (from: string) => Date.parse(from) / 1000 + 900;

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
    <section class="card" data-testid="carbon-forecast">
      <div class="card-head">
        <h2>Forecast, next 48 hours</h2>
      </div>
      <Async
        query={current}
        isEmpty={(c) => c.forecast.length === 0}
        empty={<p class="muted">No forecast stored yet.</p>}
      >
        {(c) => (
          <Chart
            label="Carbon intensity forecast, gCO₂/kWh, by band"
            kind="bars"
            axis="time"
            slot={1800}
            unit="gCO₂/kWh"
            x={c.forecast.map((f) => mid(f.from))}
            series={INDEXES.map((band) => ({
              label: band,
              color: INDEX_COLOURS[band],
              values: c.forecast.map((f) => (f.index === band ? f.forecast : null)),
            }))}
            format={gPerKwh}
            slotLabel={(i) =>
              `${formatDateTime(c.forecast[i].from)}–${formatClock(Date.parse(c.forecast[i].to))}`
            }
          />
        )}
      </Async>
    </section>
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
    <section class="card" data-testid="carbon-best-times">
      <div class="card-head">
        <h2>Best time to run</h2>
        <div class="toolbar">
          <label>
            Load length{" "}
            <select
              value={hours}
              onChange={(e) => setHours(Number(e.currentTarget.value))}
              aria-label="Load length"
            >
              {LOADS.map((h) => (
                <option key={h} value={h}>
                  {h} h
                </option>
              ))}
            </select>
          </label>
          <label>
            Site{" "}
            <select value={siteId} onChange={(e) => setSiteId(e.currentTarget.value)} aria-label="Site">
              <option value="">National</option>
              {sites.data?.data.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
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
    </section>
  );
}

function History() {
  const [days, setDays] = useState<"7" | "30" | "90">("7");
  const history = useApi("/api/carbon-intensity/history", { params: { query: { days } } });
  return (
    <section class="card" data-testid="carbon-history">
      <div class="card-head">
        <h2>History</h2>
        <div class="segmented" role="group" aria-label="History length">
          {(["7", "30", "90"] as const).map((d) => (
            <button key={d} type="button" aria-pressed={days === d} onClick={() => setDays(d)}>
              {d} days
            </button>
          ))}
        </div>
      </div>
      <Async
        query={history}
        isEmpty={(h) => h.data.length === 0}
        empty={<p class="muted">No history stored yet.</p>}
      >
        {(h) => (
          <>
            <p class="muted">
              Mean {h.average === null ? "—" : gPerKwh(h.average)}, lowest{" "}
              {h.min === null ? "—" : gPerKwh(h.min)}, highest {h.max === null ? "—" : gPerKwh(h.max)} (actual
              where published, else forecast).
            </p>
            <Chart
              label={`Carbon intensity, last ${days} days, gCO₂/kWh`}
              kind="lines"
              axis="date"
              slot={1800}
              unit="gCO₂/kWh"
              x={h.data.map((r) => mid(r.from))}
              series={[
                { label: "Actual", values: h.data.map((r) => r.actual) },
                { label: "Forecast", values: h.data.map((r) => r.forecast) },
              ]}
              format={gPerKwh}
              slotLabel={(i) => formatDateTime(h.data[i].from)}
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
    </section>
  );
}

function GenerationMix() {
  const mix = useApi("/api/carbon-intensity/generation");
  return (
    <section class="card" data-testid="carbon-generation">
      <div class="card-head">
        <h2>Generation mix, last 24 hours</h2>
      </div>
      <Async
        query={mix}
        isEmpty={(m) => m.data.length === 0}
        empty={<p class="muted">No generation mix stored yet.</p>}
      >
        {(m) => {
          const fuels = [...new Set(m.data.flatMap((d) => d.generationmix.map((g) => g.fuel)))];
          return (
            <Chart
              label="Generation mix, % of generation by fuel"
              kind="lines"
              axis="time"
              slot={1800}
              unit="%"
              x={m.data.map((d) => mid(d.from))}
              series={fuels.map((fuel) => ({
                label: fuel,
                values: m.data.map((d) => d.generationmix.find((g) => g.fuel === fuel)?.perc ?? null),
              }))}
              format={(v) => `${v.toFixed(1)} %`}
              slotLabel={(i) => formatDateTime(m.data[i].from)}
            />
          );
        }}
      </Async>
    </section>
  );
}

function PortfolioEmissions() {
  const [range, setRange] = useState<DateRange>(() => quickRange("30d", today()));
  const portfolio = useApi("/api/portfolio/emissions", {
    params: { query: { ...range, granularity: "month" } },
  });
  return (
    <section class="card" data-testid="carbon-emissions">
      <div class="card-head">
        <h2>Emissions per site</h2>
        <DateRangePicker value={range} onChange={setRange} />
      </div>
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
    </section>
  );
}
