// How an import job's status reads: a coloured badge and whether the job can still change.
import type { JobStatus } from "../api";
import { Badge } from "../ui/feedback";

const TONE: Record<JobStatus, "neutral" | "good" | "warn" | "bad" | "info"> = {
  queued: "neutral",
  processing: "info",
  completed: "good",
  completed_with_errors: "warn",
  failed: "bad",
  cancelled: "neutral",
};

export const statusLabel = (s: JobStatus) => s.replace(/_/g, " ");

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return <Badge tone={TONE[status] ?? "neutral"}>{statusLabel(status)}</Badge>;
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v}
    >
      <div class="progress-fill" style={{ width: `${v}%` }} />
      <span class="progress-text">{v}%</span>
    </div>
  );
}
