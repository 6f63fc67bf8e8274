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
  type Window,
} from "./rules";
import {
  deletePendingStatement,
  existingIssues,
  issueStatements,
  metersWithRange,
  pendingChecks,
  readDays,
  readGaps,
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

/** Meters per chunk: a year of days each is ~18,000 rows of readings to read and check at once. */
const CHUNK_METERS = 50;
const PENDING_PAGE = 2_000;

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
function checkedBy(issue: StoredIssue, window: Window): boolean {
  switch (issue.type) {
    case "missing_days":
    case "stale":
      return true; // worked out over the meter's whole history on every run
    case "zero_run":
    case "flatline":
      return issue.from <= window.to && issue.to >= window.from;
    default:
      return issue.from >= window.from && issue.from <= window.to;
  }
}

const identity = (meterId: number, type: string, key: string) => `${meterId}|${type}|${key}`;

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

  const checkChunk = async (chunk: Checked[], extra: D1PreparedStatement[]) => {
    const written = await checkMeters(env, chunk, rules, today, now.toISOString(), extra);
    totals.issuesOpened += written.opened;
    totals.issuesUpdated += written.updated;
    totals.issuesResolved += written.resolved;
    totals.items! += chunk.length;
    totals.rowsWritten! += written.opened + written.updated + written.resolved;
    for (const { meter, window } of chunk)
      changed.push({ meterId: meter.id, siteId: meter.siteId, ...window });
  };

  if (options.mode === "full") {
    const meters = await metersWithRange(env.DB, options.meterIds ?? null);
    const targets: Checked[] = [];
    for (const meter of meters) {
      if (!meter.first || !meter.last) continue;
      const from = options.from && options.from > meter.first ? options.from : meter.first;
      const to = options.to && options.to < meter.last ? options.to : meter.last;
      if (from <= to) targets.push({ meter, window: { from, to } });
    }
    for (let i = 0; i < targets.length; i += CHUNK_METERS)
      await checkChunk(targets.slice(i, i + CHUNK_METERS), []);
  } else {
    for (;;) {
      const rows = await pendingChecks(env.DB, options.batchId ?? null, PENDING_PAGE);
      if (rows.length === 0) break;
      const windows = new Map<number, Window>();
      for (const r of rows) {
        const w = windows.get(r.meterId);
        windows.set(r.meterId, {
          from: w && w.from < r.firstDate ? w.from : r.firstDate,
          to: w && w.to > r.lastDate ? w.to : r.lastDate,
        });
      }
      const meters = await metersWithRange(env.DB, [...windows.keys()]);
      const targets = meters.map((meter) => ({ meter, window: windows.get(meter.id)! }));
      for (let i = 0; i < targets.length; i += CHUNK_METERS) {
        const chunk = targets.slice(i, i + CHUNK_METERS);
        // The last chunk also deletes the page's pending rows, in the same batch as its writes.
        const last = i + CHUNK_METERS >= targets.length;
        await checkChunk(chunk, last ? [deletePendingStatement(env.DB, rows)] : []);
      }
      // Rows of meters that no longer exist have no target: drop them too.
      if (targets.length === 0) await deletePendingStatement(env.DB, rows).run();
      if (rows.length < PENDING_PAGE) break;
    }
  }

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
  rules: RuleSettings,
  today: string,
  now: string,
  extra: D1PreparedStatement[],
) {
  const ids = chunk.map((c) => c.meter.id);
  const [days, gaps, existing] = await Promise.all([
    readDays(
      env.DB,
      chunk.map(({ meter, window }) => [
        meter.id,
        addDays(window.from, -HISTORY_DAYS),
        addDays(window.to, 2),
      ]),
    ),
    readGaps(env.DB, ids),
    existingIssues(env.DB, ids),
  ]);
  const byIdentity = new Map(existing.map((i) => [identity(i.meterId, i.type, i.key), i]));
  const writes: IssueWrites = { upserts: [], resolves: [], seen: [] };
  let opened = 0;
  let updated = 0;
  const becameCritical: { meterId: number; siteId: number; finding: Finding }[] = [];
  const found = new Set<string>();

  for (const { meter, window } of chunk) {
    const meterRules = { ...rules, zeroRun: meter.zeroRun };
    const findings = dayFindings(days.get(meter.id) ?? [], window, meterRules);
    findings.push(...missingDays(gaps.get(meter.id) ?? []));
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
    for (const issue of existing) {
      if (issue.meterId !== meter.id || issue.status === "resolved") continue;
      if (found.has(identity(issue.meterId, issue.type, issue.key))) continue;
      if (checkedBy(issue, window)) writes.resolves.push({ id: issue.id, note: RESOLVED_NOTE[issue.type] });
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
