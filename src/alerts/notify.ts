// Operational alerts: Slack-compatible JSON to ALERT_WEBHOOK_URL when it is set, the log otherwise.
export type Alert = { title: string; detail?: string; severity?: "info" | "warning" | "critical" };

export async function sendAlert(
  env: { ALERT_WEBHOOK_URL?: string },
  alert: Alert,
): Promise<"sent" | "logged"> {
  const severity = alert.severity ?? "warning";
  const text = `[${severity}] ${alert.title}${alert.detail ? `\n${alert.detail}` : ""}`;
  if (!env.ALERT_WEBHOOK_URL) {
    console.warn(`alert: ${text}`);
    return "logged";
  }
  try {
    const res = await fetch(env.ALERT_WEBHOOK_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(slackMessage(text)),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    return "sent";
  } catch (err) {
    // An alert that cannot be delivered must still leave a trace.
    console.error(`alert delivery failed (${String(err)}): ${text}`);
    return "logged";
  }
}

/** The Slack-compatible body of a webhook message (also used by src/notifications/deliver.ts). */
export const slackMessage = (text: string) => ({
  text,
  blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
});
