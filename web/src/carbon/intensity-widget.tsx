// The dashboard's grid carbon widget: the national intensity now in its band's colour, where it is
// heading, when it was last updated, and (for managers) a refresh that polls the API at once.
import { api, type Answer } from "../api";
import { useCan } from "../auth/session";
import { useAction, useApi } from "../query";
import { Link } from "../router";
import { ErrorNotice, Loading } from "../ui/feedback";
import { formatDateTime } from "../ui/format";

const ARROWS = { rising: "↑", falling: "↓", steady: "→" } as const;

export function CarbonWidget() {
  const canRefresh = useCan("manager");
  // Followed every 5 minutes: the figure changes each half-hour.
  const current = useApi("/api/carbon-intensity", {}, { refetchInterval: 300_000 });
  const refresh = useAction(() => api.post("/api/carbon-intensity/refresh"), {
    invalidates: ["/api/carbon-intensity"],
  });
  return (
    <section class="card carbon-widget" data-testid="carbon-widget" aria-label="Grid carbon intensity">
      <div class="card-head">
        <h2>
          <Link href="/carbon">Grid carbon intensity</Link>
        </h2>
        {canRefresh && (
          <button type="button" class="btn btn--small" disabled={refresh.busy} onClick={() => refresh.run()}>
            {refresh.busy ? "Refreshing…" : "Refresh"}
          </button>
        )}
      </div>
      {refresh.error && <ErrorNotice error={refresh.error} />}
      {current.isPending ? (
        <Loading label="Loading carbon intensity…" />
      ) : current.error?.status === 404 ? (
        <p class="muted">No figures yet: they arrive with the first poll of the Carbon Intensity API.</p>
      ) : current.error ? (
        <ErrorNotice error={current.error} onRetry={() => current.refetch()} />
      ) : (
        <CurrentIntensity c={current.data!} />
      )}
    </section>
  );
}

type Current = Answer<"/api/carbon-intensity">;

function CurrentIntensity({ c }: { c: Current }) {
  const value = c.intensity.actual ?? c.intensity.forecast;
  return (
    <div class="carbon-now">
      <span class="carbon-band" data-testid="carbon-band" style={{ background: c.colour }}>
        {c.intensity.index ?? "unknown"}
      </span>
      <span class="big-number" data-testid="carbon-value">
        {value === null ? "—" : `${Math.round(value)} gCO₂/kWh`}
      </span>
      <span class="carbon-trend" title={`trend: ${c.trend}`} aria-label={`trend ${c.trend}`}>
        {ARROWS[c.trend]}
      </span>
      <span class="muted small">
        {c.intensity.actual === null ? "forecast" : "actual"} for {formatDateTime(c.from)}; updated{" "}
        {formatDateTime(c.updatedAt)}
        {c.demo && " (demo figures until the first poll)"}
      </span>
    </div>
  );
}
