// Following a running import: the job's WebSocket pushes progress; if it cannot open or drops, poll
// the job every second instead. Either way the full job is fetched again once it finishes.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type ImportJob, type JobStatus } from "../api";
import { JOB_STATUSES, TERMINAL_STATUSES } from "./status";

type ProgressMessage = Partial<ImportJob> & { type?: string; bytes?: number };

export type LiveJob = {
  job: ImportJob | null;
  error: ApiError | null;
  channel: "websocket" | "polling" | "idle";
  reload: () => void;
};

function jobPath(batchId: string) {
  return `/api/import/jobs/${encodeURIComponent(batchId)}`;
}

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
  // More bytes counted is progress: the job is no longer stalled.
  if (next.bytesDone > job.bytesDone) next.stalled = false;
  return next;
}

const isTerminal = (s: JobStatus) => TERMINAL_STATUSES.includes(s);

export function useLiveJob(batchId: string): LiveJob {
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [channel, setChannel] = useState<LiveJob["channel"]>("idle");
  const [tick, setTick] = useState(0);
  const jobRef = useRef<ImportJob | null>(null);

  useEffect(() => {
    let stopped = false;
    let socket: WebSocket | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;
    const update = (j: ImportJob) => {
      jobRef.current = j;
      setJob(j);
    };
    const fetchJob = async () => {
      try {
        const j = await api.get<ImportJob>(jobPath(batchId));
        if (stopped) return j;
        update(j);
        setError(null);
        return j;
      } catch (err) {
        if (!stopped) setError(err instanceof ApiError ? err : new ApiError(0, "client", String(err)));
        return null;
      }
    };
    const stopLive = () => {
      if (poll) clearInterval(poll);
      poll = null;
      socket?.close();
      socket = null;
      if (!stopped) setChannel("idle");
    };
    const startPolling = () => {
      if (stopped || poll) return;
      setChannel("polling");
      poll = setInterval(async () => {
        const j = await fetchJob();
        if (j && isTerminal(j.status)) stopLive();
      }, 1000);
    };
    const openSocket = () => {
      const proto = location.protocol === "https:" ? "wss:" : "ws:";
      try {
        socket = new WebSocket(`${proto}//${location.host}${jobPath(batchId)}/live`);
      } catch {
        startPolling();
        return;
      }
      let finished = false;
      socket.onopen = () => !stopped && setChannel("websocket");
      socket.onmessage = (event) => {
        if (stopped || !jobRef.current) return;
        let msg: ProgressMessage;
        try {
          msg = JSON.parse(String(event.data)) as ProgressMessage;
        } catch {
          return;
        }
        const next = merge(jobRef.current, msg);
        update(next);
        if (isTerminal(next.status) || next.progress >= 100) {
          finished = true;
          // The push carries counts only; the REST job adds errors, warnings and times.
          void fetchJob().then((j) => {
            if (j && isTerminal(j.status)) stopLive();
            else if (!stopped) startPolling();
          });
        }
      };
      socket.onclose = () => {
        socket = null;
        if (!stopped && !finished) startPolling();
      };
    };

    void fetchJob().then((j) => {
      if (stopped || !j || isTerminal(j.status)) return;
      openSocket();
    });
    return () => {
      stopped = true;
      stopLive();
    };
  }, [batchId, tick]);

  return { job, error, channel, reload: () => setTick((t) => t + 1) };
}
