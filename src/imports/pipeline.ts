// The import pipeline behind the queue: a "plan" message reads the head of the file, detects its layout
// and splits it into byte ranges; each "range" message parses, validates and writes its rows. The job's
// Durable Object counts each range once and says when the last one is done.
import Papa from "papaparse";
import { z } from "zod";
import { sendAlert } from "../alerts/notify";
import { aggregatePending } from "../analytics/aggregate";
import { importedDayFigures, importFigureCache, type ImportFigureCache } from "../analytics/import-figures";
import { importedFigureStatements } from "../analytics/store";
import { database } from "../db/client";
import { checkImportedDays } from "../quality/after-import";
import { isTerminalJobStatus } from "../enums";
import { defaultCompanyId } from "../sites/store";
import { dailyStatements, halfHourlyStatements, runStatements } from "../readings/store";
import {
  canonicalMeterId,
  dateOrderOfCells,
  DayAccumulator,
  decodeText,
  DEFAULT_CALORIFIC_VALUE,
  detectBinary,
  encodingOf,
  parseRows,
  sniff,
  splitLine,
  toInsertRows,
  starkMeterOf,
  type ImportPlan,
  type RowError,
  type SniffOptions,
  type TextEncoding,
  FastSplit,
} from "./domain";
import { capMessage, getJob, jobObject, updateJob, type JobRow } from "./jobs";
import { ImportOptionsSchema, type ImportOptions } from "./options";
import type { JobProgress, RangeCounts } from "./progress";
import { countLines, cutRanges, offsetAfterLine, RANGE_BYTES, type ByteRange } from "./ranges";
import { parseHead, unitSlips } from "./unit-slip";

export const ImportMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("plan"), batchId: z.string() }),
  z.object({
    kind: z.literal("range"),
    batchId: z.string(),
    index: z.number().int().min(0),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
  }),
  // Aggregation that outgrew one invocation's share of D1 queries: of one job's changes (the job then
  // completes), or of every pending change.
  z.object({ kind: z.literal("aggregate"), batchId: z.string().optional() }),
  // The quality rules and alarms over the days a completed job changed.
  z.object({ kind: z.literal("check"), batchId: z.string() }),
]);
export type ImportMessage = z.infer<typeof ImportMessageSchema>;

/** A failure that no retry can mend: the job fails at once with this reason. */
export class PermanentImportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const HEAD_BYTES = 64 * 1024;
/** The dead-letter queue named in wrangler.toml: messages that exhausted their retries. */
export const DEAD_LETTER_QUEUE = "eclectyc-imports-dlq";
/** Row errors kept per job (all are counted; this many are stored for the page and the CSV). */
export const MAX_STORED_ERRORS = 100_000;
const UNASSIGNED_SITE = "Unassigned meters";

export const backoffSeconds = (attempts: number) => Math.min(600, 2 ** attempts * 5);

const now = () => new Date().toISOString();

function optionsOf(job: JobRow): ImportOptions {
  return ImportOptionsSchema.parse(JSON.parse(job.options));
}

export async function failJob(env: Env, batchId: string, reason: string): Promise<void> {
  // Rows written before the failure stay: their figures follow now if they can, else at the nightly run.
  await aggregatePending(env.DB, { batchId }).catch((err) =>
    console.error(`aggregating failed job ${batchId}: ${err instanceof Error ? err.message : err}`),
  );
  const error = capMessage(reason);
  await updateJob(env, batchId, { status: "failed", error, finishedAt: now() });
  await jobObject(env, batchId).setStatus("failed");
  await sendAlert(env, { title: `import ${batchId} failed`, detail: error, severity: "warning" });
}

// ---------------------------------------------------------------------------------------------
// plan

/** The sniff options an import's options carry. */
export function sniffOptionsOf(options: ImportOptions): SniffOptions {
  return {
    format: options.format,
    timestampLabels: options.timestampLabels,
    columns: options.columns,
    meter: options.meter,
    unit: options.unit,
    dateOrder: options.dateOrder,
  };
}

/** The head of a file as text in its own encoding (see domain/decode.ts). */
export function headText(
  headBytes: Uint8Array,
  wholeFile: boolean,
): { encoding: TextEncoding; text: string } {
  const encoding = encodingOf(headBytes, wholeFile);
  // When the head is the whole file its last line is complete, even without a final newline.
  return { encoding, text: decodeText(headBytes, encoding) + (wholeFile ? "\n" : "") };
}

