// A site's consumption over a chosen range: per fuel its totals, comparisons, per-m² and per-normaliser
// figures, out-of-hours share and its meters stacked by share, the daily chart against last year and the
// baseload trend; and the dialog that edits what those figures divide by and count as working hours.
import { useQueries } from "@tanstack/preact-query";
import { useState } from "preact/hooks";
import { BaseloadTrend, fuelsOf, FuelCard, useEstate } from "../analytics/estate";
import { api, ApiError, type Fuel, type Meter, type Site } from "../api";
import { apiQuery, useAction } from "../query";
import { Link } from "../router";
import { Async } from "../ui/async";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { Dialog } from "../ui/dialog";
import { Figure } from "../ui/feedback";
import { bindIn, CheckField, Form, TextField } from "../ui/form";
import { formatKwh, formatPercent, today } from "../ui/format";
import { SITE_DATA } from "./site-dialogs";

const SHARE_COLOURS = ["#0f766e", "#1d4f91", "#7c3aed", "#b45309", "#0e7490", "#be185d"];

export function SiteConsumption({ site, meters }: { site: Site; meters: Meter[] }) {
  const [range, setRange] = useState<DateRange>(() => quickRange("30d", today()));
  const { now, lastYear } = useEstate(range, site.id);
  const outOfHours = useOutOfHours(meters, range);
  const names = new Map(meters.map((m) => [m.mpan, m.name || m.mpan]));
  return (
    <>
      <div class="range-bar">
        <DateRangePicker value={range} onChange={setRange} />
      </div>
      <Async query={now} loading="Loading consumption…">
        {(estate) =>
          fuelsOf(estate).length === 0 ? (
            <p class="muted">This site has no meters, so there is no consumption to show.</p>
          ) : (
            <>
              <div class="fuel-grid">
                {fuelsOf(estate).map(([fuel, f]) => {
                  const ooh = outOfHours[fuel];
                  const shares = estate.meters.filter((m) => m.fuel === fuel);
                  return (
                    <FuelCard key={fuel} fuel={fuel} figures={f} lastYear={lastYear.data?.fuels[fuel]}>
                      <Figure
                        label="Out of hours"
                        value={ooh && ooh.kwh > 0 ? formatPercent(ooh.outOfHours / ooh.kwh) : "—"}
                        testid={`ooh-${fuel}`}
                      >
                        {ooh
                          ? `${formatKwh(ooh.outOfHours)} outside working hours`
                          : "needs half-hourly readings"}
                      </Figure>
                      <div class="figure--wide" data-testid={`meters-${fuel}`}>
                        <span class="stat-label">Meters</span>
                        <div class="share-bar" role="img" aria-label={`${fuel} by meter`}>
                          {shares.map((m, i) => (
                            <span
                              key={m.mpan}
                              style={{ width: `${m.share * 100}%`, background: SHARE_COLOURS[i % 6] }}
                              title={`${names.get(m.mpan)}: ${formatKwh(m.kwh)} (${formatPercent(m.share)})`}
                            />
                          ))}
                        </div>
                        <span class="muted small">
                          {shares.map((m, i) => (
                            <span key={m.mpan}>
                              {i > 0 && "; "}
                              <span class="chart-swatch" style={{ background: SHARE_COLOURS[i % 6] }} />
                              <Link href={`/meters/${m.mpan}`}>{names.get(m.mpan)}</Link>{" "}
                              {formatPercent(m.share)}
                            </span>
                          ))}
                        </span>
                      </div>
                    </FuelCard>
                  );
                })}
              </div>
              <BaseloadTrend estate={estate} />
            </>
          )
        }
      </Async>
    </>
  );
}

/**
 * Out-of-hours kWh per fuel from the meters' summaries (a site has a handful of meters), against the kWh
 * of the meters that have half-hours: out-of-hours is only known where half-hours are.
 */
