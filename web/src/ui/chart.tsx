// A chart of values over time slots (days, half-hours): bars or lines, several series, the slot and its
// values on hover, drag to zoom, double-click (or the button) to zoom out, click a slot to drill down.
// uPlot is loaded with the first chart on screen, so pages without a chart (sign-in) never fetch it.
// One uPlot instance lives as long as the chart does; new data goes in with setData.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChartHandle } from "./chart-uplot";

export type ChartSeries = {
  label: string;
  values: (number | null)[];
  color?: string;
  /** Overrides the chart's kind for this series: a line over bars (last year, a baseload). */
  kind?: "bars" | "line";
  /** A unit other than the chart's goes on a second axis at the right (kW beside kWh). */
  unit?: string;
  /** This series' values on hover, when not the chart's `format`. */
  format?: (value: number) => string;
  /** Drawn dashed (a comparison line). */
  dashed?: boolean;
};

export type ChartProps = {
  /** The accessible name, e.g. "Daily kWh, 2026-11-01 to 2026-11-30". */
  label: string;
  /** The middle of each slot, in seconds since the epoch. */
  x: number[];
  /** How long a slot is, in seconds (86,400 for days, 1,800 for half-hours). */
  slot: number;
  series: ChartSeries[];
  kind?: "bars" | "lines";
  /** Bars stacked one on another (parts of a whole, e.g. a bill), not side by side; the tooltip shows each part. */
  stacked?: boolean;
  /** Ticks on days ("3 Nov") or on the clock ("13:00"; days when more than two are shown). */
  axis: "date" | "time";
  /** The y axis's unit, e.g. "kWh". */
  unit: string;
  /** A value as the tooltip shows it, with its unit. */
  format: (value: number) => string;
  /** The tooltip's heading for slot i, e.g. "Sun 25 Oct 2026" or "23:30–24:00". */
  slotLabel: (i: number) => string;
  /** Called with a slot's index when it is clicked (not dragged). */
  onSelect?: (i: number) => void;
  /** Slots to shade behind the series (a data-quality issue's half-hours), by index. */
  highlight?: number[];
  height?: number;
};

/** Series colours in order: the accent teal, then amber (gas beside electricity), blue and violet. */
const PALETTE = ["#0f766e", "#b45309", "#1d4f91", "#7c3aed"];

let loading: Promise<typeof import("./chart-uplot")> | null = null;
const loadUplot = () => (loading ??= import("./chart-uplot"));

export function Chart(given: ChartProps) {
  const series = given.series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length] }));
  const props = { ...given, series };
  const host = useRef<HTMLDivElement>(null);
  const handle = useRef<ChartHandle | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [zoomed, setZoomed] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let gone = false;
    loadUplot().then(
      ({ createChart }) => {
        if (gone || !host.current) return;
        handle.current = createChart(host.current, latest.current, setZoomed);
      },
      () => !gone && setFailed(true),
    );
    return () => {
      gone = true;
      handle.current?.destroy();
      handle.current = null;
    };
  }, []);

  useEffect(() => {
    handle.current?.update(props);
  });

  return (
    <div class="chart-frame" style={{ minHeight: `${props.height ?? 260}px` }}>
      {zoomed && (
        <button type="button" class="btn btn--small chart-reset" onClick={() => handle.current?.resetZoom()}>
          Reset zoom
        </button>
      )}
      {series.length > 1 && (
        <ul class="chart-legend">
          {series.map((s) => (
            <li key={s.label}>
              <span class="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      )}
      {failed && <p class="muted">The chart could not be loaded; reload the page to try again.</p>}
      <div class="chart" ref={host} role="img" aria-label={props.label} data-testid="chart" />
    </div>
  );
}
