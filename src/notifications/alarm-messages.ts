// What an alarm trigger says and where it goes: an email to each recipient (text and HTML, the figures
// and a link to the alarm's page), the alert webhook when the alarm asks for it, and the bell of every
// user who may see the alarm's meter or site.
import type { AlarmRow } from "../alarms/store";
import { METRIC_NAMES, METRIC_UNITS, type Breach } from "../alarms/domain";
import { setNotified } from "../alarms/store";
import { roundPence } from "../tariffs/bill";
import { appUrl, deliver, escapeHtml, type DeliveryRequest } from "./deliver";
import { notifyUsers } from "./in-app";

const figure = (v: number) => Number(v.toFixed(2)).toLocaleString("en-GB");
const gbp = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

/** A value with its unit: pence as pounds (rounded once, here), else the figure and its unit. */
export function metricFigure(metric: AlarmRow["metric"], v: number): string {
  return metric === "costPence" ? gbp.format(roundPence(v) / 100) : `${figure(v)} ${METRIC_UNITS[metric]}`;
}

export type TriggerMessage = { subject: string; text: string; html: string; link: string; summary: string };

/** The words and figures of a trigger, shared by every channel. */
export function triggerMessage(
  env: Pick<Env, "APP_URL">,
  alarm: Pick<AlarmRow, "id" | "name" | "metric" | "period" | "operator" | "pctAbovePrevious">,
  watched: string,
  t: Breach,
): TriggerMessage {
  const show = (v: number) => metricFigure(alarm.metric, v);
  const span = t.from === t.to ? t.from : `${t.from} to ${t.to}`;
  const direction = alarm.operator === "gt" ? "above" : "below";
  const against =
    alarm.pctAbovePrevious !== null && t.previous !== null
      ? `${show(t.threshold)} (${alarm.pctAbovePrevious} % over the previous ${alarm.period}'s ${show(t.previous)})`
      : show(t.threshold);
  const summary = `${METRIC_NAMES[alarm.metric]} of ${watched} for ${span} was ${show(t.value)}, ${direction} ${against}`;
  const link = `${appUrl(env)}/alarms/${alarm.id}`;
  const subject = `Alarm "${alarm.name}": ${show(t.value)} for ${span}`;
  const text = `${summary}.\n\nAlarm: ${alarm.name}\nSee it at ${link}\n`;
  const html = `<p>${escapeHtml(summary)}.</p>
<table><tr><th align="left">Alarm</th><td>${escapeHtml(alarm.name)}</td></tr>
<tr><th align="left">Span</th><td>${escapeHtml(span)}</td></tr>
<tr><th align="left">Value</th><td>${escapeHtml(show(t.value))}</td></tr>
<tr><th align="left">Threshold</th><td>${escapeHtml(against)}</td></tr></table>
<p><a href="${escapeHtml(link)}">Open the alarm</a></p>`;
  return { subject, text, html, link, summary };
}

/** Sends a new trigger everywhere it should go and records how it was notified. */
export async function notifyAlarmTrigger(env: Env, alarm: AlarmRow, trigger: Breach & { id: number }) {
  const where = await env.DB.prepare(
    `SELECT COALESCE(m.mpan, s.name) AS watched, COALESCE(?2, m.site_id) AS siteId
     FROM (SELECT 1) LEFT JOIN meters m ON m.id = ?1 LEFT JOIN sites s ON s.id = ?2`,
  )
    .bind(alarm.meterId, alarm.siteId)
    .first<{ watched: string; siteId: number }>();
  const message = triggerMessage(env, alarm, where?.watched ?? "?", trigger);
  const source = `alarm_trigger:${trigger.id}`;
  const requests: DeliveryRequest[] = (JSON.parse(alarm.recipients) as string[]).map((to) => ({
    channel: "email",
    source,
    to,
    subject: message.subject,
    text: message.text,
    html: message.html,
  }));
  if (alarm.webhook)
    requests.push({
      channel: "webhook",
      source,
      subject: message.subject,
      text: `:rotating_light: ${message.summary}. <${message.link}|Open the alarm>`,
    });
  const channels = new Set<string>();
  // Each channel on its own: a failed email is recorded and retried, and the bell still rings.
  await deliver(env, requests).catch((err) => console.error(`alarm ${alarm.id} deliveries: ${String(err)}`));
  for (const r of requests) channels.add(r.channel);
  await notifyUsers(env, [
    {
      kind: "alarm",
      title: `Alarm: ${alarm.name}`,
      body: message.summary,
      link: `/alarms/${alarm.id}`,
      siteId: where?.siteId ?? null,
    },
  ]).then(
    () => channels.add("app"),
    (err) => console.error(`alarm ${alarm.id} bell: ${String(err)}`),
  );
  await setNotified(env.DB, trigger.id, [...channels]);
}
