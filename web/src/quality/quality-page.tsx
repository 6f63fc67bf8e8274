// Data quality: the issues in scope, filtered by type, status and site (or a meter), with acknowledge
// and resolve (with a note) for managers, and each issue's link to its meter's chart at its days.
import { useState } from "preact/hooks";
import { QUALITY_STATUSES, QUALITY_TYPES, type QualityStatus, type QualityType } from "../../../src/enums";
import { api, type Answer } from "../api";
import { useCan } from "../auth/session";
import { useAction, useApi } from "../query";
import { Link, navigate, useLocation } from "../router";
import { ApiTable, countedPaging, dateColumn, RowButton } from "../ui/data-table";
import { Dialog } from "../ui/dialog";
import { Badge, EmptyState, PageHeader } from "../ui/feedback";
import { EnumFilter, Form, optionsOf, Select, TextField } from "../ui/form";
import { formatDay } from "../ui/format";
import { issueChartHref } from "./paths";

type Issue = Answer<"/api/quality/issues">["data"][number];

export const TYPE_LABELS: Record<QualityType, string> = {
  missing_periods: "Missing half-hours",
  missing_days: "Missing days",
  zero_run: "Zero run",
  flatline: "Flatline",
  outlier: "Outlier",
  stale: "Stale meter",
  estimated: "Mostly estimated",
};
const SEVERITY_TONES = { info: "info", warning: "warn", critical: "bad" } as const;
const STATUS_TONES = { open: "warn", acknowledged: "info", resolved: "good" } as const;

export function QualityPage() {
  const { search } = useLocation();
  const canChange = useCan("manager");
  const isAdmin = useCan("admin");
  const status = (search.get("status") ?? "") as QualityStatus | "";
  const type = (search.get("type") ?? "") as QualityType | "";
  const siteId = search.get("siteId") ? Number(search.get("siteId")) : undefined;
  const mpan = search.get("mpan") ?? undefined;
  const [page, setPage] = useState(1);
  const [changing, setChanging] = useState<{ issue: Issue; to: QualityStatus } | null>(null);
  const sites = useApi("/api/sites", { params: { query: { pageSize: 500 } } });
  const issues = useApi(
    "/api/quality/issues",
    { params: { query: { status: status || undefined, type: type || undefined, siteId, mpan, page } } },
    { keepPrevious: true },
  );
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setPage(1);
    navigate(`/quality${next.size ? `?${next.toString()}` : ""}`, true);
  };
  const run = useAction(() => api.post("/api/quality/run", { body: {} }), { invalidates: ["/api/quality"] });

  return (
    <>
      <PageHeader
        title="Data quality"
        subtitle="Where the readings are thin, odd or late. Checked after every import and every night."
        actions={
          isAdmin && (
            <button type="button" class="btn" disabled={run.busy} onClick={() => run.run()}>
              {run.busy ? "Checking…" : "Check now"}
            </button>
          )
        }
      />
      <div class="toolbar" role="search">
        <EnumFilter
          label="Type"
          any="All types"
          values={QUALITY_TYPES}
          value={type}
          onValue={(v) => setFilter("type", v)}
          labelOf={(v) => TYPE_LABELS[v]}
        />
        <EnumFilter
          label="Status"
          any="Any status"
          values={QUALITY_STATUSES}
          value={status}
          onValue={(v) => setFilter("status", v)}
        />
        <Select
          label="Site"
          any="All sites"
          value={String(siteId ?? "")}
          onValue={(v) => setFilter("siteId", v)}
          options={optionsOf(sites.data?.data ?? [])}
        />
        {mpan && (
          <button type="button" class="btn btn--small" onClick={() => setFilter("mpan", "")}>
            Meter {mpan} ✕
          </button>
        )}
      </div>
      <ApiTable
        testid="quality-table"
        query={issues}
        rowProps={(i) => ({ "data-issue": String(i.id) })}
        paging={countedPaging(page, setPage, issues.data?.total)}
        empty={
          <EmptyState
            title="No issues"
            text="Nothing matches these filters: the readings look complete and plausible."
          />
        }
        columns={[
          {
            header: "Severity",
            sort: (i) => i.severity,
            cell: (i) => <Badge tone={SEVERITY_TONES[i.severity]}>{i.severity}</Badge>,
          },
          { header: "Type", sort: (i) => i.type, class: "nowrap", cell: (i) => TYPE_LABELS[i.type] },
          {
            header: "Meter",
            class: "mono nowrap",
            cell: (i) => <Link href={`/meters/${i.mpan}`}>{i.mpan}</Link>,
          },
          {
            header: "Days",
            class: "nowrap",
            sort: (i) => i.from,
            cell: (i) => (i.from === i.to ? formatDay(i.from) : `${formatDay(i.from)} – ${formatDay(i.to)}`),
          },
          { header: "Detail", class: "issue-detail", cell: (i) => i.detail },
          {
            header: "Status",
            cell: (i) => (
              <>
                <Badge tone={STATUS_TONES[i.status]}>{i.status}</Badge>
                {i.note && <div class="small muted">{i.note}</div>}
              </>
            ),
          },
          dateColumn<Issue>("Last seen", (i) => i.lastSeen),
        ]}
        actions={(i) => (
          <>
            <Link
              href={issueChartHref(i)}
              class="btn btn--small"
              aria-label={`Open the chart of ${i.mpan} at ${i.from}`}
            >
              Chart
            </Link>
            {canChange && i.status === "open" && (
              <RowButton
                label="Acknowledge"
                name={`Acknowledge issue ${i.id}`}
                onClick={() => setChanging({ issue: i, to: "acknowledged" })}
              />
            )}
            {canChange && i.status !== "resolved" && (
              <RowButton
                label="Resolve"
                name={`Resolve issue ${i.id}`}
                onClick={() => setChanging({ issue: i, to: "resolved" })}
              />
            )}
            {canChange && i.status === "resolved" && (
              <RowButton
                label="Reopen"
                name={`Reopen issue ${i.id}`}
                onClick={() => setChanging({ issue: i, to: "open" })}
              />
            )}
          </>
        )}
      />
      {changing && <StatusDialog {...changing} onClose={() => setChanging(null)} />}
    </>
  );
}

function StatusDialog({ issue, to, onClose }: { issue: Issue; to: QualityStatus; onClose: () => void }) {
  const [note, setNote] = useState(issue.note ?? "");
  const verb = to === "acknowledged" ? "Acknowledge" : to === "resolved" ? "Resolve" : "Reopen";
  const action = useAction(
    () =>
      api.patch("/api/quality/issues/{id}", {
        params: { path: { id: issue.id } },
        body: { status: to, note: note.trim() || null },
      }),
    { invalidates: ["/api/quality"], onDone: onClose },
  );
  return (
    <Dialog title={`${verb} issue`} onClose={onClose}>
      <p>
        {TYPE_LABELS[issue.type]} on <span class="mono">{issue.mpan}</span>: {issue.detail}
      </p>
      <Form action={action} submitLabel={verb} onCancel={onClose} testid="issue-status-form">
        <TextField
          label="Note"
          name="note"
          rows={3}
          value={note}
          onValue={setNote}
          hint="Why, for whoever looks next."
        />
      </Form>
    </Dialog>
  );
}
