// The chart's uPlot side, loaded on demand by ./chart.tsx. One uPlot instance per chart: new data goes
// in with setData; only a change of shape (series, kind, axis, height) builds a new one.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { addDays, settlementDayStartUtc, settlementPeriodAt } from "../../../src/time/settlement";
import type { ChartProps } from "./chart";

export type ChartHandle = {
  update: (props: ChartProps) => void;
  resetZoom: () => void;
  destroy: () => void;
};

const MIN_TICK_PX = 64;
/** The shade behind highlighted slots: amber, light enough for bars and gaps to read through it. */
const HIGHLIGHT_FILL = "rgba(217, 119, 6, 0.18)";
const DRAG_PX = 4;
/** A click waits this long for a second click, so a double-click zooms out without drilling down. */
const DOUBLE_CLICK_MS = 250;

const dayTick = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const clockTick = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

/** Days between day ticks on a clock axis zoomed out past two days (a year of half-hours). */
const DAY_STEPS = [1, 2, 7, 14, 28, 56, 91];

/** The first index whose x is at least `v` (x ascending). */
function lowerBound(x: number[], v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Day ticks sit under the bars' middles; clock ticks on London's whole hours between slots, or on
 * London's midnights when the clock would need ticks further apart than 12 hours. */
function ticks(u: uPlot, props: () => ChartProps, min: number, max: number): number[] {
  const { x, slot, axis } = props();
  const pxPerSlot = (u.over.clientWidth || 1) / ((max - min) / slot);
  const out: number[] = [];
  if (axis === "date") {
    const every = Math.max(1, Math.ceil(MIN_TICK_PX / pxPerSlot));
    for (let i = 0; i < x.length; i += every) if (x[i] >= min && x[i] <= max) out.push(x[i]);
    return out;
  }
  const hours = [1, 2, 3, 4, 6, 12].find((h) => ((h * 3600) / slot) * pxPerSlot >= MIN_TICK_PX);
  if (hours === undefined) {
    const days = DAY_STEPS.find((d) => ((d * 86_400) / slot) * pxPerSlot >= MIN_TICK_PX) ?? 182;
    for (let d = settlementPeriodAt(min * 1000).date; ; d = addDays(d, days)) {
      const start = settlementDayStartUtc(d) / 1000;
      if (start > max) break;
      if (start >= min) out.push(start);
    }
    return out;
  }
  // Slot starts, and the end of the last: on a clock-change day the wall clock, not elapsed time, picks them.
  for (let i = lowerBound(x, min - slot / 2); i <= x.length; i++) {
    const start = i < x.length ? x[i] - slot / 2 : x[x.length - 1] + slot / 2;
    if (start > max) break;
    if (start < min) continue;
    const clock = clockTick.format(start * 1000);
    if (clock.endsWith(":00") && Number(clock.slice(0, 2)) % hours === 0) out.push(start);
  }
  return out;
}

function tickLabel({ axis, x, slot }: ChartProps, at: number, spacing: number): string {
  if (axis === "date") return dayTick.format(at * 1000);
  // Midnights a day or more apart read as dates ("3 Nov"; London's midnight is 23:00 UTC in summer).
  if (spacing >= 82_800) return dayTick.format(at * 1000 + 3_600_000);
  // The end of the last half-hour is the day's midnight: 24:00, not the next day's 00:00.
  return at === x[x.length - 1] + slot / 2 ? "24:00" : clockTick.format(at * 1000);
}

const kindOf = (props: ChartProps, s: ChartProps["series"][number]) =>
  s.kind ?? (props.kind === "lines" ? "line" : "bars");
/** The second axis's unit, when a series has one other than the chart's. */
const secondUnit = (props: ChartProps) => props.series.find((s) => s.unit && s.unit !== props.unit)?.unit;
const scaleOf = (props: ChartProps, s: ChartProps["series"][number]) =>
  s.unit && s.unit !== props.unit ? "y2" : "y";

function seriesOptions(props: ChartProps, index: number): uPlot.Series {
  const s = props.series[index];
  const color = s.color!;
  const scale = scaleOf(props, s);
  if (kindOf(props, s) === "line")
    return {
      label: s.label,
      scale,
      stroke: color,
      width: 2,
      dash: s.dashed ? [6, 4] : undefined,
      points: { show: false },
    };
  // Bars of several series stand side by side within 80 % of the slot, or stacked across all of it: the
  // data of a stacked series is its running sum (dataOf), drawn from the previous series' sum up.
  const bars = props.series.filter((b) => kindOf(props, b) === "bars");
  const width = props.stacked ? props.slot * 0.8 : (props.slot * 0.8) / bars.length;
  const at = props.stacked ? 0 : bars.indexOf(s);
  const stackedFrom: uPlot.Series.BarsPathBuilderFacet | undefined = props.stacked
    ? { unit: 1, values: (u, i) => (i > 1 ? u.data[i - 1] : u.data[i].map(() => 0)) as number[] }
    : undefined;
  const stackedTo: uPlot.Series.BarsPathBuilderFacet | undefined = props.stacked
    ? { unit: 1, values: (u, i) => u.data[i] as number[] }
    : undefined;
  return {
    label: s.label,
    scale,
    stroke: color,
    fill: `${color}cc`,
    width: 0,
    points: { show: false },
    paths: uPlot.paths.bars!({
      disp: {
        x0: {
          unit: 1,
          values: (u) => Array.from(u.data[0], (v) => v - props.slot * 0.4 + at * width),
        },
        size: { unit: 1, values: () => [width] },
        y0: stackedFrom,
        y1: stackedTo,
      },
    }),
  };
}

function build(host: HTMLElement, props: () => ChartProps, onZoom: (zoomed: boolean) => void) {
  const p = props();
  const height = p.height ?? 260;
  const fullRange = (u: uPlot): [number, number] => {
    const xs = u.data[0];
    return [xs[0] - p.slot / 2, xs[xs.length - 1] + p.slot / 2];
  };
  const tip = document.createElement("div");
  tip.className = "chart-tip";
  tip.dataset.testid = "chart-tooltip";
  tip.hidden = true;

  const showTip = (u: uPlot) => {
    const i = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    if (i == null || left < 0) {
      tip.hidden = true;
      return;
    }
    const now = props();
    const heading = document.createElement("strong");
    heading.textContent = `${now.slotLabel(i)}${now.highlight?.includes(i) ? " (highlighted)" : ""}`;
    const lines = now.series.map((s) => {
      const line = document.createElement("div");
      const v = s.values[i];
      line.textContent = `${now.series.length > 1 ? `${s.label}: ` : ""}${v == null ? "no reading" : (s.format ?? now.format)(v)}`;
      return line;
    });
    tip.replaceChildren(heading, ...lines);
    tip.hidden = false;
    const room = u.over.clientWidth;
    const w = tip.offsetWidth;
    tip.style.left = `${left + 12 + w > room ? Math.max(0, left - 12 - w) : left + 12}px`;
  };

  const opts: uPlot.Options = {
    width: Math.max(280, host.clientWidth),
    height,
    legend: { show: false },
    cursor: {
      drag: { x: true, y: false, setScale: true },
      points: { show: false },
      y: false,
      // The hovered slot itself, even when it has no value, rather than the nearest one that has.
      dataIdx: (_u, _s, closest) => closest,
    },
    scales: {
      x: {
        time: false,
        // Whole slots at either end when showing everything; exactly the dragged span when zoomed.
        range: (u, min, max) => {
          const xs = u.data[0];
          return min === xs[0] && max === xs[xs.length - 1] ? fullRange(u) : [min, max];
        },
      },
      y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
      y2: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      {
        stroke: "#5b6b73",
        grid: { show: false },
        ticks: { show: true, stroke: "#c5cfd3", size: 4 },
        splits: (u, _a, min, max) => ticks(u, props, min, max),
        values: (_u, splits) =>
          splits.map((s) => tickLabel(props(), s, splits.length > 1 ? splits[1] - splits[0] : 0)),
      },
      {
        stroke: "#5b6b73",
        grid: { stroke: "#eef1f2" },
        ticks: { show: false },
        size: 56,
        label: p.unit,
        labelSize: 18,
      },
      ...(secondUnit(p)
        ? [
            {
              scale: "y2",
              side: 1,
              stroke: "#5b6b73",
              grid: { show: false },
              ticks: { show: false },
              size: 56,
              label: secondUnit(p),
              labelSize: 18,
            } satisfies uPlot.Axis,
          ]
        : []),
    ],
    series: [{}, ...p.series.map((_s, i) => seriesOptions(p, i))],
    hooks: {
      // Before the series, so the bars stand on the shade; a gap (no reading) still shows as shaded.
      drawClear: [(u) => shadeSlots(u, props())],
      setCursor: [showTip],
      setScale: [
        (u, key) => {
          if (key !== "x" || !u.data[0].length) return;
          const [lo, hi] = fullRange(u);
          onZoom((u.scales.x.min ?? lo) > lo + 1 || (u.scales.x.max ?? hi) < hi - 1);
        },
      ],
    },
  };
  const u = new uPlot(opts, dataOf(p), host);
  u.over.appendChild(tip);
  u.over.addEventListener("mouseleave", () => (tip.hidden = true));

  // A click (not the end of a drag) on a slot drills down, unless it turns out to be a double-click.
  let downX = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  u.over.addEventListener("mousedown", (e) => (downX = e.clientX));
  u.over.addEventListener("click", (e) => {
    clearTimeout(pending);
    const i = u.cursor.idx;
    if (!props().onSelect || i == null || e.detail > 1 || Math.abs(e.clientX - downX) > DRAG_PX) return;
    pending = setTimeout(() => props().onSelect?.(i), DOUBLE_CLICK_MS);
  });
  u.over.addEventListener("dblclick", () => clearTimeout(pending));
  u.over.classList.toggle("chart-over--clickable", Boolean(p.onSelect));
  return u;
}

/** Shades each highlighted slot the full height of the plot (canvas pixels, as uPlot draws). */
function shadeSlots(u: uPlot, { x, slot, highlight }: ChartProps) {
  if (!highlight?.length) return;
  const { ctx, bbox } = u;
  ctx.save();
  ctx.fillStyle = HIGHLIGHT_FILL;
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  for (const i of highlight) {
    if (x[i] === undefined) continue;
    const left = u.valToPos(x[i] - slot / 2, "x", true);
    ctx.fillRect(left, bbox.top, u.valToPos(x[i] + slot / 2, "x", true) - left, bbox.height);
  }
  ctx.restore();
}

function sameValues(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a === b || (a.length === b.length && a.every((v, i) => v === b[i]));
}

function dataOf(p: ChartProps): uPlot.AlignedData {
  if (!p.stacked) return [p.x, ...p.series.map((s) => s.values)];
  // Running sums, so the y scale reaches the top of each stack; a slot no series has stays empty.
  const sums: (number | null)[][] = [];
  p.series.forEach((s, k) =>
    sums.push(s.values.map((v, i) => (v == null ? (sums[k - 1]?.[i] ?? null) : (sums[k - 1]?.[i] ?? 0) + v))),
  );
  return [p.x, ...sums];
}

const shapeOf = (p: ChartProps) =>
  [
    p.kind ?? "bars",
    p.stacked ?? false,
    p.axis,
    p.height ?? 260,
    p.slot,
    p.unit,
    ...p.series.map((s) => `${kindOf(p, s)}:${scaleOf(p, s)}:${s.color}:${s.dashed ?? false}`),
  ].join("|");

export function createChart(
  host: HTMLElement,
  initial: ChartProps,
  onZoom: (zoomed: boolean) => void,
): ChartHandle {
  let props = initial;
  let shape = shapeOf(props);
  let u = build(host, () => props, onZoom);
  const resize = new ResizeObserver(() =>
    u.setSize({ width: Math.max(280, host.clientWidth), height: props.height ?? 260 }),
  );
  resize.observe(host);
  return {
    update(next) {
      const prev = props;
      props = next;
      if (shapeOf(next) !== shape) {
        shape = shapeOf(next);
        u.destroy();
        u = build(host, () => props, onZoom);
        onZoom(false);
        return;
      }
      // Pages may hand over equal arrays anew on each render; only different values go to setData.
      const changed =
        !sameValues(next.x, prev.x) ||
        next.series.some((s, i) => !sameValues(s.values, prev.series[i].values));
      if (changed) u.setData(dataOf(next));
      else if (!sameValues(next.highlight ?? [], prev.highlight ?? [])) u.redraw(false);
    },
    resetZoom() {
      const xs = u.data[0];
      if (xs.length) u.setScale("x", { min: xs[0], max: xs[xs.length - 1] });
    },
    destroy() {
      resize.disconnect();
      u.destroy();
    },
  };
}
