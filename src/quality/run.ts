// A data-quality run: reads meters' days from D1, applies the rules (rules.ts) and brings quality_issues
// in line with what they find: new issues open, changed ones update, a resolved one found again reopens,
// and an open one no longer found in what was checked resolves with a note saying why. Re-running
// changes nothing but last-seen times. Runs over everything (nightly, on demand) or over the spans
// imports changed (checks_pending), then evaluates the alarms for the same spans.
import { evaluateAlarms, type ChangedSpan } from "../alarms/evaluate";
import { notifyCriticalIssues } from "../notifications/in-app";
import type { JobOutcome } from "../scheduler/executions";
import { addDays, settlementPeriodAt } from "../time/settlement";
import {
  DEFAULT_RULES,
  dayFindings,
  HISTORY_DAYS,
  missingDays,
  RESOLVED_NOTE,
  staleMeter,
  type Finding,
  type RuleSettings,
  type StoredReading,
  type Window,
} from "./rules";
import {
  deletePendingStatement,
  existingIssues,
  issueStatements,
  metersWithRange,
  pendingChecks,
  readDays,
  type IssueWrites,
  type MeterToCheck,
  type StoredIssue,
} from "./store";

export type QualityRunOptions = {
  /** `full`: every meter (or `meterIds`) over `from`–`to`; `pending`: the spans imports changed. */
  mode: "full" | "pending";
  from?: string;
  to?: string;
  meterIds?: number[];
  /** Only this import's spans (pending mode). */
  batchId?: string;
  now?: Date;
  evaluateAlarms?: boolean;
};

export type QualityRunResult = JobOutcome & {
  issuesOpened: number;
  issuesUpdated: number;
  issuesResolved: number;
};

/** Meters per chunk: a year of days each is ~18,000 days of readings to read and check at once. */
const CHUNK_METERS = 50;

/** Thresholds from Worker variables where set (README: Data quality), else the defaults. */
export function ruleSettings(env: Partial<Record<string, unknown>>): RuleSettings {
  const n = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return {
    ...DEFAULT_RULES,
    zeroRunPeriods: n("QUALITY_ZERO_RUN_PERIODS", DEFAULT_RULES.zeroRunPeriods),
    staleDays: n("QUALITY_STALE_DAYS", DEFAULT_RULES.staleDays),
  };
}

type Checked = { meter: MeterToCheck; window: Window };

/** Whether an existing issue lies inside what this run checked, so that not finding it again resolves it. */
function checkedBy(issue: StoredIssue, window: Window, gapRange: Window): boolean {
  switch (issue.type) {
    case "stale":
      return true; // worked out from the meter's last reading on every run
    case "missing_days":
      return issue.from <= gapRange.to && issue.to >= gapRange.from;
    case "zero_run":
    case "flatline":
      return issue.from <= window.to && issue.to >= window.from;
    default:
      return issue.from >= window.from && issue.from <= window.to;
  }
}

/** The runs of missing days between consecutive stored days, the stored days around the loaded ones included. */
function gapsOf(days: StoredReading[], before: string | null, after: string | null) {
  const dates = [...(before ? [before] : []), ...days.map((d) => d.date), ...(after ? [after] : [])];
  const gaps: { before: string; after: string }[] = [];
  for (let i = 1; i < dates.length; i++)
    if (addDays(dates[i - 1], 1) !== dates[i]) gaps.push({ before: dates[i - 1], after: dates[i] });
  return gaps;
}

const identity = (meterId: number, type: string, key: string) => `${meterId}|${type}|${key}`;

/** The days a chunk's checks read: each window with its history before and a little after. */
const loadedSpans = (chunk: Checked[]): [number, string, string][] =>
  chunk.map(({ meter, window }) => [meter.id, addDays(window.from, -HISTORY_DAYS), addDays(window.to, 2)]);

async function readChunk(db: D1Database, chunk: Checked[]) {
  const [days, existing] = await Promise.all([
    readDays(db, loadedSpans(chunk)),
    existingIssues(
      db,
      chunk.map(({ meter, window }) => [meter.id, window.from, window.to]),
    ),
  ]);
  return { days, existing };
}

