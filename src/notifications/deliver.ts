// Email and webhook deliveries: each one is recorded (deliveries) with its outcome; one failing never
// stops the others; a failed one is retried through the NOTIFICATIONS queue with exponential backoff.
import { z } from "zod";
import { slackMessage } from "../alerts/notify";

export type EmailParts = { to: string; subject: string; text: string; html: string };
export type DeliveryRequest =
  | ({ channel: "email"; source: string } & EmailParts)
  | { channel: "webhook"; source: string; subject: string; text: string };

export const NOTIFICATIONS_QUEUE = "eclectyc-notifications";
/** Attempts before a delivery is left failed for good (the first one plus retries). */
export const MAX_ATTEMPTS = 5;
/** Seconds before the next attempt: 30 s, 60 s, 120 s, 240 s. */
export const retryDelaySeconds = (attempts: number) => Math.min(3600, 15 * 2 ** attempts);

export const NotificationMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("delivery"), id: z.number().int().positive() }),
]);
export type NotificationMessage = z.infer<typeof NotificationMessageSchema>;

export const emailSender = (env: Pick<Env, "EMAIL_FROM">) => env.EMAIL_FROM ?? "alerts@eclectyc.energy";
export const appUrl = (env: Pick<Env, "APP_URL">) =>
  (env.APP_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");

/** Text made safe for an email's HTML part. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

type Stored = { id: number; channel: "email" | "webhook"; target: string; payload: string; attempts: number };

/** Sends one delivery; throws with the reason when it cannot. */
async function send(env: Env, d: Stored): Promise<void> {
  if (d.channel === "email") {
    const parts = JSON.parse(d.payload) as EmailParts;
    if (!env.EMAIL) throw new Error("no EMAIL binding");
    await env.EMAIL.send({
      from: emailSender(env),
      to: parts.to,
      subject: parts.subject,
      text: parts.text,
      html: parts.html,
    });
    return;
  }
  const res = await fetch(d.target, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: d.payload,
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

/** One attempt at a stored delivery: its outcome recorded, and the next attempt queued when it failed. */
async function attempt(env: Env, d: Stored): Promise<"sent" | "failed"> {
  const attempts = d.attempts + 1;
  try {
    await send(env, d);
    await env.DB.prepare(
      "UPDATE deliveries SET status = 'sent', attempts = ?2, last_error = NULL, updated_at = ?3 WHERE id = ?1",
    )
      .bind(d.id, attempts, new Date().toISOString())
      .run();
    return "sent";
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    await env.DB.prepare(
      "UPDATE deliveries SET status = 'failed', attempts = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1",
    )
      .bind(d.id, attempts, reason, new Date().toISOString())
      .run();
    if (attempts < MAX_ATTEMPTS) {
      await env.NOTIFICATIONS.send({ kind: "delivery", id: d.id } satisfies NotificationMessage, {
        delaySeconds: retryDelaySeconds(attempts),
      });
    } else console.error(`delivery ${d.id} failed ${attempts} times, giving up: ${reason}`);
    return "failed";
  }
}

/**
 * Records and sends deliveries, all at once: each outcome is its own (a webhook that is down does not
 * stop the emails). Webhook deliveries without ALERT_WEBHOOK_URL are logged instead of recorded.
 */
export async function deliver(env: Env, requests: DeliveryRequest[]): Promise<("sent" | "failed")[]> {
  const rows: {
    channel: "email" | "webhook";
    target: string;
    subject: string;
    payload: string;
    source: string;
  }[] = [];
  for (const r of requests) {
    if (r.channel === "email") {
      const { to, subject, text, html } = r;
      rows.push({
        channel: "email",
        target: to,
        subject,
        payload: JSON.stringify({ to, subject, text, html }),
        source: r.source,
      });
    } else if (env.ALERT_WEBHOOK_URL) {
      rows.push({
        channel: "webhook",
        target: env.ALERT_WEBHOOK_URL,
        subject: r.subject,
        payload: JSON.stringify(slackMessage(r.text)),
        source: r.source,
      });
    } else console.warn(`alert (no ALERT_WEBHOOK_URL): ${r.text}`);
  }
  if (rows.length === 0) return [];
  const inserted = await env.DB.prepare(
    `INSERT INTO deliveries (channel, target, subject, payload, source)
     SELECT value->>'channel', value->>'target', value->>'subject', value->>'payload', value->>'source'
     FROM json_each(?1) RETURNING id, channel, target, payload, attempts`,
  )
    .bind(JSON.stringify(rows))
    .all<Stored>();
  const outcomes = await Promise.allSettled(inserted.results.map((d) => attempt(env, d)));
  return outcomes.map((o) => (o.status === "fulfilled" ? o.value : "failed"));
}

/** The NOTIFICATIONS queue: another attempt at each failed delivery whose time has come. */
export async function notificationQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = NotificationMessageSchema.safeParse(msg.body);
    if (parsed.success) {
      const d = await env.DB.prepare(
        "SELECT id, channel, target, payload, attempts FROM deliveries WHERE id = ?1 AND status = 'failed'",
      )
        .bind(parsed.data.id)
        .first<Stored>();
      if (d) await attempt(env, d);
    } else console.error("dropping a malformed notification message", JSON.stringify(msg.body));
    msg.ack();
  }
}