/** Files in another encoding are rewritten as UTF-8 once, in place, so byte ranges cut at line ends. */
export const MAX_TRANSCODE_BYTES = 32 * 1024 * 1024;

async function transcodeToUtf8(env: Env, job: JobRow, encoding: TextEncoding): Promise<Uint8Array> {
  const size = job.fileEnd - job.fileOffset;
  if (size > MAX_TRANSCODE_BYTES)
    throw new PermanentImportError(
      "encoding",
      `the file is ${encoding} text over ${MAX_TRANSCODE_BYTES / 1024 / 1024} MB: save it as UTF-8 (in Excel, "CSV UTF-8") and upload it again`,
    );
  const object = await env.UPLOADS.get(job.r2Key, { range: { offset: job.fileOffset, length: size } });
  if (!object) throw new PermanentImportError("missing_upload", "the uploaded file is no longer stored");
  const utf8 = new TextEncoder().encode(decodeText(new Uint8Array(await object.arrayBuffer()), encoding));
  await env.UPLOADS.put(job.r2Key, utf8);
  await updateJob(env, job.batchId, { fileOffset: 0, fileEnd: utf8.length, bytesTotal: utf8.length });
  job.fileOffset = 0;
  job.fileEnd = utf8.length;
  return utf8;
}

/**
 * When no date in the head says whether dates are day- or month-first, the rest of the file is read
 * (the date column only) until one does; otherwise day-first stands, with its note.
 */
async function settleDateOrder(env: Env, job: JobRow, plan: ImportPlan, from: number): Promise<void> {
  const column =
    plan.format === "narrow"
      ? (plan.columns.date ?? plan.columns.timestamp ?? plan.columns.start)
      : plan.columns.date;
  if (column === undefined || from >= job.fileEnd) return;
  const object = await env.UPLOADS.get(job.r2Key, { range: { offset: from, length: job.fileEnd - from } });
  if (!object) return;
  const reader = object.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (;;) {
    const { done, value } = await reader.read();
    const text = rest + (value ?? "");
    const lines = text.split("\n");
    rest = done ? "" : lines.pop()!;
    const found = dateOrderOfCells(lines.map((l) => splitLine(l, plan.delimiter)[column]));
    if (found.conflict) throw new PermanentImportError("date_order_conflict", found.conflict);
    if (found.order) {
      await reader.cancel();
      plan.dateOrder = found.order;
      plan.dateOrderSource = "file";
      plan.notes = plan.notes.filter((n) => n.code !== "date_order_assumed");
      return;
    }
    if (done) return;
  }
}

async function planJob(env: Env, job: JobRow): Promise<void> {
  let size = job.fileEnd - job.fileOffset;
  if (size <= 0) throw new PermanentImportError("empty_file", "the file is empty");
  const head = await env.UPLOADS.get(job.r2Key, {
    range: { offset: job.fileOffset, length: Math.min(size, HEAD_BYTES) },
  });
  if (!head) throw new PermanentImportError("missing_upload", "the uploaded file is no longer stored");
  let headBytes = new Uint8Array(await head.arrayBuffer());
  if (detectBinary(headBytes))
    throw new PermanentImportError("binary_file", "the file is not text (binary content found)");
  const options = optionsOf(job);
  const decoded = headText(headBytes, size <= HEAD_BYTES);
  if (decoded.encoding !== "utf-8") {
    headBytes = (await transcodeToUtf8(env, job, decoded.encoding)).slice(0, HEAD_BYTES);
    size = job.fileEnd - job.fileOffset;
  }
  const sniffed = sniff(decoded.text, sniffOptionsOf(options));
  if (!sniffed.ok) throw new PermanentImportError(sniffed.error.code, sniffed.error.message);
  const plan = sniffed.plan;
  plan.encoding = decoded.encoding;
  if (plan.m3PerUnit !== undefined) {
    // One calorific value for the whole file when the import or its one meter gives it.
    const cv =
      options.calorificValue ??
      (plan.fixedMeter === undefined
        ? undefined
        : ((await calorificValues(env)).get(plan.fixedMeter) ?? DEFAULT_CALORIFIC_VALUE));
    if (cv !== undefined) plan.calorificValue = cv;
  }
  // A unit slip shows in the head already; checking there keeps it off every range's path.
  const cvs = plan.m3PerUnit === undefined ? new Map<string, number>() : await calorificValues(env);
  const headRows = parseHead(
    decoded.text,
    plan,
    (meter) => options.calorificValue ?? cvs.get(meter) ?? DEFAULT_CALORIFIC_VALUE,
  );
  plan.notes.push(...(await unitSlips(env, job.batchId, headRows.acc, headRows.meterLines)));

  const headerEnd = offsetAfterLine(headBytes, plan.headerLine);
  if (headerEnd === undefined && size > HEAD_BYTES)
    throw new PermanentImportError("bad_header", "the header line is longer than 64 KB");
  if (plan.dateOrderSource === "assumed" && size > HEAD_BYTES)
    await settleDateOrder(env, job, plan, job.fileOffset + (headerEnd ?? 0));
  const rangeBytes = oneRange(plan)
    ? Number.POSITIVE_INFINITY
    : Number(env.IMPORT_RANGE_BYTES) || RANGE_BYTES;
  const ranges = await cutRanges(
    env,
    job.r2Key,
    job.fileOffset + (headerEnd ?? size),
    job.fileEnd,
    rangeBytes,
  );
  if (ranges.length === 0)
    throw new PermanentImportError("no_rows", "the file has a header but no data rows");

  await updateJob(env, job.batchId, {
    status: "processing",
    plan: JSON.stringify(plan),
    format: plan.format,
    rangesTotal: ranges.length,
    rangesDone: 0,
    startedAt: job.startedAt ?? now(),
    progressAt: now(),
    error: null,
  });
  await jobObject(env, job.batchId).start(job.batchId, ranges, size);
  // One queue has no priorities: low-priority work waits a little so urgent files overtake it.
  await sendRanges(env, job.batchId, ranges, job.priority === "low" ? 30 : 0);
}

