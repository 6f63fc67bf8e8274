// A heatmap of half-hours: one row per day, one cell per half-hour of that day (so a clock-change day
// has 46 or 50 narrower or wider cells across the same width), colour = value, a missing half-hour
// plain grey rather than drawn as zero, the cell's day, time and value on hover. Drawn on a canvas:
// a year is 17,520 cells.
import { useEffect, useRef, useState } from "preact/hooks";

export type HeatmapRow = { date: string; values: (number | null)[] };

type Props = {
  /** The accessible name. */
  label: string;
  rows: HeatmapRow[];
  unit: string;
  format: (value: number) => string;
  /** The hover heading of a cell: the day and the half-hour's times. */
  cellLabel: (row: HeatmapRow, index: number) => string;
  /** Labels of the rows' left gutter ("3 Nov"). */
  rowLabel: (date: string) => string;
};

const GUTTER = 56;
const AXIS = 18;
const MISSING = "#e3e7e9";
/** Low to high: pale, teal, dark blue (readable in grey, without red/green). */
const STOPS: [number, number, number][] = [
  [247, 252, 240],
  [123, 204, 196],
  [43, 140, 190],
  [8, 64, 129],
];

function colourOf(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return `rgb(${a.map((v, k) => Math.round(v + (b[k] - v) * f)).join(",")})`;
}

const RAMP = `linear-gradient(to right, ${[0, 1 / 3, 2 / 3, 1].map(colourOf).join(", ")})`;

function layout(width: number, rows: number) {
  const rowH = Math.max(2, Math.min(16, Math.floor(540 / Math.max(1, rows))));
  return { rowH, plotW: Math.max(50, width - GUTTER), height: rows * rowH + AXIS };
}

export function Heatmap(props: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<{ x: number; y: number; row: number; cell: number } | null>(null);
  const max = props.rows.reduce(
    (m, r) => r.values.reduce<number>((a, v) => (v !== null && v > a ? v : a), m),
    0,
  );

  useEffect(() => {
    const c = canvas.current!;
    const observer = new ResizeObserver(() => setWidth(c.clientWidth));
    observer.observe(c);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c || width === 0) return;
    const { rowH, plotW, height } = layout(width, props.rows.length);
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    c.style.height = `${height}px`;
    const g = c.getContext("2d")!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#5b6b73";
    g.textBaseline = "middle";
    const every = Math.max(1, Math.ceil(14 / rowH));
    props.rows.forEach((r, y) => {
      const n = r.values.length;
      const w = plotW / n;
      r.values.forEach((v, i) => {
        g.fillStyle = v === null ? MISSING : colourOf(max > 0 ? v / max : 0);
        // Each cell to the next one's start, so rounding leaves no seams.
        const x0 = GUTTER + Math.floor(i * w);
        g.fillRect(x0, y * rowH, GUTTER + Math.floor((i + 1) * w) - x0, rowH);
      });
      if (y % every === 0) {
        g.fillStyle = "#5b6b73";
        g.fillText(props.rowLabel(r.date), 0, y * rowH + Math.min(rowH * every, 14) / 2);
      }
    });
    g.fillStyle = "#5b6b73";
    g.textBaseline = "top";
    ["00:00", "06:00", "12:00", "18:00", "24:00"].forEach((t, k) => {
      g.textAlign = k === 0 ? "left" : k === 4 ? "right" : "center";
      g.fillText(t, GUTTER + (plotW * k) / 4, props.rows.length * rowH + 4);
    });
    g.textAlign = "left";
  }, [props.rows, width, max]);

  const onMove = (e: MouseEvent) => {
    const c = canvas.current!;
    const box = c.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    const { rowH, plotW } = layout(box.width, props.rows.length);
    const row = Math.floor(y / rowH);
    if (x < GUTTER || row < 0 || row >= props.rows.length) return setHover(null);
    const n = props.rows[row].values.length;
    setHover({ x, y, row, cell: Math.min(n - 1, Math.floor(((x - GUTTER) / plotW) * n)) });
  };

  const hovered = hover && props.rows[hover.row];
  const value = hovered ? hovered.values[hover!.cell] : null;
  return (
    <div class="heatmap">
      <canvas
        ref={canvas}
        role="img"
        aria-label={props.label}
        data-testid="heatmap"
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
      />
      {hover && hovered && (
        <div
          class="chart-tip"
          data-testid="heatmap-tooltip"
          style={{
            top: `${hover.y + 12}px`,
            left: hover.x > width / 2 ? undefined : `${hover.x + 12}px`,
            right: hover.x > width / 2 ? `${width - hover.x + 12}px` : undefined,
          }}
        >
          <strong>{props.cellLabel(hovered, hover.cell)}</strong>
          <div>{value === null ? "no reading" : props.format(value)}</div>
        </div>
      )}
      <div class="heatmap-scale" aria-hidden="true">
        <span>0 {props.unit}</span>
        <span class="heatmap-ramp" style={{ background: RAMP }} />
        <span>{props.format(max)} a half-hour</span>
        <span class="chart-swatch" style={{ background: MISSING }} /> no reading
      </div>
    </div>
  );
}
