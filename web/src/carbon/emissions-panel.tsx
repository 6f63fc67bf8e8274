// Emissions beside consumption on a meter's or a site's page: a self-contained panel (its own range and
// requests) that those pages mount in one line. Location-based (every half-hour × the grid intensity of
// that half-hour) and fixed-factor figures side by side, what they rest on, and a chart of kWh (bars) with
// the grid intensity overlaid (line, right axis): per half-hour up to 7 days, per day beyond; on a site the
// grid region used, chosen by hand by an administrator.
import { useState } from "preact/hooks";
import { GRID_REGIONS } from "../../../src/carbon/domain";
import { api, type Answer } from "../api";
import { useCan } from "../auth/session";
import { useAction, useApi } from "../query";
import { Async } from "../ui/async";
import { Chart } from "../ui/chart";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { Card, Facts } from "../ui/feedback";
import {
  formatClock,
  formatCo2,
  formatDateTime,
  formatDay,
  formatKwh,
  formatPercent,
  today,
} from "../ui/format";
import { daysBetween } from "../../../src/time/settlement";

type Figures = Answer<"/api/meters/{mpan}/emissions">;
type Basis = Figures["total"]["basis"];

const BASIS_LABEL: Record<Basis, string> = {
  regional: "regional forecast",
  national_actual: "national actual",
  national_forecast: "national forecast",
  fixed_factor: "fixed factor",
  mixed: "mixed",
  none: "no intensity",
};

function basisText(total: Figures["total"]) {
  if (total.basis !== "mixed") return BASIS_LABEL[total.basis];
  return Object.entries(total.shares)
    .filter(([, share]) => share > 0)
    .map(([b, share]) => `${BASIS_LABEL[b as Basis]} ${formatPercent(share)}`)
    .join(", ");
}

/** Ranges up to this many days are charted per half-hour, longer ones per day. */
const MAX_HH_DAYS = 7;
type Granularity = "hh" | "day";
const granularityOf = (range: DateRange): Granularity =>
  daysBetween(range.from, range.to) + 1 <= MAX_HH_DAYS ? "hh" : "day";
/** How an answer is charted: by its own granularity, so the chart always matches the rows it has. */
const shownAs = (g: Figures["granularity"]): Granularity => (g === "hh" ? "hh" : "day");

const formatIntensity = (g: number) => `${Math.round(g)} gCO₂/kWh`;

function EmissionFigures({
  data,
  total,
  title,
  granularity,
  grid,
}: Pick<Figures, "data" | "total"> & { title: string; granularity: Granularity; grid: boolean }) {
  const hh = granularity === "hh";
  // A span's intensity is its grams over the kWh that met a figure: unmatched kWh carry no grams, so they
  // would pull the line towards zero (a half-hour with none matched has no point at all).
  const intensity = data.map((d) => (d.kwh - d.unmatchedKwh > 0 ? d.gco2 / (d.kwh - d.unmatchedKwh) : null));
  const kwh = { label: "Consumption, kWh", values: data.map((d) => d.kwh) };
  return (
    <>
      <Facts
        inline
        items={[
          [`${title}: kWh`, formatKwh(total.kwh)],
          ["Location-based", formatCo2(total.kgco2 * 1000)],
          ["Fixed-factor", formatCo2(total.fixedFactorKgco2 * 1000)],
          ["Basis", basisText(total)],
          ["Unmatched", formatKwh(total.unmatchedKwh)],
        ]}
      />
      {data.length > 0 && (
        <Chart
          label={`${title}: ${hh ? "half-hourly" : "daily"} kWh${grid ? " with grid intensity, gCO₂/kWh" : ""}`}
          kind="bars"
          axis={hh ? "time" : "date"}
          slot={hh ? 1800 : 86_400}
          unit="kWh"
          // A half-hour's middle, or a day's noon (the chart's x is the middle of each slot).
          x={data.map((d) =>
            hh ? Date.parse(d.from) / 1000 + 900 : Date.parse(`${d.from}T12:00:00Z`) / 1000,
          )}
          series={
            // Gas has no grid intensity (its figure is the fixed factor), so its chart is kWh alone.
            grid
              ? [
                  kwh,
                  {
                    label: "Grid intensity, gCO₂/kWh",
                    values: intensity,
                    kind: "line",
                    unit: "gCO₂/kWh",
                    format: formatIntensity,
                  },
                ]
              : [kwh]
          }
          format={formatKwh}
          slotLabel={(i) =>
            hh
              ? `${formatDateTime(data[i].from)}–${formatClock(Date.parse(data[i].to))}`
              : formatDay(data[i].from)
          }
          height={220}
        />
      )}
    </>
  );
}

