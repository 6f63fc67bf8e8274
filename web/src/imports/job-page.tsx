// One import job: live progress while it runs, then its counts, row errors and the full errors.csv.
import { api, type ImportJob } from "../api";
import { useAction } from "../query";
import { DetailFrame } from "../ui/async";
import { DataTable } from "../ui/data-table";
import { Card, ErrorNotice, Facts, Notice, PageHeader } from "../ui/feedback";
import { formatBytes, formatDateTime, formatInt } from "../ui/format";
import { isTerminalJobStatus } from "../../../src/enums";
import { useLiveJob, type LiveJob } from "./live";
import { RerunForm } from "./rerun-form";
import { JobStatusBadge, ProgressBar } from "./status";

export function ImportJobPage({ batchId }: { batchId: string }) {
  const { job, channel } = useLiveJob(batchId);
  return (
    <DetailFrame
      query={job}
      back="/imports"
      backLabel="Imports"
      notFound={["Import job not found", `No job ${batchId} exists.`]}
    >
      {(j) => <JobDetails job={j} channel={channel} />}
    </DetailFrame>
  );
}

function JobDetails({ job, channel }: { job: ImportJob; channel: LiveJob["channel"] }) {
  const batchId = job.batchId;
  const act = useAction(
    (action: "cancel" | "retry") =>
      api.post(`/api/import/jobs/{batchId}/${action}`, { params: { path: { batchId } } }),
    { invalidates: ["/api/import/jobs"] },
  );
  const running = !isTerminalJobStatus(job.status);
  const errors = job.errors ?? [];
  const warnings = job.warnings ?? [];

  return (
    <>
      <PageHeader
        title={job.fileName ?? job.batchId}
        subtitle={
          <>
            <span class="mono">{job.batchId}</span>
            {job.dryRun && " · dry run: nothing is written"}
          </>
        }
        actions={
          <>
            {running && (
              <button type="button" class="btn" disabled={act.busy} onClick={() => act.run("cancel")}>
                Cancel job
              </button>
            )}
            {(job.status === "failed" || job.status === "cancelled" || (running && job.stalled)) && (
              <button
                type="button"
                class="btn btn--primary"
                disabled={act.busy}
                onClick={() => act.run("retry")}
              >
                Retry
              </button>
            )}
          </>
        }
      />
      {act.error && <ErrorNotice error={act.error} />}
      <Card
        title={<JobStatusBadge status={job.status} />}
        testid="job-progress"
        actions={
          <span class="muted small" aria-live="polite">
            {running
              ? channel === "websocket"
                ? "Live"
                : channel === "polling"
                  ? "Updating every second"
                  : "Connecting…"
              : `Finished ${formatDateTime(job.finishedAt)}`}
          </span>
        }
      >
        <ProgressBar value={job.progress} label="Import progress" />
        {running && job.stalled && (
          <Notice kind="warn">
            <p>
              No progress since {formatDateTime(job.progressAt)}: its queued work may have been lost. The
              watchdog sends it again within minutes; Retry runs the whole file again now.
            </p>
          </Notice>
        )}
        {job.error && (
          <Notice kind="warn">
            <p>{job.error}</p>
          </Notice>
        )}
        <Facts
          inline
          items={[
            ["Rows read", formatInt(job.rowsProcessed)],
            ["Rows imported", formatInt(job.rowsImported)],
            ["Rows refused", formatInt(job.rowsFailed)],
            [job.dryRun ? "Half-hours it would write" : "Half-hours written", formatInt(job.readingsWritten)],
            ["File", `${formatBytes(job.bytesDone)} of ${formatBytes(job.bytesTotal)}`],
            ["Layout", job.format],
            ["Started", formatDateTime(job.startedAt)],
            // The quality rules and alarms run over the job's days once it has completed.
            ...(job.status.startsWith("completed") && !job.dryRun
              ? [
                  [
                    "Quality checks",
                    job.checkedAt ? `done ${formatDateTime(job.checkedAt)}` : "running…",
                  ] as [string, string],
                ]
              : []),
            // Attempts matter only when something was retried.
            ...(job.attempts > 0 ? [["Attempts", job.attempts] as [string, number]] : []),
          ]}
        />
        {job.detected && <DetectedFacts detected={job.detected} />}
        {(job.notes || job.tags.length > 0) && (
          <p class="muted job-notes">
            {job.notes}
            {job.tags.map((t) => (
              <span key={t} class="badge badge--neutral badge--inline">
                {t}
              </span>
            ))}
          </p>
        )}
      </Card>

      {!running && <RerunForm job={job} />}
      <Card
        title="Row errors"
        actions={
          job.rowsFailed > 0 && (
            <a
              class="btn btn--small"
              href={`/api/import/jobs/${encodeURIComponent(job.batchId)}/errors.csv`}
              download
            >
              Download all as errors.csv
            </a>
          )
        }
      >
        {errors.length === 0 ? (
          <p class="muted">{running ? "None so far." : "No rows were refused."}</p>
        ) : (
          <>
            {job.rowsFailed > errors.length && (
              <p class="muted">
                Showing the first {errors.length} of {formatInt(job.rowsFailed)}; the CSV has them all.
              </p>
            )}
            <DataTable
              testid="job-errors"
              rows={errors}
              rowKey={(_e, i) => i}
              columns={[
                { header: "Line", class: "num", sort: (e) => e.line, cell: (e) => e.line },
                { header: "Problem", cell: (e) => e.message },
              ]}
            />
          </>
        )}
        {warnings.length > 0 && (
          <>
            <h3>Warnings</h3>
            <ul class="plain-list" data-testid="job-warnings">
              {warnings.map((w) => (
                <li key={w.code}>
                  {w.message}
                  {(w.count > 1 || w.lines.length > 0) && (
                    <span class="muted">
                      {" "}
                      ({w.count > 1 ? `${formatInt(w.count)} times` : "once"}
                      {w.lines.length > 0 &&
                        `; line${w.lines.length > 1 ? "s" : ""} ${w.lines.join(", ")}${w.count > w.lines.length ? "…" : ""}`}
                      )
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </>
  );
}

/** What the importer detected in the file, in words. */
function DetectedFacts({ detected: d }: { detected: NonNullable<ImportJob["detected"]> }) {
  const columns = Object.entries(d.columns)
    .map(([role, column]) => `${role}: ${typeof column === "number" ? `column ${column}` : column}`)
    .join(", ");
  return (
    <Facts
      inline
      items={[
        ["Detected layout", d.source ? `${d.layout} (${d.source})` : d.layout],
        ["Dates", `${d.dateOrder}${d.dateOrderSource === "assumed" ? " (assumed)" : ""}`],
        [
          "Timestamps label",
          `${d.timestampLabels}${d.timestampLabelsSource === "detected" ? " (detected)" : ""}`,
        ],
        ["Unit", d.unit],
        ["Interval", `${d.intervalMinutes} min`],
        ["Columns", columns],
        ...(d.meter ? [["Meter", d.meter] as [string, string]] : []),
        ...(d.conversion ? [["Conversion", d.conversion] as [string, string]] : []),
      ]}
    />
  );
}