export async function runQualityChecks(env: Env, options: QualityRunOptions): Promise<QualityRunResult> {
  const now = options.now ?? new Date();
  const rules = ruleSettings(env as unknown as Record<string, unknown>);
  const today = settlementPeriodAt(now.getTime()).date;
  const totals: QualityRunResult = {
    issuesOpened: 0,
    issuesUpdated: 0,
    issuesResolved: 0,
    items: 0,
    rowsWritten: 0,
  };
  const changed: ChangedSpan[] = [];
  let targets: Checked[] = [];
  let finish: D1PreparedStatement | null = null;

  if (options.mode === "full") {
    const meters = await metersWithRange(env.DB, options.meterIds ?? null);
    for (const meter of meters) {
      if (!meter.first || !meter.last) continue;
      const from = options.from && options.from > meter.first ? options.from : meter.first;
      const to = options.to && options.to < meter.last ? options.to : meter.last;
      if (from <= to) targets.push({ meter, window: { from, to } });
    }
  } else {
    const batchId = options.batchId ?? null;
    const pending = await pendingChecks(env.DB, batchId);
    if (pending.last !== null) {
      const windows = new Map(pending.spans.map((p) => [p.meterId, { from: p.from, to: p.to }]));
      const meters = await metersWithRange(env.DB, [...windows.keys()]);
      targets = meters.map((meter) => ({ meter, window: windows.get(meter.id)! }));
      finish = deletePendingStatement(env.DB, batchId, pending.last);
    }
  }

  // Chunks in turn, the next one's reads under way while this one is checked and written (different
  // meters: their order does not matter).
  const chunks: Checked[][] = [];
  for (let i = 0; i < targets.length; i += CHUNK_METERS) chunks.push(targets.slice(i, i + CHUNK_METERS));
  const read = (i: number) => {
    const p = readChunk(env.DB, chunks[i]);
    p.catch(() => undefined); // awaited below
    return p;
  };
  let next = chunks.length ? read(0) : null;
  for (let i = 0; next; i++) {
    const data = await next;
    next = i + 1 < chunks.length ? read(i + 1) : null;
    const last = i + 1 === chunks.length;
    const chunk = chunks[i];
    const written = await checkMeters(
      env,
      chunk,
      data,
      rules,
      today,
      now.toISOString(),
      last && finish ? [finish] : [],
    );
    totals.issuesOpened += written.opened;
    totals.issuesUpdated += written.updated;
    totals.issuesResolved += written.resolved;
    totals.items! += chunk.length;
    totals.rowsWritten! += written.opened + written.updated + written.resolved;
    for (const { meter, window } of chunk)
      changed.push({ meterId: meter.id, siteId: meter.siteId, ...window });
  }
  // Pending rows of meters that no longer exist have no chunk: delete them all the same.
  if (finish && chunks.length === 0) await finish.run();

  if (options.evaluateAlarms) {
    const alarms = await evaluateAlarms(env, options.mode === "full" ? null : changed, now);
    totals.rowsWritten! += alarms.triggered;
    totals.detail = `${describe(totals)}; ${alarms.triggered} alarm triggers`;
  } else totals.detail = describe(totals);
  return totals;
}

const describe = (r: QualityRunResult) =>
  `${r.items} meters checked: ${r.issuesOpened} issues opened, ${r.issuesUpdated} updated, ${r.issuesResolved} resolved`;

/** Checks a chunk of meters over their windows and writes the differences in one batch. */
async function checkMeters(
  env: Env,
  chunk: Checked[],
  { days, existing }: Awaited<ReturnType<typeof readChunk>>,
  rules: RuleSettings,
  today: string,
  now: string,
  extra: D1PreparedStatement[],
) {
  const byIdentity = new Map(existing.map((i) => [identity(i.meterId, i.type, i.key), i]));
  const byMeter = new Map<number, StoredIssue[]>();
  for (const i of existing) {
    const list = byMeter.get(i.meterId);
    if (list) list.push(i);
    else byMeter.set(i.meterId, [i]);
  }
  const writes: IssueWrites = { upserts: [], resolves: [], seen: [] };
  let opened = 0;
  let updated = 0;
  const becameCritical: { meterId: number; siteId: number; finding: Finding }[] = [];
  const found = new Set<string>();

  for (const { meter, window } of chunk) {
    const meterRules = { ...rules, zeroRun: meter.zeroRun };
    const loaded = days.get(meter.id) ?? { days: [], before: null, after: null };
    const findings = dayFindings(loaded.days, window, meterRules);
    findings.push(...missingDays(gapsOf(loaded.days, loaded.before, loaded.after)));
    const [, loadedFrom, loadedTo] = loadedSpans([{ meter, window }])[0];
    const gapRange = { from: loaded.before ?? loadedFrom, to: loaded.after ?? loadedTo };
    if (meter.active && meter.last) {
      const stale = staleMeter(meter.last, today, meterRules);
      if (stale) findings.push(stale);
    }
    for (const finding of findings) {
      const id = identity(meter.id, finding.type, finding.key);
      found.add(id);
      const before = byIdentity.get(id);
      const periods = finding.periods === null ? null : JSON.stringify(finding.periods);
      if (!before || before.status === "resolved") {
        opened++;
        writes.upserts.push({ meterId: meter.id, finding });
      } else if (
        before.from !== finding.from ||
        before.to !== finding.to ||
        before.periods !== periods ||
        before.severity !== finding.severity ||
        before.detail !== finding.detail
      ) {
        updated++;
        writes.upserts.push({ meterId: meter.id, finding });
      } else {
        writes.seen.push(before.id);
        continue;
      }
      if (finding.severity === "critical" && before?.severity !== "critical")
        becameCritical.push({ meterId: meter.id, siteId: meter.siteId, finding });
    }
    for (const issue of byMeter.get(meter.id) ?? []) {
      if (issue.status === "resolved") continue;
      if (found.has(identity(issue.meterId, issue.type, issue.key))) continue;
      if (checkedBy(issue, window, gapRange))
        writes.resolves.push({ id: issue.id, note: RESOLVED_NOTE[issue.type] });
    }
  }

  const statements = [...issueStatements(env.DB, writes, now), ...extra];
  if (statements.length > 0) {
    const results = await env.DB.batch<{ id: number; meterId: number; type: string; key: string }>(
      statements,
    );
    if (becameCritical.length > 0 && writes.upserts.length > 0) {
      const ids = new Map(results[0].results.map((r) => [identity(r.meterId, r.type, r.key), r.id]));
      await notifyCriticalIssues(
        env,
        becameCritical.map((c) => ({
          ...c,
          issueId: ids.get(identity(c.meterId, c.finding.type, c.finding.key)) ?? null,
        })),
      );
    }
  }
  return { opened, updated, resolved: writes.resolves.length };
}
