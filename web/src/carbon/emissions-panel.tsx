// Emissions beside consumption on a meter's or a site's page: a self-contained panel (its own range and
// requests) that those pages mount in one line. Location-based (every half-hour × the grid intensity of
// that half-hour) and fixed-factor figures side by side, what they rest on, and a daily chart; on a site
// the grid region used, chosen by hand by an administrator.
import { useState } from "preact/hooks";
import { GRID_REGIONS } from "../../../src/carbon/domain";
import { api, type Answer } from "../api";
import { useCan } from "../auth/session";
import { useAction, useApi } from "../query";
import { Async } from "../ui/async";
import { Chart } from "../ui/chart";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { Facts } from "../ui/feedback";
import { formatCo2, formatDay, formatKwh, formatPercent, today } from "../ui/format";

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

function EmissionFigures({ data, total, title }: Pick<Figures, "data" | "total"> & { title: string }) {
  // Each day's intensity is its grams over its kWh: the chart shows emissions with that beside them.
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
          label={`${title}: daily emissions, kgCO₂e, and mean intensity, g/kWh`}
          kind="lines"
          axis="date"
          slot={86_400}
          unit="kg / g/kWh"
          x={data.map((d) => Date.parse(`${d.from}T12:00:00Z`) / 1000)}
          series={[
            { label: "kgCO₂e", values: data.map((d) => d.gco2 / 1000) },
            {
              label: "g/kWh",
              values: data.map((d) =>
                d.kwh - d.unmatchedKwh > 0 ? d.gco2 / (d.kwh - d.unmatchedKwh) : null,
              ),
            },
          ]}
          format={(v) => v.toFixed(1)}
          slotLabel={(i) => formatDay(data[i].from)}
          height={200}
        />
      )}
    </>
  );
}

function useRange() {
  return useState<DateRange>(() => quickRange("30d", today()));
}

export function MeterEmissions({ mpan }: { mpan: string }) {
  const [range, setRange] = useRange();
  const figures = useApi("/api/meters/{mpan}/emissions", {
    params: { path: { mpan }, query: { ...range, granularity: "day" } },
  });
  return (
    <section class="card" data-testid="meter-emissions">
      <div class="card-head">
        <h2>Emissions</h2>
        <DateRangePicker value={range} onChange={setRange} />
      </div>
      <Async query={figures}>
        {(f) => <EmissionFigures data={f.data} total={f.total} title="This meter" />}
      </Async>
    </section>
  );
}

export function SiteEmissions({ siteId }: { siteId: number }) {
  const [range, setRange] = useRange();
  const figures = useApi("/api/sites/{id}/emissions", {
    params: { path: { id: siteId }, query: { ...range, granularity: "day" } },
  });
  return (
    <section class="card" data-testid="site-emissions">
      <div class="card-head">
        <h2>Emissions</h2>
        <DateRangePicker value={range} onChange={setRange} />
      </div>
      <GridRegion siteId={siteId} />
      <Async query={figures}>
        {(f) => (
          <>
            {f.fuels.electricity && <EmissionFigures {...f.fuels.electricity} title="Electricity" />}
            {f.fuels.gas && <EmissionFigures {...f.fuels.gas} title="Gas" />}
            {!f.fuels.electricity && !f.fuels.gas && <p class="muted">No meters on this site yet.</p>}
          </>
        )}
      </Async>
    </section>
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
