// Following a running import: the job's WebSocket pushes progress into the cached job; if the socket
// cannot open or drops, the job query refetches every second instead. Either way the full job (with
// its row errors) is fetched again once it finishes.
import { useEffect, useState } from "preact/hooks";
import { isOneOf, isTerminalJobStatus as isTerminal, JOB_STATUSES } from "../../../src/enums";
import type { ProgressMessage } from "../../../src/imports/progress";
import type { ImportJob } from "../api";
import { apiQuery, refetchRead, setCached, useApiQuery, type ApiQuery } from "../query";

export type LiveJob = {
  job: ApiQuery<ImportJob>;
  channel: "websocket" | "polling" | "idle";
};

const POLL_MS = 1000;

/** The job's read, which the socket's pushes update in place. */
const jobQuery = (batchId: string) =>
  apiQuery("/api/import/jobs/{batchId}", { params: { path: { batchId } } });

function merge(job: ImportJob, msg: Partial<ProgressMessage>): ImportJob {
  const next = { ...job };
  if (msg.status && isOneOf(JOB_STATUSES, msg.status)) next.status = msg.status;
  for (const k of [
    "rowsProcessed",
    "rowsImported",
    "rowsFailed",
    "readingsWritten",
    "bytesTotal",
    "progress",
  ] as const) {
    if (typeof msg[k] === "number") next[k] = msg[k];
  }
  if (typeof msg.bytes === "number") next.bytesDone = msg.bytes;
  // More bytes counted is progress: the job is no longer stalled.
  if (next.bytesDone > job.bytesDone) next.stalled = false;
  return next;
}

/** Checks not done yet, for at most 10 minutes after the job finished (a failed check is left to the nightly run). */
const checksPending = (j: ImportJob) =>
  j.status.startsWith("completed") &&
  !j.dryRun &&
  j.checkedAt === null &&
  Date.now() - Date.parse(j.finishedAt ?? "") < 10 * 60_000;

export function useLiveJob(batchId: string): LiveJob {
  const read = jobQuery(batchId);
  const [socket, setSocket] = useState<"connecting" | "open" | "closed">("connecting");
  const job = useApiQuery(read, {
    // Polls while the socket is closed, and after completion until the quality checks are done (checkedAt).
    refetchInterval: (j) =>
      j && ((!isTerminal(j.status) && socket === "closed") || checksPending(j)) ? POLL_MS : false,
  });
  const running = job.data !== undefined && !isTerminal(job.data.status);

  useEffect(() => {
    if (!running) return;
    let stopped = false;
    // Refetch the full job when progress first reaches 100 % and when the job ends (it may end later).
    const refetched = new Set<string>();
    setSocket("connecting");
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${proto}//${location.host}/api/import/jobs/${encodeURIComponent(batchId)}/live`);
    } catch {
      setSocket("closed");
      return;
    }
    ws.onopen = () => !stopped && setSocket("open");
    ws.onmessage = (event) => {
      if (stopped) return;
      let msg: Partial<ProgressMessage>;
      try {
        msg = JSON.parse(String(event.data)) as Partial<ProgressMessage>;
      } catch {
        return;
      }
      setCached(read, (old) => old && merge(old, msg));
      const moment =
        msg.status && isOneOf(JOB_STATUSES, msg.status) && isTerminal(msg.status)
          ? "ended"
          : (msg.progress ?? 0) >= 100
            ? "100"
            : null;
      if (moment && !refetched.has(moment)) {
        refetched.add(moment);
        // The push carries counts only; the REST job adds errors, warnings and times.
        void refetchRead(read);
      }
    };
    ws.onclose = () => !stopped && setSocket("closed");
    return () => {
      stopped = true;
      ws.close();
    };
  }, [batchId, running]);

  return {
    job,
    channel: !running ? "idle" : socket === "open" ? "websocket" : socket === "closed" ? "polling" : "idle",
  };
}
