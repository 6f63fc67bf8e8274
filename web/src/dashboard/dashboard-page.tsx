// Dashboard: how many sites and meters, whether the platform is healthy, and the portfolio (every site
// in the user's scope) over a chosen range: electricity and gas apart, each against the previous span and
// last year, top sites with their daily sparkline, the baseload trend, and, for administrators, the latest
// imports and each infrastructure check.
import { useState } from "preact/hooks";
import type { Answer } from "../api";
import { BaseloadTrend, fuelsOf, FuelCard, FUEL_LABEL, useEstate, type Estate } from "../analytics/estate";
import { useCan } from "../auth/session";
import { JobStatusBadge } from "../imports/status";
import { NoReadings } from "../imports/no-readings";
import { CarbonWidget } from "../carbon/intensity-widget";
import { QualityCount } from "../quality/quality-badge";
import { useApi } from "../query";
import { Link } from "../router";
import { Async } from "../ui/async";
import { changeText } from "../ui/change";
import { DataTable, dateColumn } from "../ui/data-table";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { Badge, Card, EmptyState, PageHeader } from "../ui/feedback";
import { formatDateTime, formatInt, formatKwh, today } from "../ui/format";
import { Sparkline } from "../ui/sparkline";

const HEALTH_TONE = { healthy: "good", degraded: "warn", critical: "bad" } as const;
const CHECK_TONE = { ok: "good", warn: "warn", fail: "bad", not_configured: "neutral" } as const;
const TOP_SITES = 5;
const RECENT_IMPORTS = 5;

export function DashboardPage() {
  const isAdmin = useCan("admin");
  const sites = useApi("/api/sites", { params: { query: { pageSize: 1 } } });
  const meters = useApi("/api/meters", { params: { query: { pageSize: 1 } } });
  const health = useApi("/api/health");
  const [range, setRange] = useState<DateRange>(() => quickRange("30d", today()));
  const { now, lastYear } = useEstate(range);
  const count = (list: { total?: number; data: unknown[] } | undefined) =>
    list === undefined ? "…" : formatInt(list.total ?? list.data.length);

  return (
    <>
      <PageHeader title="Dashboard" subtitle="Your estate at a glance." />
      <section class="stats" aria-label="Summary">
        <Link href="/sites" class="stat" data-testid="stat-sites">
          <span class="stat-label">Sites</span>
          <span class="stat-value">{count(sites.data)}</span>
        </Link>
        <Link href="/meters" class="stat" data-testid="stat-meters">
          <span class="stat-label">Meters</span>
          <span class="stat-value">{count(meters.data)}</span>
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

      <div class="range-bar">
        {now.data && (
          <span class="muted small" data-testid="updated-at">
            Figures last updated {now.data.updatedAt ? formatDateTime(now.data.updatedAt) : "never"}
          </span>
        )}
        <DateRangePicker value={range} onChange={setRange} />
      </div>
      <Async query={now} loading="Loading consumption…">
        {(estate) => <Portfolio estate={estate} lastYear={lastYear.data} range={range} isAdmin={isAdmin} />}
      </Async>
      <CarbonWidget />

      {isAdmin && <RecentImports />}
      {isAdmin && health.data && (
        <Card title="Health checks" testid="health-checks">
          <ul class="checks">
            {Object.entries(health.data.checks).map(([name, check]) => (
              <li key={name}>
                <Badge tone={CHECK_TONE[check.status]}>{check.status.replace(/_/g, " ")}</Badge>
                <span class="check-name">{name.replace(/_/g, " ")}</span>
                <span class="muted check-detail">{check.detail}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

function Portfolio({
  estate,
  lastYear,
  range,
  isAdmin,
}: {
  estate: Estate;
  lastYear?: Estate;
  range: DateRange;
  isAdmin: boolean;
}) {
  const fuels = fuelsOf(estate);
  if (fuels.length === 0)
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
  if (fuels.every(([, f]) => f.kwh === 0 && f.completeness === 0))
    return (
      <NoReadings
        title="No readings in this range"
        admin="Import half-hourly or daily readings on the Imports page, or choose another range."
        others="The estate's consumption is shown here once an administrator imports readings. Try another range."
      />
    );
  const sites = "sites" in estate ? estate.sites.slice(0, TOP_SITES) : [];
  return (
    <>
      <div class="fuel-grid">
        {fuels.map(([fuel, f]) => (
          <FuelCard key={fuel} fuel={fuel} figures={f} lastYear={lastYear?.fuels[fuel]} />
        ))}
      </div>
      <div class="fuel-grid">
        <Card title="Top sites by consumption" testid="top-sites">
          <DataTable
            rows={sites}
            columns={[
              { header: "Site", cell: (s) => <Link href={`/sites/${s.id}`}>{s.name}</Link> },
              { header: FUEL_LABEL.electricity, class: "num", cell: (s) => formatKwh(s.electricityKwh) },
              { header: FUEL_LABEL.gas, class: "num", cell: (s) => formatKwh(s.gasKwh) },
              { header: "Change", class: "num nowrap", cell: (s) => changeText(s.changePct) },
              { header: "Daily", cell: (s) => <SiteSparkline id={s.id} name={s.name} range={range} /> },
            ]}
          />
        </Card>
        <BaseloadTrend estate={estate} />
      </div>
    </>
  );
}

/** A site's daily kWh of its main fuel (electricity, else gas) as a sparkline. */
function SiteSparkline({ id, name, range }: { id: number; name: string; range: DateRange }) {
  const site = useApi("/api/sites/{id}/consumption", {
    params: { path: { id }, query: { ...range, granularity: "day" } },
  });
  const f = site.data?.fuels.electricity ?? site.data?.fuels.gas;
  if (!f) return <span class="muted">…</span>;
  return (
    <Sparkline
      label={`${name}: daily kWh`}
      values={f.series.map((b) => (b.completeness === 0 ? null : b.kwh))}
    />
  );
}

type Job = Answer<"/api/import/jobs">["data"][number];

function RecentImports() {
  const jobs = useApi("/api/import/jobs");
  return (
    <Card title="Recent imports" testid="recent-imports" actions={<Link href="/imports">All imports</Link>}>
      <Async query={jobs}>
        {(list) => (
          <DataTable<Job>
            rows={list.data.slice(0, RECENT_IMPORTS)}
            rowKey={(j) => j.batchId}
            empty="No imports yet."
            columns={[
              {
                header: "File",
                cell: (j) => (
                  <Link href={`/imports/${encodeURIComponent(j.batchId)}`}>{j.fileName ?? j.batchId}</Link>
                ),
              },
              { header: "Status", cell: (j) => <JobStatusBadge status={j.status} /> },
              { header: "Rows", class: "num", cell: (j) => formatInt(j.rowsImported) },
              dateColumn<Job>("Created", (j) => j.createdAt ?? j.startedAt),
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