function useOutOfHours(meters: Meter[], range: DateRange) {
  const summaries = useQueries({
    queries: meters.map((m) =>
      apiQuery("/api/meters/{mpan}/summary", { params: { path: { mpan: m.mpan }, query: range } }),
    ),
  });
  const totals: Partial<Record<Fuel, { kwh: number; outOfHours: number }>> = {};
  for (const s of summaries) {
    if (!s.data || s.data.outOfHoursKwh === null) continue;
    const t = (totals[s.data.fuel] ??= { kwh: 0, outOfHours: 0 });
    t.kwh += s.data.kwh;
    t.outOfHours += s.data.outOfHoursKwh;
  }
  return totals;
}

type Row = { name: string; value: string };
type Times = { open: string; close: string; closed: boolean };

const timesOf = (t: Site["workingHours"]["weekday"]): Times =>
  t ? { ...t, closed: false } : { open: "08:00", close: "18:00", closed: true };

/** Edits a site's normalisers (what its consumption is divided by besides floor area) and working hours. */
export function SiteFiguresDialog({ site, onClose }: { site: Site; onClose: () => void }) {
  const [rows, setRows] = useState<Row[]>(() =>
    site.normalisers.map((n) => ({ name: n.name, value: String(n.value) })),
  );
  const [weekday, setWeekday] = useState(() => timesOf(site.workingHours.weekday));
  const [weekend, setWeekend] = useState(() => timesOf(site.workingHours.weekend));
  const save = useAction(
    () => {
      const normalisers = rows
        .filter((r) => r.name.trim() || r.value.trim())
        .map((r, i) => {
          const value = Number(r.value);
          if (!(value > 0))
            throw new ApiError(
              400,
              "client",
              `${r.name || "a normaliser"}: the value must be positive`,
              `normalisers.${i}.value`,
            );
          return { name: r.name.trim(), value };
        });
      const hours = (t: Times) => (t.closed ? null : { open: t.open.trim(), close: t.close.trim() });
      return api.patch("/api/sites/{id}", {
        params: { path: { id: site.id } },
        body: { normalisers, workingHours: { weekday: hours(weekday), weekend: hours(weekend) } },
      });
    },
    { invalidates: [...SITE_DATA, "/api/portfolio", "/api/reports"], onDone: onClose },
  );
  const setRow = (i: number, change: Partial<Row>) =>
    setRows((list) => list.map((r, k) => (k === i ? { ...r, ...change } : r)));
  const hoursFields = (label: string, t: Times, set: (t: Times) => void, key: string) => {
    const field = bindIn(`workingHours.${key}`, t, (change) => set({ ...t, ...change }));
    return (
      <fieldset class="form-row">
        <legend>{label}</legend>
        <CheckField checked={t.closed} onValue={(closed) => set({ ...t, closed })}>
          Closed all day
        </CheckField>
        {!t.closed && (
          <>
            <TextField label="Opens" {...field("open")} />
            <TextField label="Closes" {...field("close")} />
          </>
        )}
      </fieldset>
    );
  };
  return (
    <Dialog title={`Figures of ${site.name}`} onClose={onClose}>
      <Form action={save} testid="site-figures-form" submitLabel="Save" onCancel={onClose}>
        <h3>Normalisers</h3>
        <p class="muted small">
          Consumption is divided by floor area and by each of these, e.g. staff 350 or beds 120.
        </p>
        {rows.map((r, i) => {
          const field = bindIn(`normalisers.${i}`, r, (change) => setRow(i, change));
          return (
            <div class="form-row" key={i}>
              <TextField label="Name" {...field("name")} />
              <TextField label="Value" inputMode="decimal" {...field("value")} />
              <button
                type="button"
                class="btn btn--small btn--danger-quiet"
                aria-label={`Remove ${r.name || "normaliser"}`}
                onClick={() => setRows((list) => list.filter((_r, k) => k !== i))}
              >
                Remove
              </button>
            </div>
          );
        })}
        <button
          type="button"
          class="btn btn--small"
          onClick={() => setRows([...rows, { name: "", value: "" }])}
        >
          Add normaliser
        </button>
        <h3>Working hours</h3>
        <p class="muted small">
          Local time, on the half-hour (HH:MM); consumption outside them is out of hours.
        </p>
        {hoursFields("Monday to Friday", weekday, setWeekday, "weekday")}
        {hoursFields("Saturday and Sunday", weekend, setWeekend, "weekend")}
      </Form>
    </Dialog>
  );
}
