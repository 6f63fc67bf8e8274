// One meter: its details, daily consumption over the last 30 days and the half-hourly profile of a
// chosen day, both from GET /api/meters/:mpan/readings.
import { useMemo, useState } from "preact/hooks";
import { api, meterReadings } from "../api";
import { addDays, formatKwh, londonDate } from "../format";
import { useResource } from "../resource";
import { Link, navigate } from "../router";
import { useCan } from "../session";
import { Chart } from "../ui/chart";
import { CopyButton } from "../ui/copy-button";
import { Badge, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { MeterFormDialog } from "./meter-form";
import { DeleteMeterDialog } from "./meters";

const DAYS = 30;

export function MeterDetailPage({ mpan }: { mpan: string }) {
  const isAdmin = useCan("admin");
  const meter = useResource(() => api.get("/api/meters/{mpan}", { params: { path: { mpan } } }), [mpan]);
  const [to, setTo] = useState(() => londonDate(new Date()));
  const from = addDays(to, -(DAYS - 1));
  const days = useResource(() => meterReadings(mpan, from, to, "day"), [mpan, from, to]);
  const [chosen, setChosen] = useState<string | null>(null);
  const latestWithData = days.data?.data.filter((d) => d.kwh > 0 || (d.periods ?? 0) > 0).at(-1)?.date;
  const day = chosen ?? latestWithData ?? null;
  const halfHours = useResource(
    () => (day ? meterReadings(mpan, day, day, "hh") : Promise.resolve(null)),
    [mpan, day],
  );
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const daily = useMemo(() => {
    if (!days.data) return null;
    const byDate = new Map(days.data.data.map((d) => [d.date, d]));
    const dates = Array.from({ length: DAYS }, (_, i) => addDays(from, i));
    return {
      x: dates.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000),
      y: dates.map((d) => byDate.get(d)?.kwh ?? null),
      total: days.data.data.reduce((a, d) => a + d.kwh, 0),
      incomplete: days.data.data.filter((d) => d.periods !== null && d.periods < d.expectedPeriods).length,
      estimated: days.data.data.filter((d) => d.estimated).length,
    };
  }, [days.data, from]);

  const profile = useMemo(() => {
    const rows = halfHours.data?.data ?? [];
    if (!rows.length) return null;
    return {
      x: rows.map((r) => Date.parse(r.start) / 1000),
      y: rows.map((r) => r.kwh),
      total: rows.reduce((a, r) => a + r.kwh, 0),
      peak: rows.reduce((a, r) => (r.kwh > a.kwh ? r : a), rows[0]),
      count: rows.length,
    };
  }, [halfHours.data]);

  if (meter.error) {
    return (
      <>
        <p class="crumbs">
          <Link href="/meters">← Meters</Link>
        </p>
        {meter.error.status === 404 ? (
          <EmptyState
            title="Meter not found"
            action={
              <Link href="/meters" class="btn">
                Back to meters
              </Link>
            }
          >
            <p>No meter {mpan} is visible to you.</p>
          </EmptyState>
        ) : (
          <ErrorNotice error={meter.error} onRetry={meter.reload} />
        )}
      </>
    );
  }
  if (!meter.data) return <Loading />;
  const m = meter.data;
  const readingsMissing = days.error?.status === 404;

  return (
    <>
      <p class="crumbs">
        <Link href="/meters">← Meters</Link>
      </p>
      <PageHeader
        title={m.name || `Meter ${m.mpan}`}
        subtitle={
          <>
            <span class="mono">{m.mpan}</span> <CopyButton value={m.mpan} label={`Copy ${m.mpan}`} /> at{" "}
            <Link href={`/sites/${m.siteId}`}>{m.siteName}</Link>
          </>
        }
        actions={
          isAdmin && (
            <>
              <button type="button" class="btn" onClick={() => setEditing(true)}>
                Edit meter
              </button>
              <button type="button" class="btn btn--danger-quiet" onClick={() => setDeleting(true)}>
                Delete meter
              </button>
            </>
          )
        }
      />
      <dl class="facts card">
        <div>
          <dt>Fuel</dt>
          <dd>
            <Badge tone={m.fuel === "gas" ? "warn" : "info"}>{m.fuel}</Badge>
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <Badge tone={m.status === "active" ? "good" : "neutral"}>{m.status}</Badge>
          </dd>
        </div>
        <div>
          <dt>Supplier</dt>
          <dd>{m.supplierName ?? "—"}</dd>
        </div>
        <div>
          <dt>Serial</dt>
          <dd>{m.serial ?? "—"}</dd>
        </div>
      </dl>

      <section class="card">
        <div class="card-head">
          <h2>Daily consumption</h2>
          <div class="period-nav">
            <button
              type="button"
              class="btn btn--small"
              aria-label="Previous 30 days"
              onClick={() => setTo(addDays(to, -DAYS))}
            >
              ←
            </button>
            <span class="muted nowrap">
              {from} to {to}
            </span>
            <button
              type="button"
              class="btn btn--small"
              aria-label="Next 30 days"
              disabled={to >= londonDate(new Date())}
              onClick={() => setTo(addDays(to, DAYS))}
            >
              →
            </button>
          </div>
        </div>
        {readingsMissing ? (
          <EmptyState title="Readings are not available yet">
            <p>
              The readings service is not switched on for this installation. Once it is, this meter's
              consumption appears here.
            </p>
          </EmptyState>
        ) : days.error ? (
          <ErrorNotice error={days.error} onRetry={days.reload} />
        ) : !daily ? (
          <Loading label="Loading readings…" />
        ) : daily.y.every((v) => v === null) ? (
          <EmptyState
            title="No readings in these 30 days"
            action={
              isAdmin && (
                <Link href="/imports" class="btn btn--primary">
                  Import readings
                </Link>
              )
            }
          >
            <p>
              {isAdmin
                ? "Import this meter's half-hourly or daily readings on the Imports page, or look at an earlier period."
                : "Readings appear once an administrator imports them. Try an earlier period."}
            </p>
          </EmptyState>
        ) : (
          <>
            <p class="big-number">{formatKwh(daily.total)}</p>
            {(daily.incomplete > 0 || daily.estimated > 0) && (
              <p class="muted">
                {daily.incomplete > 0 &&
                  `${daily.incomplete} day${daily.incomplete === 1 ? "" : "s"} with missing half-hours. `}
                {daily.estimated > 0 &&
                  `${daily.estimated} day${daily.estimated === 1 ? "" : "s"} include estimated values.`}
              </p>
            )}
            <Chart kind="bars" axis="date" label={`Daily kWh, ${from} to ${to}`} x={daily.x} y={daily.y} />
          </>
        )}
      </section>

      {!readingsMissing && (
        <section class="card">
          <div class="card-head">
            <h2>Half-hourly profile</h2>
            <label class="inline-field">
              <span>Day</span>
              <input
                type="date"
                value={day ?? ""}
                max={londonDate(new Date())}
                onChange={(e) => setChosen(e.currentTarget.value || null)}
              />
            </label>
          </div>
          {!day ? (
            <p class="muted">Choose a day to see its half-hours.</p>
          ) : halfHours.error ? (
            <ErrorNotice error={halfHours.error} onRetry={halfHours.reload} />
          ) : halfHours.loading ? (
            <Loading />
          ) : profile ? (
            <>
              <p class="muted">
                {formatKwh(profile.total)} over {profile.count} half-hours; peak {formatKwh(profile.peak.kwh)}{" "}
                at{" "}
                {new Date(profile.peak.start).toLocaleTimeString("en-GB", {
                  hour: "2-digit",
                  minute: "2-digit",
                  timeZone: "Europe/London",
                })}
              </p>
              <Chart
                kind="steps"
                axis="time"
                label={`Half-hourly kWh on ${day}`}
                x={profile.x}
                y={profile.y}
              />
            </>
          ) : (
            <p class="muted">No half-hourly readings on {day}.</p>
          )}
        </section>
      )}
      {editing && (
        <MeterFormDialog
          meter={m}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            meter.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteMeterDialog
          meter={m}
          onClose={() => setDeleting(false)}
          onDeleted={() => navigate("/meters")}
        />
      )}
    </>
  );
}
