// One import job: live progress while it runs, then its counts, row errors and the full errors.csv.
import { useState } from "preact/hooks";
import { api, type ApiError } from "../api";
import { formatBytes, formatDateTime, formatInt } from "../format";
import { useLiveJob } from "../imports/live";
import { isTerminalJobStatus } from "../../../src/enums";
import { JobStatusBadge, ProgressBar } from "../imports/status";
import { Link } from "../router";
import { EmptyState, ErrorNotice, Loading, Notice, PageHeader } from "../ui/feedback";
import { asApiError } from "../ui/form";

export function ImportJobPage({ batchId }: { batchId: string }) {
  const { job, error, channel, reload } = useLiveJob(batchId);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: "cancel" | "retry") {
    setBusy(true);
    setActionError(null);
    try {
      await api.post(`/api/import/jobs/{batchId}/${action}`, { params: { path: { batchId } } });
      reload();
    } catch (err) {
      setActionError(asApiError(err));
    }
    setBusy(false);
  }

  const crumbs = (
    <p class="crumbs">
      <Link href="/imports">← Imports</Link>
    </p>
  );
  if (error && !job) {
    return (
      <>
        {crumbs}
        {error.status === 404 ? (
          <EmptyState
            title="Import job not found"
            action={
              <Link href="/imports" class="btn">
                Back to imports
              </Link>
            }
          >
            <p>No job {batchId} exists.</p>
          </EmptyState>
        ) : (
          <ErrorNotice error={error} onRetry={reload} />
        )}
      </>
    );
  }
  if (!job) return <Loading />;
  const running = !isTerminalJobStatus(job.status);
  const errors = job.errors ?? [];
  const warnings = job.warnings ?? [];

  return (
    <>
      {crumbs}
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
              <button type="button" class="btn" disabled={busy} onClick={() => act("cancel")}>
                Cancel job
              </button>
            )}
            {(job.status === "failed" || job.status === "cancelled" || (running && job.stalled)) && (
              <button type="button" class="btn btn--primary" disabled={busy} onClick={() => act("retry")}>
                Retry
              </button>
            )}
          </>
        }
      />
      {actionError && <ErrorNotice error={actionError} />}
      <section class="card" data-testid="job-progress">
        <div class="card-head">
          <h2>
            <JobStatusBadge status={job.status} />
          </h2>
          <span class="muted small" aria-live="polite">
            {running
              ? channel === "websocket"
                ? "Live"
                : channel === "polling"
                  ? "Updating every second"
                  : "Connecting…"
              : `Finished ${formatDateTime(job.finishedAt)}`}
          </span>
        </div>
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
        <dl class="facts facts--inline">
          <div>
            <dt>Rows read</dt>
            <dd>{formatInt(job.rowsProcessed)}</dd>
          </div>
          <div>
            <dt>Rows imported</dt>
            <dd>{formatInt(job.rowsImported)}</dd>
          </div>
          <div>
            <dt>Rows refused</dt>
            <dd>{formatInt(job.rowsFailed)}</dd>
          </div>
          <div>
            <dt>Half-hours written</dt>
            <dd>{formatInt(job.readingsWritten)}</dd>
          </div>
          <div>
            <dt>File</dt>
            <dd>
              {formatBytes(job.bytesDone)} of {formatBytes(job.bytesTotal)}
            </dd>
          </div>
          <div>
            <dt>Layout</dt>
            <dd>{job.format}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(job.startedAt)}</dd>
          </div>
          <div>
            <dt>Attempts</dt>
            <dd>{job.attempts}</dd>
          </div>
        </dl>
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
      </section>

      <section class="card">
        <div class="card-head">
          <h2>Row errors</h2>
          {job.rowsFailed > 0 && (
            <a
              class="btn btn--small"
              href={`/api/import/jobs/${encodeURIComponent(job.batchId)}/errors.csv`}
              download
            >
              Download all as errors.csv
            </a>
          )}
        </div>
        {errors.length === 0 ? (
          <p class="muted">{running ? "None so far." : "No rows were refused."}</p>
        ) : (
          <>
            {job.rowsFailed > errors.length && (
              <p class="muted">
                Showing the first {errors.length} of {formatInt(job.rowsFailed)}; the CSV has them all.
              </p>
            )}
            <div class="table-wrap">
              <table data-testid="job-errors">
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      Line
                    </th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {errors.map((e, i) => (
                    <tr key={i}>
                      <td class="num">{e.line}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        {warnings.length > 0 && (
          <>
            <h3>Warnings</h3>
            <ul class="plain-list">
              {warnings.map((w, i) => (
                <li key={i}>
                  Line {w.line}: {w.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
