// Evaluating alarms: after aggregation for the spans imports changed (src/quality/run.ts calls this
// with them), and nightly over the recent weeks. Each span triggers an alarm at most once (the trigger
// table's key); a new trigger is notified by email, webhook and in the app.
import type { Span } from "../analytics/calendar";
import { database } from "../db/client";
import { notifyAlarmTrigger } from "../notifications/alarm-messages";
import { addDays, settlementPeriodAt } from "../time/settlement";
import { dayCosts } from "./costs";
import { breachOf, daysNeeded, spansTouching, type AlarmRule, type Breach } from "./domain";
import { activeAlarms, daySums, insertTrigger, type AlarmRow } from "./store";

export type ChangedSpan = { meterId: number; siteId: number; from: string; to: string };

/** Days the nightly evaluation looks back over: the last complete month and the days since. */
export const NIGHTLY_DAYS = 40;
/** Days an alarm's preview looks back over. */
export const PREVIEW_DAYS = 90;

/** The spans of the alarm's period touching the windows, each once, in order. */
function spansFor(alarm: AlarmRule, windows: Span[]): Span[] {
  const byFrom = new Map<string, Span>();
  for (const w of windows) for (const s of spansTouching(alarm.period, w.from, w.to)) byFrom.set(s.from, s);
  return [...byFrom.values()].sort((a, b) => (a.from < b.from ? -1 : 1));
}

/** What an alarm would trigger on over spans: figures read once for all of them. */
export async function breaches(
  db: D1Database,
  alarm: AlarmRule & { meterId: number | null; siteId: number | null },
  windows: Span[],
): Promise<Breach[]> {
  const spans = spansFor(alarm, windows);
  const need = daysNeeded(alarm.period, spans);
  if (!need) return [];
  const { days: sums, lastDate } = await daySums(db, alarm, need.from, need.to);
  if (!lastDate) return [];
  let days = sums;
  if (alarm.metric === "costPence") {
    // Every day of the spans counts (a day without readings still pays its standing charge).
    const costs = await dayCosts(db, alarm, need);
    const measured = new Map(sums.map((d) => [d.date, d]));
    days = [...costs].map(([date, costPence]) => ({
      ...(measured.get(date) ?? { date, kwh: 0, baseloadKw: null, peakKwh: null }),
      costPence,
      measured: measured.has(date),
    }));
  }
  return spans.map((s) => breachOf(alarm, s, days, lastDate)).filter((b): b is Breach => b !== null);
}

/** Today's settlement date, and the window from `days` ago to it. */
export function recentWindow(now: Date, days: number): Span {
  const today = settlementPeriodAt(now.getTime()).date;
  return { from: addDays(today, -days), to: today };
}

export async function evaluateAlarms(
  env: Env,
  changed: ChangedSpan[] | null,
  now: Date,
): Promise<{ triggered: number }> {
  const meterIds = changed && [...new Set(changed.map((c) => c.meterId))];
  const siteIds = changed && [...new Set(changed.map((c) => c.siteId))];
  if (changed && changed.length === 0) return { triggered: 0 };
  const alarms = await activeAlarms(database(env), meterIds, siteIds);
  let triggered = 0;
  for (const alarm of alarms) {
    const windows = changed
      ? changed
          .filter((c) => (alarm.meterId !== null ? c.meterId === alarm.meterId : c.siteId === alarm.siteId))
          .map(({ from, to }) => ({ from, to }))
      : [recentWindow(now, NIGHTLY_DAYS)];
    for (const breach of await breaches(env.DB, alarm, windows)) {
      const id = await insertTrigger(env.DB, alarm.id, breach, now.toISOString());
      if (id === null) continue; // this span triggered before: once per alarm and span
      triggered++;
      await notifyAlarmTrigger(env, alarm as AlarmRow, { id, ...breach });
    }
  }
  return { triggered };
}
