// Links into the data-quality page and from an issue to its meter's chart.
import { addDays } from "../../../src/time/settlement";

/** The quality page filtered to a meter or a site. */
export const qualityHref = (filter: { mpan?: string; siteId?: number }) =>
  filter.mpan
    ? `/quality?mpan=${filter.mpan}`
    : filter.siteId
      ? `/quality?siteId=${filter.siteId}`
      : "/quality";

/**
 * The meter's chart zoomed to an issue's days (a day either side for context), the day opened and the
 * affected half-hours named: `/meters/:mpan?from=&to=&day=&periods=3,4` (read by chartLinkOf in
 * ../meters/paths.ts).
 */
export function issueChartHref(issue: { mpan: string; from: string; to: string; periods: number[] | null }) {
  const q = new URLSearchParams({ from: addDays(issue.from, -1), to: addDays(issue.to, 1), day: issue.from });
  if (issue.periods?.length) q.set("periods", issue.periods.join(","));
  return `/meters/${issue.mpan}?${q.toString()}`;
}
