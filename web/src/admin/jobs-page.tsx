// Admin → Scheduled jobs: every run of every job (cron, on demand, after imports), its duration,
// what it did and how it ended, and a chart of durations per job.
import { useState } from "preact/hooks";
import { EXECUTION_STATUSES, type ExecutionStatus } from "../../../src/enums";
import type { Answer } from "../api";
import { useApi } from "../query";
import { Chart } from "../ui/chart";
import { ApiTable, countedPaging, dateColumn, numberColumn } from "../ui/data-table";
import { Badge, EmptyState } from "../ui/feedback";
import { EnumFilter, Select } from "../ui/form";
import { formatDateTime, formatInt } from "../ui/format";
import { AdminFrame } from "./admin-frame";

type Execution = Answer<"/api/scheduler/executions">["data"][number];
const STATUS_TONES = { ok: "good", failed: "bad", skipped: "neutral" } as const;
const JOBS = ["aggregation", "data-quality", "import-watchdog", "cleanup", "carbon"];

export function JobsPage() {
  const [job, setJob] = useState("");
  const [status, setStatus] = useState<ExecutionStatus | "">("");
  const [page, setPage] = useState(1);
  const runs = useApi(
    "/api/scheduler/executions",
    { params: { query: { job: job || undefined, status: status || undefined, page } } },
    { keepPrevious: true, refetchInterval: 30_000 },
  );
  const finished = (runs.data?.data ?? []).filter((r) => r.durationMs !== null).reverse();
  return (
    <AdminFrame>
      <div class="toolbar">
        <Select
          label="Job"
          any="All jobs"
          value={job}
          onValue={(v) => (setJob(v), setPage(1))}
          options={JOBS.map((j) => ({ value: j, label: j }))}
        />
        <EnumFilter
          label="Status"
          any="Any status"
          values={EXECUTION_STATUSES}
          value={status}
          onValue={(v) => (setStatus(v), setPage(1))}
        />
      </div>
      {finished.length > 1 && (
        <section class="card" aria-label="Durations">
          <Chart
            label="Run durations"
            x={finished.map((r) => Math.floor(Date.parse(r.startedAt) / 1000))}
            slot={60}
            kind="bars"
            axis="date"
            unit="ms"
            series={[...new Set(finished.map((r) => r.job))].map((name) => ({
              label: name,
              values: finished.map((r) => (r.job === name ? r.durationMs : null)),
            }))}
            format={(v) => `${formatInt(v)} ms`}
            slotLabel={(i) => `${finished[i].job} at ${formatDateTime(finished[i].startedAt)}`}
            height={180}
          />
        </section>
      )}
      <ApiTable
        testid="jobs-table"
        query={runs}
        paging={countedPaging(page, setPage, runs.data?.total)}
        empty={
          <EmptyState
            title="No runs yet"
            text="Each cron tick and each on-demand run (Check now, a rebuild, an import's checks) is listed here."
          />
        }
        columns={[
          dateColumn<Execution>("Started", (r) => r.startedAt),
          { header: "Job", class: "mono nowrap", cell: (r) => r.job },
          { header: "Trigger", class: "mono nowrap small", cell: (r) => r.trigger },
          {
            header: "Status",
            cell: (r) =>
              r.status ? (
                <Badge tone={STATUS_TONES[r.status]}>{r.status}</Badge>
              ) : (
                <Badge tone="info">running</Badge>
              ),
          },
          {
            header: "Duration",
            class: "num",
            sort: (r) => r.durationMs,
            cell: (r) => (r.durationMs === null ? "—" : `${formatInt(r.durationMs)} ms`),
          },
          numberColumn<Execution>("Items", (r) => r.items, formatInt, false),
          numberColumn<Execution>("Rows written", (r) => r.rowsWritten, formatInt, false),
          { header: "Detail", class: "detail small", cell: (r) => r.error ?? r.detail ?? "" },
        ]}
      />
    </AdminFrame>
  );
}
