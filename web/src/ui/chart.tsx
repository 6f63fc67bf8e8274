// uPlot charts sized to their container: daily kWh as bars, a day's half-hours as a stepped line.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

type ChartProps = {
  /** x values in seconds since the epoch. */
  x: number[];
  y: (number | null)[];
  kind: "bars" | "steps";
  label: string;
  /** Days (date axis) or times of day (time axis). */
  axis: "date" | "time";
  height?: number;
};

const ACCENT = "#0f766e";

function axisValues(axis: "date" | "time") {
  const fmt =
    axis === "date"
      ? new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "Europe/London" })
      : new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" });
  return (_u: uPlot, splits: number[]) => splits.map((s) => fmt.format(new Date(s * 1000)));
}

export function Chart({ x, y, kind, label, axis, height = 260 }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const paths =
      kind === "bars" ? uPlot.paths.bars!({ size: [0.7, 40], align: 0 }) : uPlot.paths.stepped!({ align: 1 });
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Bars are centred on their day: pad the x range by half a bar so the first and last are whole.
        x: {
          time: true,
          range: kind === "bars" ? (_u, min, max) => [min - 43_200, max + 43_200] : undefined,
        },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { values: axisValues(axis), stroke: "#5b6b73", grid: { stroke: "#eef1f2" }, ticks: { show: false } },
        {
          stroke: "#5b6b73",
          grid: { stroke: "#eef1f2" },
          ticks: { show: false },
          size: 56,
          label: "kWh",
          labelSize: 18,
        },
      ],
      series: [
        {},
        {
          label,
          stroke: ACCENT,
          width: kind === "bars" ? 0 : 2,
          fill: kind === "bars" ? "rgba(15,118,110,0.75)" : "rgba(15,118,110,0.12)",
          paths,
          points: { show: false },
        },
      ],
    };
    const plot = new uPlot(opts, [x, y], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, y, kind, label, axis, height]);
  return <div class="chart" ref={host} role="img" aria-label={label} />;
}