/**
 * Files whose rows depend on rows before them stay in one range: register reads chain each meter's
 * previous read, sub-half-hour readings are summed within their half-hour, and a DF2 `#O` line names
 * the meter of the rows after it.
 */
function oneRange(plan: ImportPlan): boolean {
  return plan.format === "register" || plan.intervalMinutes < 30 || plan.dialect === "stark-df2";
}

/** Puts ranges of a job on the queue (the plan sends all of them; the watchdog the uncounted ones). */
export async function sendRanges(env: Env, batchId: string, ranges: ByteRange[], delaySeconds = 0) {
  const messages = ranges.map((r) => ({
    body: { kind: "range", batchId, index: r.index, start: r.start, end: r.end } satisfies ImportMessage,
    delaySeconds,
  }));
  for (let i = 0; i < messages.length; i += 100) await env.IMPORTS.sendBatch(messages.slice(i, i + 100));
}

// ---------------------------------------------------------------------------------------------
// range

type MeterIndex = Map<string, number>;

/** Meters with a calorific value of their own (MJ/m³), by MPRN. */
export async function calorificValues(env: Env): Promise<Map<string, number>> {
  const rows = await env.DB.prepare(
    "SELECT mpan, calorific_value FROM meters WHERE calorific_value IS NOT NULL",
  ).raw<[string, number]>();
  return new Map(rows);
}

/**
 * What one consumer invocation (a batch of up to 10 messages, a few seconds) reads once: the meter
 * index of each company scope its jobs were made in (null = every meter). A meter registered meanwhile
 * is seen by the next batch.
 */
export type BatchCache = {
  // Promises, so that two messages handled at once share one read (and one index that auto-created
  // meters are added to).
  meters?: Map<number | null, Promise<MeterIndex>>;
  figures?: Promise<ImportFigureCache>;
  calorific?: Promise<Map<string, number>>;
};

/** The meters a job may write: every meter, or for a job made by a company-scoped token, its company's. */
export async function meterIndex(env: Env, companyId: number | null): Promise<MeterIndex> {
  const rows =
    companyId === null
      ? await env.DB.prepare("SELECT mpan, id FROM meters").raw<[string, number]>()
      : await env.DB.prepare(
          "SELECT m.mpan, m.id FROM meters m JOIN sites s ON s.id = m.site_id WHERE s.company_id = ?1",
        )
          .bind(companyId)
          .raw<[string, number]>();
  return new Map(rows);
}

async function cachedMeterIndex(env: Env, cache: BatchCache, companyId: number | null) {
  cache.meters ??= new Map();
  let index = cache.meters.get(companyId);
  if (!index) cache.meters.set(companyId, (index = meterIndex(env, companyId)));
  return index;
}

