// Following a running import: the job's WebSocket pushes progress into the cached job; if the socket
// cannot open or drops, the job query refetches every second instead. Either way the full job (with
// its row errors) is fetched again once it finishes.
import { useEffect, useState } from "preact/hooks";
import type { ImportJob, JobStatus } from "../api";
import { invalidate, setCached, useApi, type ApiQuery } from "../query";
import { JOB_STATUSES, TERMINAL_STATUSES } from "./status";

type ProgressMessage = Partial<ImportJob> & { type?: string; bytes?: number };

export type LiveJob = {
  job: ApiQuery<ImportJob>;
  channel: "websocket" | "polling" | "idle";
};

const POLL_MS = 1000;

export const jobPath = (batchId: string) => `/api/import/jobs/${encodeURIComponent(batchId)}`;

function merge(job: ImportJob, msg: ProgressMessage): ImportJob {
  const next = { ...job };
  if (msg.status && JOB_STATUSES.includes(msg.status as JobStatus)) next.status = msg.status as JobStatus;
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
  if (typeof msg.bytesDone === "number") next.bytesDone = msg.bytesDone;
  return next;
}

const isTerminal = (s: JobStatus) => TERMINAL_STATUSES.includes(s);

export function useLiveJob(batchId: string): LiveJob {
  const path = jobPath(batchId);
  const [socket, setSocket] = useState<"connecting" | "open" | "closed">("connecting");
  const job = useApi<ImportJob>(path, {
    refetchInterval: (j) => (j && !isTerminal(j.status) && socket === "closed" ? POLL_MS : false),
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
      ws = new WebSocket(`${proto}//${location.host}${path}/live`);
    } catch {
      setSocket("closed");
      return;
    }
    ws.onopen = () => !stopped && setSocket("open");
    ws.onmessage = (event) => {
      if (stopped) return;
      let msg: ProgressMessage;
      try {
        msg = JSON.parse(String(event.data)) as ProgressMessage;
      } catch {
        return;
      }
      setCached<ImportJob>(path, (old) => old && merge(old, msg));
      const moment =
        msg.status && isTerminal(msg.status as JobStatus)
          ? "ended"
          : (msg.progress ?? 0) >= 100
            ? "100"
            : null;
      if (moment && !refetched.has(moment)) {
        refetched.add(moment);
        // The push carries counts only; the REST job adds errors, warnings and times.
        void invalidate([path]);
      }
    };
    ws.onclose = () => !stopped && setSocket("closed");
    return () => {
      stopped = true;
      ws.close();
    };
  }, [path, running]);

  return {
    job,
    channel: !running ? "idle" : socket === "open" ? "websocket" : socket === "closed" ? "polling" : "idle",
  };
}