function useRange() {
  return useState<DateRange>(() => quickRange("30d", today()));
}

/** `range`: the meter page's own range, which the panel follows (one range control per page); without it, its own. */
export function MeterEmissions({ mpan, range: pageRange }: { mpan: string; range?: DateRange }) {
  const [ownRange, setRange] = useRange();
  const range = pageRange ?? ownRange;
  const figures = useApi("/api/meters/{mpan}/emissions", {
    params: { path: { mpan }, query: { ...range, granularity: granularityOf(range) } },
  });
  return (
    <Card
      title="Emissions"
      testid="meter-emissions"
      actions={!pageRange && <DateRangePicker value={range} onChange={setRange} />}
    >
      <Async query={figures}>
        {(f) => (
          <EmissionFigures
            data={f.data}
            total={f.total}
            title="This meter"
            granularity={shownAs(f.granularity)}
            grid={f.fuel !== "gas"}
          />
        )}
      </Async>
    </Card>
  );
}

export function SiteEmissions({ siteId }: { siteId: number }) {
  const [range, setRange] = useRange();
  const figures = useApi("/api/sites/{id}/emissions", {
    params: { path: { id: siteId }, query: { ...range, granularity: granularityOf(range) } },
  });
  return (
    <Card
      title="Emissions"
      testid="site-emissions"
      actions={<DateRangePicker value={range} onChange={setRange} />}
    >
      <GridRegion siteId={siteId} />
      <Async query={figures}>
        {(f) => (
          <>
            {f.fuels.electricity && (
              <EmissionFigures
                {...f.fuels.electricity}
                title="Electricity"
                granularity={shownAs(f.granularity)}
                grid
              />
            )}
            {f.fuels.gas && (
              <EmissionFigures
                {...f.fuels.gas}
                title="Gas"
                granularity={shownAs(f.granularity)}
                grid={false}
              />
            )}
            {!f.fuels.electricity && !f.fuels.gas && <p class="muted">No meters on this site yet.</p>}
          </>
        )}
      </Async>
    </Card>
  );
}

function GridRegion({ siteId }: { siteId: number }) {
  const isAdmin = useCan("admin");
  const region = useApi("/api/sites/{id}/grid-region", { params: { path: { id: siteId } } });
  const choose = useAction(
    (regionId: number | null) =>
      api.put("/api/sites/{id}/grid-region", { params: { path: { id: siteId } }, body: { regionId } }),
    { invalidates: [`/api/sites/{id}`] },
  );
  const r = region.data;
  const how = !r?.source
    ? "not known yet"
    : r.source === "manual"
      ? "chosen by hand"
      : r.outward
        ? `from postcode ${r.outward}`
        : "demo data until the first poll looks the postcode up";
  return (
    <p class="muted" data-testid="grid-region">
      Grid region: <strong>{r?.name ?? "—"}</strong> ({how}).{" "}
      {isAdmin && (
        <select
          class="inline-select"
          aria-label="Choose the grid region"
          value={r?.source === "manual" ? String(r.regionId) : ""}
          disabled={choose.busy}
          onChange={(e) => {
            const v = e.currentTarget.value;
            void choose.run(v ? Number(v) : null);
          }}
        >
          <option value="">From the postcode</option>
          {Object.entries(GRID_REGIONS).map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      )}
    </p>
  );
}
