// One object per import batch: keeps the job's planned byte ranges, counts each once (redeliveries are
// ignored), knows when the last one is done and which are not done yet (the watchdog sends those again),
// and pushes progress to every WebSocket watcher (hibernation API).
import { DurableObject } from "cloudflare:workers";
import type { JobStatus } from "../src/enums";
import { progressPercent } from "../src/imports/jobs";
import type { JobProgress, ProgressMessage, RangeCounts } from "../src/imports/progress";
import type { ByteRange } from "../src/imports/ranges";

/** What the watchdog needs: whether the job was planned here, and the planned ranges not counted yet. */
export type Outstanding = { planned: number; uncounted: ByteRange[]; progress: JobProgress };

/** `persist`: time to copy the progress to the job's D1 row (at most once a second, and at the end). */
export type RangeResult = { accepted: boolean; complete: boolean; persist: boolean; progress: JobProgress };

/** The job row in D1 is a snapshot for lists and polling; watchers get every range over the socket. */
const PERSIST_EVERY_MS = 1000;

export class ImportJob extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private lastPersisted = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ranges (idx INTEGER PRIMARY KEY, rows_processed INTEGER, rows_imported INTEGER,
        rows_failed INTEGER, readings_written INTEGER, bytes INTEGER);
      CREATE TABLE IF NOT EXISTS planned (idx INTEGER PRIMARY KEY, start INTEGER NOT NULL, end INTEGER NOT NULL)`);
  }

  /**
   * The meta rows as this instance last read or wrote them: only setMeta writes them, and one instance
   * runs per object, so memory stays equal to storage. Read four times per snapshot, they were a
   * measurable share of an import's CPU (the object shares the Worker's thread locally).
   */
  private metaValues?: Map<string, string>;

  private meta(key: string): string | undefined {
    this.metaValues ??= new Map(
      this.sql
        .exec<{ k: string; v: string }>("SELECT k, v FROM meta")
        .toArray()
        .map((r) => [r.k, r.v]),
    );
    return this.metaValues.get(key);
  }

  private setMeta(values: Record<string, string | number>) {
    for (const [k, v] of Object.entries(values)) {
      this.sql.exec(
        "INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
        k,
        String(v),
      );
      this.metaValues?.set(k, String(v));
    }
  }

  /** (Re)starts counting: a retried job counts every range afresh. */
  async start(batchId: string, ranges: ByteRange[], bytesTotal: number): Promise<JobProgress> {
    this.sql.exec("DELETE FROM ranges");
    this.sql.exec("DELETE FROM planned");
    for (const r of ranges)
      this.sql.exec("INSERT INTO planned (idx, start, end) VALUES (?, ?, ?)", r.index, r.start, r.end);
    this.setMeta({ batchId, rangesTotal: ranges.length, bytesTotal, status: "processing" });
    return this.broadcast();
  }

  /** The planned ranges not counted yet: the ones whose messages may have been lost. */
  async outstanding(): Promise<Outstanding> {
    const planned = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM planned").one().n;
    const uncounted = this.sql
      .exec<ByteRange>(
        `SELECT p.idx AS "index", p.start AS start, p.end AS "end" FROM planned p
         WHERE NOT EXISTS (SELECT 1 FROM ranges r WHERE r.idx = p.idx) ORDER BY p.idx`,
      )
      .toArray();
    return { planned, uncounted, progress: this.snapshot() };
  }

  /** Records a finished range once; a redelivered range changes nothing. */
  async rangeDone(index: number, counts: RangeCounts): Promise<RangeResult> {
    if (this.meta("status") !== "processing")
      return { accepted: false, complete: false, persist: false, progress: this.snapshot() };
    const cursor = this.sql.exec(
      "INSERT INTO ranges (idx, rows_processed, rows_imported, rows_failed, readings_written, bytes) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(idx) DO NOTHING",
      index,
      counts.rowsProcessed,
      counts.rowsImported,
      counts.rowsFailed,
      counts.readingsWritten,
      counts.bytes,
    );
    const accepted = cursor.rowsWritten > 0;
    const progress = accepted ? this.broadcast() : this.snapshot();
    const complete = accepted && progress.rangesDone === progress.rangesTotal;
    const persist = accepted && (complete || Date.now() - this.lastPersisted >= PERSIST_EVERY_MS);
    if (persist) this.lastPersisted = Date.now();
    return { accepted, complete, persist, progress };
  }

  async setStatus(status: JobStatus): Promise<JobProgress> {
    this.setMeta({ status });
    return this.broadcast();
  }

  async progress(): Promise<JobProgress> {
    return this.snapshot();
  }

  private snapshot(): JobProgress {
    const sums = this.sql
      .exec<Record<string, number>>(
        `SELECT COUNT(*) AS rangesDone, COALESCE(SUM(rows_processed),0) AS rowsProcessed,
          COALESCE(SUM(rows_imported),0) AS rowsImported, COALESCE(SUM(rows_failed),0) AS rowsFailed,
          COALESCE(SUM(readings_written),0) AS readingsWritten, COALESCE(SUM(bytes),0) AS bytes FROM ranges`,
      )
      .one();
    const rangesTotal = Number(this.meta("rangesTotal") ?? 0);
    const bytesTotal = Number(this.meta("bytesTotal") ?? 0);
    // Only start() and setStatus() write it, each with a JobStatus.
    const status = (this.meta("status") ?? "queued") as JobStatus;
    return {
      batchId: this.meta("batchId") ?? "",
      status,
      rangesTotal,
      rangesDone: sums.rangesDone,
      bytesTotal,
      rowsProcessed: sums.rowsProcessed,
      rowsImported: sums.rowsImported,
      rowsFailed: sums.rowsFailed,
      readingsWritten: sums.readingsWritten,
      bytes: sums.bytes,
      progress: progressPercent(status, sums.bytes, bytesTotal),
    };
  }

  private broadcast(): JobProgress {
    const progress = this.snapshot();
    const message = JSON.stringify({ type: "progress", ...progress } satisfies ProgressMessage);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(message);
      } catch {
        // A watcher that went away is closed by the runtime; the others still get the update.
      }
    }
    return progress;
  }

  /** WebSocket watchers: accepted with hibernation, sent the current progress straight away. */
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify({ type: "progress", ...this.snapshot() } satisfies ProgressMessage));
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === "ping")
      ws.send(JSON.stringify({ type: "progress", ...this.snapshot() } satisfies ProgressMessage));
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // 1005/1006 describe a close without a code or an abnormal drop; they may not be sent back.
    const sendable = code === 1000 || (code >= 3000 && code <= 4999);
    try {
      ws.close(sendable ? code : 1000, "bye");
    } catch {
      // Already closed by the other side.
    }
  }
}
