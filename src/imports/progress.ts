// What a job's Durable Object counts and pushes to its WebSocket watchers: types only, shared by the
// object (durable-objects/import-job.ts), the pipeline and the SPA's live job view.
import type { JobStatus } from "../enums";

/** One byte range's counts, as the pipeline reports them. */
export type RangeCounts = {
  rowsProcessed: number;
  rowsImported: number;
  rowsFailed: number;
  readingsWritten: number;
  bytes: number;
};

export type JobProgress = RangeCounts & {
  batchId: string;
  status: JobStatus;
  rangesTotal: number;
  rangesDone: number;
  bytesTotal: number;
  progress: number;
};

/** Each WebSocket message: the job's progress after a range (and once when the socket opens). */
export type ProgressMessage = { type: "progress" } & JobProgress;
