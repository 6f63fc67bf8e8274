// Quality badges: open issues of a meter or a site (one line to mount on their pages), and the count
// for the dashboard. Both link to the data-quality page filtered to what they count.
import { Link } from "../router";
import { useApi } from "../query";
import { formatInt } from "../ui/format";
import { qualityHref } from "./paths";

export function QualityBadge({ mpan, siteId }: { mpan?: string; siteId?: number }) {
  const counts = useApi("/api/quality/counts", { params: { query: { mpan, siteId } } });
  const c = counts.data;
  if (!c) return null;
  const tone = c.critical > 0 ? "bad" : c.warning > 0 ? "warn" : c.total > 0 ? "info" : "good";
  return (
    <Link href={qualityHref({ mpan, siteId })} class={`badge badge--${tone}`} data-testid="quality-badge">
      {c.total === 0 ? "No data issues" : `${formatInt(c.total)} data issue${c.total === 1 ? "" : "s"}`}
      {c.critical > 0 ? ` (${formatInt(c.critical)} critical)` : ""}
    </Link>
  );
}

/** A dashboard tile: open data-quality issues in the caller's scope. */
export function QualityCount() {
  const counts = useApi("/api/quality/counts");
  const c = counts.data;
  return (
    <Link href="/quality?status=open" class="stat" data-testid="stat-quality">
      <span class="stat-label">Data issues</span>
      <span class="stat-value">{c ? formatInt(c.total) : "…"}</span>
      {c && c.critical > 0 && <span class="badge badge--bad">{formatInt(c.critical)} critical</span>}
    </Link>
  );
}