/** Meters created by an import go to an "Unassigned meters" site of the job's company (or the default). */
async function unassignedSiteId(env: Env, jobCompanyId: number | null): Promise<number> {
  const companyId = jobCompanyId ?? (await defaultCompanyId(database(env)));
  await env.DB.prepare("INSERT INTO sites (company_id, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
    .bind(companyId, UNASSIGNED_SITE)
    .run();
  return (await env.DB.prepare("SELECT id FROM sites WHERE company_id = ?1 AND name = ?2")
    .bind(companyId, UNASSIGNED_SITE)
    .first<{ id: number }>())!.id;
}

/**
 * The canonical id a meter cell names when it is valid but not registered; undefined for a blank cell, a
 * known meter, or an id that is not even valid (the parser reports that one: bad_mpan).
 */
function unknownMeterOf(raw: string, known: MeterIndex): string | undefined {
  if (raw.trim() === "") return undefined;
  const checked = canonicalMeterId(raw);
  return checked.ok && !known.has(checked.id) ? checked.id : undefined;
}

/**
 * Rows naming a meter the platform does not know are rejected with their line (or, with
 * autoCreateMeters, the meter is created on an "Unassigned meters" site). Rejected rows are blanked,
 * which keeps every later row on its own line number.
 */
async function screenMeters(
  env: Env,
  plan: ImportPlan,
  rows: string[][],
  firstLine: number,
  known: MeterIndex,
  autoCreate: boolean,
  companyId: number | null,
  starkMeterAtStart?: string,
): Promise<RowError[]> {
  const errors: RowError[] = [];
  const column = plan.columns.meter;
  const stark = plan.dialect === "stark-df2";
  if (column === undefined && !stark) return errors;
  const reject = (id: string, indexes: number[]) => {
    for (const i of indexes) {
      errors.push({
        line: firstLine + i,
        code: "unknown_meter",
        message: `meter ${id} is not registered (add it, or import with autoCreateMeters)`,
      });
      rows[i] = [""];
    }
  };
  const missing = new Map<string, number[]>();
  // DF2: each row belongs to the meter of the `#O` line before it (carried over from the previous piece).
  let starkMeter = starkMeterAtStart;
  // A narrow file names the same meter on thousands of rows in a row: its cell is checked once per run
  // of rows (the MPAN check was about a tenth of a narrow import's time when done for every row).
  let lastRaw: string | undefined;
  let lastMissing: string | undefined;
  for (let i = 0; i < rows.length; i++) {
    let raw: string | undefined;
    if (stark) {
      const first = rows[i][0]?.trim() ?? "";
      if (first.startsWith("#O")) starkMeter = starkMeterOf(first);
      if (first.startsWith("#")) continue;
      raw = starkMeter;
    } else raw = rows[i][column!];
    if (raw === undefined) continue;
    if (raw !== lastRaw) {
      lastRaw = raw;
      lastMissing = unknownMeterOf(raw, known);
    }
    if (lastMissing === undefined) continue;
    const lines = missing.get(lastMissing) ?? [];
    lines.push(i);
    missing.set(lastMissing, lines);
  }
  if (missing.size === 0) return errors;
  if (autoCreate) {
    const siteId = await unassignedSiteId(env, companyId);
    await env.DB.batch(
      [...missing.keys()].map((id) =>
        env.DB.prepare(
          "INSERT INTO meters (mpan, fuel, site_id, name) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (mpan) DO NOTHING",
        ).bind(id, id.length === 13 ? "electricity" : "gas", siteId, "Created by import"),
      ),
    );
    // A meter that already exists in another company stays out of a company-scoped job's reach.
    for (const [id, mid] of await meterIndex(env, companyId)) known.set(id, mid);
    for (const [id, indexes] of missing) if (!known.has(id)) reject(id, indexes);
    return errors;
  }
  for (const [id, indexes] of missing) reject(id, indexes);
  return errors;
}

/**
 * Stores a range's row errors, then its warnings, by line within the range (see error-lines.ts), while
 * the job has room for them.
 */
async function storeErrors(
  env: Env,
  batchId: string,
  rangeIndex: number,
  errors: RowError[],
  warnings: RowError[],
) {
  if (errors.length + warnings.length === 0) return;
  const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM import_errors WHERE batch_id = ?")
    .bind(batchId)
    .first<{ n: number }>();
  const room = MAX_STORED_ERRORS - (stored?.n ?? 0);
  if (room <= 0) return;
  const rows = [
    ...errors.map((e) => [e.line, e.code, capMessage(e.message), "error"]),
    ...warnings.map((e) => [e.line, e.code, capMessage(e.message), "warning"]),
  ].slice(0, room);
  for (let i = 0; i < rows.length; i += 5000) {
    await env.DB.prepare(
      `INSERT INTO import_errors (batch_id, range_index, line, code, message, severity)
       SELECT ?2, ?3, value->>0, value->>1, value->>2, value->>3 FROM json_each(?1) WHERE 1 ON CONFLICT DO NOTHING`,
    )
      .bind(JSON.stringify(rows.slice(i, i + 5000)), batchId, rangeIndex)
      .run();
  }
}

/** Characters of a range parsed at a time: one piece's row arrays stay a few MB. */
const PARSE_PIECE_CHARS = 512 * 1024;

/**
 * Splits text at line ends into pieces of about `size` characters, each with its first line's offset and
 * its own line ends (`lines`), so the range's count is their sum rather than a second pass over the text.
 */
export function* linePieces(text: string, size = PARSE_PIECE_CHARS) {
  let start = 0;
  let lineOffset = 0;
  while (start < text.length) {
    // Each piece ends just after a line end, so CRLF stays whole.
    const cut = start + size >= text.length ? -1 : text.indexOf("\n", start + size);
    const end = cut < 0 ? text.length : cut + 1;
    const piece = text.slice(start, end);
    const lines = countLines(piece);
    yield { text: piece, lineOffset, lines };
    lineOffset += lines;
    start = end;
  }
}

/**
 * papaparse's line-end guess splits the first MB of every piece by CR and by LF; a piece without a CR can
 * only be LF-separated, which is what the guess would answer, so it is told instead.
 */
const newlineOf = (piece: string): "\n" | undefined => (piece.includes("\r") ? undefined : "\n");

/**
 * Half-hourly days a range may write with their figures in one transaction (a 4 MB wide range holds about
 * 13,000): more would make that transaction long, so a bigger range leaves its days to the aggregation.
 */
const MAX_DAYS_WITH_FIGURES = 40_000;

type PreparedRange = {
  statements: D1PreparedStatement[];
  /** The statements carry figures of the days they write: they must run in one transaction. */
  atomic: boolean;
  /** Line ends in the range, so later ranges know their first file line. */
  lines: number;
  errors: RowError[];
  warnings: RowError[];
  rowsProcessed: number;
  rowsImported: number;
  readingsWritten: number;
};

/**
 * Parses a range piece by piece into one accumulator and turns its days into write statements. Only the
 * statements and the counts leave this function, so the range's text, rows and days can be collected
 * while the writes are awaited (the Worker isolate has 128 MB).
 */
async function prepareRange(
  env: Env,
  job: JobRow,
  plan: ImportPlan,
  options: ImportOptions,
  text: string,
  cache: BatchCache,
  isLastRange: boolean,
): Promise<PreparedRange> {
  const known = await cachedMeterIndex(env, cache, job.companyId);
  if (plan.fixedMeter && plan.dialect !== "stark-df2" && !known.has(plan.fixedMeter)) {
    throw new PermanentImportError("unknown_meter", `meter ${plan.fixedMeter} is not registered`);
  }
  const volume = plan.m3PerUnit !== undefined || plan.columns.unit !== undefined;
  const calorific = volume ? await (cache.calorific ??= calorificValues(env)) : undefined;
  const calorificValue = (meter: string) =>
    options.calorificValue ?? calorific?.get(meter) ?? DEFAULT_CALORIFIC_VALUE;
  const acc = new DayAccumulator();
  const errors: RowError[] = [];
  const warnings: RowError[] = [];
  const meterLines = new Map<string, number>();
  let rowsProcessed = 0;
  let rowsImported = 0;
  let lastValidLine = 0;
  let lines = 0;
  const wide = FastSplit.forPlan(plan);
  const splitter = wide ?? FastSplit.cellsOf(plan);
  for (const piece of linePieces(text)) {
    lines += piece.lines;
    const split = splitter.split(piece.text);
    const rows =
      split ??
      Papa.parse<string[]>(piece.text, {
        delimiter: plan.delimiter,
        newline: newlineOf(piece.text),
        skipEmptyLines: false,
      }).data;
    const line = 1 + piece.lineOffset; // within the range
    const meterErrors = await screenMeters(
      env,
      plan,
      rows,
      line,
      known,
      options.autoCreateMeters,
      job.companyId,
      acc.starkMeter,
    );
    const parsed = parseRows(
      plan,
      rows,
      line,
      acc,
      volume ? { calorificValue } : {},
      split ? wide : undefined,
    );
    errors.push(...meterErrors, ...parsed.errors);
    warnings.push(...parsed.warnings);
    rowsProcessed += parsed.rowsProcessed + meterErrors.length;
    rowsImported += parsed.rowsValid;
    lastValidLine = Math.max(lastValidLine, parsed.lastValidLine);
    for (const [meter, at] of parsed.meterLines) if (!meterLines.has(meter)) meterLines.set(meter, at);
  }
  errors.sort((a, b) => a.line - b.line);
  // A portal's footer ("Report Time Zone…", totals) is not a failed row: skipped, with a warning.
  const footer = isLastRange ? footerLines(errors, lastValidLine) : 0;
  if (footer > 0) {
    for (const e of errors.splice(errors.length - footer, footer))
      warnings.push({
        line: e.line,
        code: "footer_skipped",
        message: `not a reading (a footer after the last one), skipped: ${e.message}`,
      });
    rowsProcessed -= footer;
  }
  for (const h of acc.finishIntervals()) {
    warnings.push({
      line: meterLines.get(h.meter) ?? 1,
      code: "incomplete_half_hour",
      message: `meter ${h.meter}: period ${h.period} of ${h.date} has ${h.seen} of its ${h.of} readings, so it is left out`,
    });
  }

  // Rows naming unknown meters were blanked above, so every day here belongs to a known meter.
  const { halfHourly, daily } = toInsertRows(
    acc,
    (meter) => known.get(meter)!,
    plan.m3PerUnit === undefined ? undefined : calorificValue,
  );
  let readingsWritten = daily.length;
  for (const r of halfHourly) readingsWritten += r[3];
  // Under `replace` a complete day is stored as it is here, so its figures are computed now and written
  // with it (the aggregation after the job then only has partial days, daily totals and `keep` merges).
  const withFigures =
    !job.dryRun &&
    options.onConflict === "replace" &&
    aggregatesOnImport(env) &&
    halfHourly.length > 0 &&
    halfHourly.length <= MAX_DAYS_WITH_FIGURES;
  let figures: D1PreparedStatement[] = [];
  let dayFigures: (string | null)[] = [];
  if (withFigures) {
    const hours = await (cache.figures ??= importFigureCache(env.DB));
    // acc.days() in the order toInsertRows read it: one entry per half-hourly row.
    const computed = importedDayFigures(hours, acc.days(), (meter) => known.get(meter)!);
    if (computed.figures.length !== halfHourly.length)
      throw new Error("day figures out of step with the rows");
    dayFigures = computed.figures;
    figures = importedFigureStatements(env.DB, job.batchId, computed.spans, computed.hoursUsed);
  }
  const statements = job.dryRun
    ? []
    : [
        ...halfHourlyStatements(env.DB, halfHourly, job.batchId, options.onConflict, dayFigures),
        ...dailyStatements(env.DB, daily, job.batchId, options.onConflict),
        ...figures,
      ];
  return {
    statements,
    atomic: figures.length > 0,
    lines,
    errors,
    warnings,
    rowsProcessed,
    rowsImported,
    readingsWritten,
  };
}

/** Rejections whose row is not data at all (no date, no meter): at the end of a file, a footer. */
const FOOTER_CODES = new Set(["bad_date", "bad_mpan", "missing_meter", "bad_time"]);
/** More trailing rejected lines than this are failed rows, not a footer. */
const MAX_FOOTER_LINES = 20;

/** How many of the (line-sorted) errors at the end are a footer: after the last accepted row, and not data. */
function footerLines(errors: RowError[], lastValidLine: number): number {
  let n = 0;
  for (let i = errors.length - 1; i >= 0; i--) {
    const e = errors[i];
    if (e.line <= lastValidLine || !FOOTER_CODES.has(e.code)) return 0;
    n++;
  }
  return n > 0 && n <= MAX_FOOTER_LINES && lastValidLine > 0 ? n : 0;
}

async function processRange(
  env: Env,
  job: JobRow,
  msg: Extract<ImportMessage, { kind: "range" }>,
  cache: BatchCache,
): Promise<void> {
  const plan = JSON.parse(job.plan!) as ImportPlan;
  const options = optionsOf(job);
  const object = await env.UPLOADS.get(job.r2Key, {
    range: { offset: msg.start, length: msg.end - msg.start },
  });
  if (!object) throw new PermanentImportError("missing_upload", "the uploaded file is no longer stored");
  // Lines are numbered within the range; error-lines.ts turns them into file lines.
  const isLast = msg.end >= job.fileEnd;
  const prepared = await prepareRange(env, job, plan, options, await object.text(), cache, isLast);
  const statements = [
    ...prepared.statements,
    env.DB.prepare(
      `INSERT INTO import_ranges (batch_id, range_index, lines) VALUES (?1, ?2, ?3)
       ON CONFLICT DO UPDATE SET lines = excluded.lines`,
    ).bind(job.batchId, msg.index, prepared.lines),
  ];
  if (prepared.atomic) await env.DB.batch(statements);
  else await runStatements(env.DB, statements);
  await storeErrors(env, job.batchId, msg.index, prepared.errors, prepared.warnings);

  const counts: RangeCounts = {
    rowsProcessed: prepared.rowsProcessed,
    rowsImported: prepared.rowsImported,
    rowsFailed: prepared.errors.length,
    readingsWritten: prepared.readingsWritten,
    bytes: msg.end - msg.start,
  };
  const result = await jobObject(env, job.batchId).rangeDone(msg.index, counts);
  if (!result.accepted) return; // a redelivered range: already counted
  if (result.persist) await updateJob(env, job.batchId, progressColumns(result.progress));
  if (result.complete) await finishJob(env, job.batchId, result.progress);
}

/** The job row's copy of the Durable Object's counts; copying them is progress for the watchdog. */
export function progressColumns(p: JobProgress) {
  return {
    progressAt: now(),
    rowsProcessed: p.rowsProcessed,
    rowsImported: p.rowsImported,
    rowsFailed: p.rowsFailed,
    readingsWritten: p.readingsWritten,
    bytesDone: p.bytes,
    rangesDone: p.rangesDone,
  };
}

export async function finishJob(env: Env, batchId: string, p: JobProgress): Promise<void> {
  if (p.rowsImported === 0) {
    await failJob(
      env,
      batchId,
      p.rowsFailed > 0 ? `no valid row: all ${p.rowsFailed} rows were rejected` : "the file has no readings",
    );
    return;
  }
  if (!aggregatesOnImport(env) || (await aggregateJob(env, batchId))) {
    await completeJob(env, batchId, p.rowsFailed, p.bytesTotal);
    // Site roll-ups catch up after the job (a read before that recomputes what it needs).
    if (aggregatesOnImport(env)) await env.IMPORTS.send({ kind: "aggregate" } satisfies ImportMessage);
  }
}

/**
 * `AGGREGATE_ON_IMPORT=false` lets jobs complete without aggregating (the nightly run catches up): for a
 * bulk backfill, and for bench:aggregate to measure what keeping figures current costs an import.
 */
const aggregatesOnImport = (env: Env) =>
  (env as { AGGREGATE_ON_IMPORT?: string }).AGGREGATE_ON_IMPORT !== "false";

/**
 * A job's consumption figures are brought up to date before it says completed, so a client reading
 * right after sees them. True when done; otherwise an "aggregate" message carries on (and completes the
 * job), with the queue's retries if aggregation failed here.
 */
async function aggregateJob(env: Env, batchId: string): Promise<boolean> {
  let done = false;
  try {
    done = (await aggregatePending(env.DB, { batchId })).done;
  } catch (err) {
    console.error(
      `aggregating ${batchId} failed, retrying from the queue: ${err instanceof Error ? err.message : err}`,
    );
  }
  if (!done) await env.IMPORTS.send({ kind: "aggregate", batchId } satisfies ImportMessage);
  return done;
}

/**
 * The job completes, then a "check" message runs the quality rules and alarms over the days it changed
 * (issue 15: "after every completed import"): they take about 10 s for a 1,000-meter year, which an
 * import's end-to-end time no longer carries. The job's `checkedAt` says when they are done.
 */
async function completeJob(env: Env, batchId: string, rowsFailed: number, bytesTotal: number) {
  const status = rowsFailed > 0 ? "completed_with_errors" : "completed";
  await updateJob(env, batchId, { status, finishedAt: now(), bytesDone: bytesTotal });
  await jobObject(env, batchId).setStatus(status);
  await env.IMPORTS.send({ kind: "check", batchId } satisfies ImportMessage);
}

/** A failed check leaves `checkedAt` null and its days pending: the nightly run checks them. */
async function checkJob(env: Env, batchId: string): Promise<void> {
  if (await checkImportedDays(env, batchId)) await updateJob(env, batchId, { checkedAt: now() });
}

/** Carries on an aggregation: every pending change, or one job's (which then completes). */
async function continueAggregation(env: Env, batchId: string | undefined): Promise<void> {
  if (batchId === undefined) {
    if (!(await aggregatePending(env.DB)).done) await env.IMPORTS.send({ kind: "aggregate" });
    return;
  }
  const job = await getJob(env, batchId);
  if (!job || isTerminalJobStatus(job.status)) return;
  if (!(await aggregatePending(env.DB, { batchId })).done) {
    await env.IMPORTS.send({ kind: "aggregate", batchId } satisfies ImportMessage);
    return;
  }
  await completeJob(env, batchId, job.rowsFailed, job.bytesTotal);
}

// ---------------------------------------------------------------------------------------------
// the consumers

export async function handleImportMessage(env: Env, body: unknown, cache: BatchCache = {}): Promise<void> {
  const parsed = ImportMessageSchema.safeParse(body);
  if (!parsed.success) {
    console.error("dropping a malformed import message", JSON.stringify(body));
    return;
  }
  const msg = parsed.data;
  if (msg.kind === "aggregate") return continueAggregation(env, msg.batchId);
  if (msg.kind === "check") return checkJob(env, msg.batchId);
  const job = await getJob(env, msg.batchId);
  if (!job || isTerminalJobStatus(job.status)) return; // cancelled, failed or finished: nothing to do
  try {
    if (msg.kind === "plan") await planJob(env, job);
    else if (job.plan) await processRange(env, job, msg, cache);
  } catch (err) {
    if (err instanceof PermanentImportError) {
      await failJob(env, msg.batchId, err.message);
      return;
    }
    throw err;
  }
}

/**
 * Messages of a batch handled two at a time: while one range's writes are in D1, the next is parsed (the
 * isolate would otherwise wait on every write). Ranges never depended on each other's order: a queue may
 * deliver them in any order and to concurrent consumers; the job's Durable Object counts them.
 */
export const MESSAGES_IN_FLIGHT = 2;

export async function importQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const cache: BatchCache = {};
  const inFlight = new Set<Promise<void>>();
  for (const msg of batch.messages) {
    const handled: Promise<void> = handleQueued(env, msg, cache).finally(() => inFlight.delete(handled));
    inFlight.add(handled);
    if (inFlight.size >= MESSAGES_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

async function handleQueued(env: Env, msg: Message<unknown>, cache: BatchCache): Promise<void> {
  try {
    await handleImportMessage(env, msg.body, cache);
    msg.ack();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const batchId = (msg.body as { batchId?: string })?.batchId;
    if (batchId) {
      await env.DB.prepare("UPDATE import_jobs SET attempts = attempts + 1, error = ?2 WHERE batch_id = ?1")
        .bind(batchId, capMessage(reason))
        .run()
        .catch(() => undefined);
    }
    console.error(`import message failed (attempt ${msg.attempts}): ${reason}`);
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
  }
}

/** Messages that exhausted their retries: the job fails with the last reason. */
export async function importDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = ImportMessageSchema.safeParse(msg.body);
    const body = parsed.success ? parsed.data : null;
    if (body?.kind === "aggregate") {
      // Every row is written; only figures are behind: the job completes and the nightly run catches up.
      const job = body.batchId ? await getJob(env, body.batchId) : undefined;
      if (job && !isTerminalJobStatus(job.status))
        await completeJob(env, job.batchId, job.rowsFailed, job.bytesTotal);
      await sendAlert(env, {
        title: "consumption figures are behind",
        detail: `aggregation gave up after repeated failures${job ? ` for import ${job.batchId}` : ""}; the nightly run will retry`,
        severity: "warning",
      });
    } else if (body) {
      const job = await getJob(env, body.batchId);
      if (job && !isTerminalJobStatus(job.status)) {
        await failJob(env, job.batchId, `gave up after repeated failures: ${job.error ?? "unknown error"}`);
      }
    }
    msg.ack();
  }
}
