// Every import job, newest first, with a status filter and search; refreshed every few seconds while
// any job on the page is still queued or processing.
import { useEffect, useState } from "preact/hooks";
import { isTerminalJobStatus, JOB_STATUSES } from "../../../src/enums";
import type { Answer, ImportJobSummary, JobStatus } from "../api";
import { useApi } from "../query";
import { Link } from "../router";
import { ApiTable, countedPaging, dateColumn, numberColumn } from "../ui/data-table";
import { EmptyState } from "../ui/feedback";
import { EnumFilter, useSearchBox } from "../ui/form";
import { formatBytes, formatInt } from "../ui/format";
import { JobStatusBadge, statusLabel } from "./status";

const PAGE_SIZE = 50;
const ACTIVE_REFRESH_MS = 3000;

const anyRunning = (list: Answer<"/api/import/jobs"> | undefined) =>
  Boolean(list?.data.some((j) => !isTerminalJobStatus(j.status)));

export function JobList() {
  const [status, setStatus] = useState<JobStatus | "">("");
  const [page, setPage] = useState(1);
  const [search, searchBox] = useSearchBox("Search jobs", "Search file name, notes, tags or batch id");
  useEffect(() => setPage(1), [status, search]);
  const jobs = useApi(
    "/api/import/jobs",
    { params: { query: { status: status || undefined, q: search || undefined, page } } },
    { keepPrevious: true, refetchInterval: (list) => (anyRunning(list) ? ACTIVE_REFRESH_MS : false) },
  );
  const total = jobs.data ? (jobs.data.total ?? jobs.data.data.length) : 0;

  return (
    <section>
      <div class="section-head">
        <h2>Jobs</h2>
        {jobs.data && <span class="muted">{formatInt(total)} in all</span>}
      </div>
      <div class="toolbar">
        {searchBox}
        <EnumFilter
          label="Status"
          any="Any status"
          values={JOB_STATUSES}
          value={status}
          onValue={setStatus}
          labelOf={statusLabel}
        />
      </div>
      <ApiTable
        testid="jobs-table"
        query={jobs}
        rowKey={(j) => j.batchId}
        paging={countedPaging(page, setPage, total, PAGE_SIZE)}
        empty={
          <EmptyState title={status || search ? "No jobs match" : "No imports yet"}>
            <p>
              {status || search
                ? "Try another status or search."
                : "Upload a readings file above; its job appears here."}
            </p>
          </EmptyState>
        }
        columns={[
          {
            header: "File",
            sort: (j) => j.fileName ?? j.batchId,
            cell: (j) => (
              <>
                <Link href={`/imports/${encodeURIComponent(j.batchId)}`}>{j.fileName ?? j.batchId}</Link>
                {j.dryRun && <span class="badge badge--neutral badge--inline">dry run</span>}
                <div class="muted small mono">{formatBytes(j.bytesTotal)}</div>
              </>
            ),
          },
          { header: "Status", sort: (j) => j.status, cell: (j) => <JobStatusBadge status={j.status} /> },
          { header: "Progress", class: "nowrap", sort: (j) => j.progress, cell: (j) => `${j.progress}%` },
          numberColumn<ImportJobSummary>("Rows", (j) => j.rowsImported, formatInt),
          numberColumn<ImportJobSummary>("Failed", (j) => j.rowsFailed, formatInt),
          dateColumn<ImportJobSummary>("Created", (j) => j.createdAt ?? j.startedAt),
          { header: "Notes", class: "truncate", cell: (j) => j.notes ?? "" },
        ]}
      />
    </section>
  );
}
