// Dashboard: how many sites and meters, whether the platform is healthy, and the estate's consumption
// over the last 30 days by fuel. Administrators also see each infrastructure check.
import type { Fuel } from "../api";
import { useCan } from "../auth/session";
import { useApi } from "../query";
import { Link } from "../router";
import { Chart } from "../ui/chart";
import { Badge, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { QualityCount } from "../quality/quality-badge";
import { formatDay, formatInt, formatKwh } from "../ui/format";
import { NoReadings } from "../imports/no-readings";
import { METER_LIMIT, useEstateConsumption, type EstateConsumption } from "./estate-consumption";

const HEALTH_TONE = { healthy: "good", degraded: "warn", critical: "bad" } as const;
const CHECK_TONE = { ok: "good", warn: "warn", fail: "bad", not_configured: "neutral" } as const;
const FUEL_LABEL: Record<Fuel, string> = { electricity: "Electricity", gas: "Gas" };

export function DashboardPage() {
  const isAdmin = useCan("admin");
  const sites = useApi("/api/sites", { params: { query: { pageSize: 1 } } });
  const health = useApi("/api/health");
  const usage = useEstateConsumption();
  const siteCount = sites.data?.total ?? sites.data?.data.length;
  const meterCount = usage.state === "ready" || usage.state === "too-many" ? usage.meters : undefined;

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
        <QualityCount />
        <div class="stat" data-testid="stat-health">
          <span class="stat-label">Platform health</span>
          <span class="stat-value stat-value--small">
            {health.data ? (
              <Badge tone={HEALTH_TONE[health.data.status]}>{health.data.status}</Badge>
            ) : health.error ? (
              <Badge tone="bad">unreachable</Badge>
            ) : (
              "…"
            )}
          </span>
        </div>
      </section>

      <section class="card" data-testid="consumption">
        <div class="card-head">
          <h2>Consumption, last 30 days</h2>
          {usage.state === "ready" && (
            <span class="muted">
              Every meter you can see: {usage.fuels.map((f) => `${f.meters} ${f.fuel}`).join(", ")}
            </span>
          )}
        </div>
        <Consumption usage={usage} isAdmin={isAdmin} />
      </section>

      {isAdmin && health.data && (
        <section class="card" data-testid="health-checks">
          <div class="card-head">
            <h2>Health checks</h2>
          </div>
          <ul class="checks">
            {Object.entries(health.data.checks).map(([name, check]) => (
              <li key={name}>
                <Badge tone={CHECK_TONE[check.status]}>{check.status.replace(/_/g, " ")}</Badge>
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

function Consumption({ usage, isAdmin }: { usage: EstateConsumption; isAdmin: boolean }) {
  if (usage.state === "loading") return <Loading label="Loading consumption…" />;
  if (usage.state === "error") return <ErrorNotice error={usage.error} onRetry={usage.retry} />;
  if (usage.state === "too-many")
    return (
      <p class="muted">
        The estate total covers up to {formatInt(METER_LIMIT)} meters until estate analytics arrive; you can
        see {formatInt(usage.meters)}. Each meter's page shows its own consumption.
      </p>
    );
  if (usage.meters === 0)
    return (
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
    );
  if (usage.fuels.every((f) => f.withReadings === 0))
    return (
      <NoReadings
        title="No readings in the last 30 days"
        admin="Import half-hourly or daily readings on the Imports page and the estate's daily consumption will be charted here."
        others="The estate's daily consumption is charted here once an administrator imports readings."
      />
    );
  return (
    <>
      <div class="fuel-totals">
        {usage.fuels.map((f) => (
          <div key={f.fuel} data-testid={`total-${f.fuel}`}>
            <span class="stat-label">{FUEL_LABEL[f.fuel]}</span>
            <span class="big-number">{formatKwh(f.total)}</span>
            <span class="muted small">
              {f.withReadings} of {f.meters} meter{f.meters === 1 ? "" : "s"} with readings
            </span>
          </div>
        ))}
      </div>
      <Chart
        label="Daily consumption by fuel, kWh"
        axis="date"
        slot={86_400}
        unit="kWh"
        x={usage.days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000)}
        series={usage.fuels.map((f) => ({ label: FUEL_LABEL[f.fuel], values: f.kwh }))}
        format={formatKwh}
        slotLabel={(i) => formatDay(usage.days[i])}
      />
    </>
  );
}
