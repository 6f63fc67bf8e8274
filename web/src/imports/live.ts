// Following a running import: the job's WebSocket pushes progress; if it cannot open or drops, poll
// the job every second instead. Either way the full job is fetched again once it finishes.
import { useEffect, useRef, useState } from "preact/hooks";
import { isOneOf, isTerminalJobStatus as isTerminal, JOB_STATUSES } from "../../../src/enums";
import type { ProgressMessage } from "../../../src/imports/progress";
import { api, ApiError, type ImportJob } from "../api";

export type LiveJob = {
  job: ImportJob | null;
  error: ApiError | null;
  channel: "websocket" | "polling" | "idle";
  reload: () => void;
};

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
        const j = await api.get("/api/import/jobs/{batchId}", { params: { path: { batchId } } });
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
        socket = new WebSocket(
          `${proto}//${location.host}/api/import/jobs/${encodeURIComponent(batchId)}/live`,
        );
      } catch {
        startPolling();
        return;
      }
      let finished = false;
      socket.onopen = () => !stopped && setChannel("websocket");
      socket.onmessage = (event) => {
        if (stopped || !jobRef.current) return;
        let msg: Partial<ProgressMessage>;
        try {
          msg = JSON.parse(String(event.data)) as Partial<ProgressMessage>;
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
