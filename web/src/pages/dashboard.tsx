// Dashboard: how many sites and meters, whether the platform is healthy, and the estate's recent
// consumption (the sum of the first meters' daily totals over the last 30 days), when readings exist.
import { api, meterReadings, type Meter } from "../api";
import { addDays, formatInt, formatKwh, londonDate } from "../format";
import { useResource } from "../resource";
import { Link } from "../router";
import { useCan } from "../session";
import { Chart } from "../ui/chart";
import { Badge, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";

const CHART_METERS = 12;

type Totals = { days: string[]; kwh: number[]; meters: number };

async function estateConsumption(meters: Meter[]): Promise<Totals | null> {
  const to = londonDate(new Date());
  const from = addDays(to, -29);
  const byDay = new Map<string, number>();
  let withData = 0;
  const results = await Promise.allSettled(
    meters.slice(0, CHART_METERS).map((m) => meterReadings(m.mpan, from, to, "day")),
  );
  for (const r of results) {
    if (r.status !== "fulfilled" || r.value.data.length === 0) continue;
    withData++;
    for (const d of r.value.data) byDay.set(d.date, (byDay.get(d.date) ?? 0) + d.kwh);
  }
  if (withData === 0) return null;
  const days = Array.from({ length: 30 }, (_, i) => addDays(from, i));
  return { days, kwh: days.map((d) => byDay.get(d) ?? 0), meters: withData };
}

export function DashboardPage() {
  const isAdmin = useCan("admin");
  const sites = useResource(() => api.get("/api/sites", { params: { query: { pageSize: 1 } } }), []);
  const meters = useResource(
    () => api.get("/api/meters", { params: { query: { pageSize: CHART_METERS } } }),
    [],
  );
  const health = useResource(() => api.get("/api/health"), []);
  const usage = useResource(
    () => (meters.data ? estateConsumption(meters.data.data) : Promise.resolve(null)),
    [meters.data],
  );

  const siteCount = sites.data?.total ?? sites.data?.data.length;
  const meterCount = meters.data?.total ?? meters.data?.data.length;

  return (
    <>
      <PageHeader title="Dashboard" subtitle="Your estate at a glance." />
      <section class="stats" aria-label="Summary">
        <Link href="/sites" class="stat" data-testid="stat-sites">
          <span class="stat-label">Sites</span>
          <span class="stat-value">{siteCount === undefined ? "…" : formatInt(siteCount)}</span>
        </Link>
        <Link href="/meters" class="stat" data-testid="stat-meters">
          <span class="stat-label">Meters</span>
          <span class="stat-value">{meterCount === undefined ? "…" : formatInt(meterCount)}</span>
        </Link>
        <div class="stat" data-testid="stat-health">
          <span class="stat-label">Platform health</span>
          <span class="stat-value stat-value--small">
            {health.data ? (
              <Badge
                tone={
                  health.data.status === "healthy"
                    ? "good"
                    : health.data.status === "degraded"
                      ? "warn"
                      : "bad"
                }
              >
                {health.data.status}
              </Badge>
            ) : health.error ? (
              <Badge tone="bad">unreachable</Badge>
            ) : (
              "…"
            )}
          </span>
        </div>
      </section>

      <section class="card">
        <div class="card-head">
          <h2>Consumption, last 30 days</h2>
          {usage.data && (
            <span class="muted">
              {usage.data.meters} meter{usage.data.meters === 1 ? "" : "s"} with readings
            </span>
          )}
        </div>
        {meters.error ? (
          <ErrorNotice error={meters.error} onRetry={meters.reload} />
        ) : meters.loading || usage.loading ? (
          <Loading label="Loading consumption…" />
        ) : usage.data ? (
          <>
            <p class="big-number">{formatKwh(usage.data.kwh.reduce((a, b) => a + b, 0))}</p>
            <Chart
              kind="bars"
              axis="date"
              label="Daily consumption, kWh"
              x={usage.data.days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000)}
              y={usage.data.kwh}
            />
          </>
        ) : meterCount === 0 ? (
          <EmptyState
            title="No meters yet"
            action={
              isAdmin && (
                <Link href="/meters" class="btn btn--primary">
                  Add a meter
                </Link>
              )
            }
          >
            <p>Add your sites and their meters first; consumption appears here once readings are imported.</p>
          </EmptyState>
        ) : (
          <EmptyState
            title="No readings in the last 30 days"
            action={
              isAdmin && (
                <Link href="/imports" class="btn btn--primary">
                  Import readings
                </Link>
              )
            }
          >
            <p>
              Import half-hourly or daily readings{" "}
              {isAdmin ? "on the Imports page" : "(an administrator can do this)"} and the estate's daily
              consumption will be charted here.
            </p>
          </EmptyState>
        )}
      </section>

      {health.data && (
        <section class="card">
          <div class="card-head">
            <h2>Health checks</h2>
          </div>
          <ul class="checks">
            {Object.entries(health.data.checks).map(([name, check]) => (
              <li key={name}>
                <Badge tone={check.status === "ok" ? "good" : check.status === "warn" ? "warn" : "bad"}>
                  {check.status}
                </Badge>
                <span class="check-name">{name.replace(/_/g, " ")}</span>
                <span class="muted check-detail">{check.detail}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
