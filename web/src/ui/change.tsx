// A comparison as a trend arrow: ▲ or ▼ with the change in percent against another span, greyed (and
// said so on hover) when that span's data is under 90 % complete, so a half-imported month does not
// pass for a real change.
import type { components } from "../api-schema";
import { formatDay, formatKwh } from "./format";

export type Comparison = components["schemas"]["Comparison"];

const pctFormat = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1, signDisplay: "never" });

/** "▲ 12.5%" / "▼ 3%" / "= 0%"; "—" when the other span used nothing (no percentage exists). */
export function changeText(changePct: number | null): string {
  if (changePct === null) return "—";
  // The arrow follows the figure shown: +0.03 % reads "= 0%", not "▲ 0%".
  const shown = Math.round(changePct * 10) / 10;
  const arrow = shown > 0 ? "▲" : shown < 0 ? "▼" : "=";
  return `${arrow} ${pctFormat.format(shown)}%`;
}

export function Change({ comparison: c, label }: { comparison: Comparison; label: string }) {
  const direction =
    c.changePct === null ? "none" : c.changePct > 0 ? "up" : c.changePct < 0 ? "down" : "flat";
  const span = c.from === c.to ? formatDay(c.from) : `${formatDay(c.from)} to ${formatDay(c.to)}`;
  const title =
    `${label}: ${formatKwh(c.kwh)} (${span})` +
    (c.partial ? "; that span's data is under 90% complete, so the change is not reliable" : "");
  return (
    <span
      class={`change change--${direction}${c.partial ? " change--partial" : ""}`}
      title={title}
      data-testid="change"
      data-partial={c.partial ? "true" : undefined}
    >
      <span class="change-value">{changeText(c.changePct)}</span> <span class="change-label">{label}</span>
      {c.partial && <span class="sr-only"> (partial data)</span>}
    </span>
  );
}

/** A figure's comparisons with the previous span and last year, side by side. */
export function Changes({ previous, lastYear }: { previous: Comparison; lastYear: Comparison }) {
  return (
    <span class="changes">
      <Change comparison={previous} label="vs previous span" />
      <Change comparison={lastYear} label="vs last year" />
    </span>
  );
}
