// A tiny line of a series (a site's daily kWh beside its name): SVG, no axes, a missing value is a gap.
export function Sparkline({
  values,
  label,
  width = 120,
  height = 28,
}: {
  values: (number | null)[];
  label: string;
  width?: number;
  height?: number;
}) {
  const present = values.filter((v): v is number => v !== null);
  const max = Math.max(0, ...present);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => (max > 0 ? height - 2 - ((height - 4) * v) / max : height - 2);
  // One path with a move wherever a value is missing, so a gap is not drawn as zero.
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) return void (pen = false);
    d += `${pen ? "L" : "M"}${(i * step).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return (
    <svg class="sparkline" width={width} height={height} role="img" aria-label={label}>
      <path d={d} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
