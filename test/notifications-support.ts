// Stand-ins for the bindings notifications use: an EMAIL that records each message, a NOTIFICATIONS
// queue that records each send (so a test delivers retries itself), and a webhook answered by a stub.
import { env } from "cloudflare:test";
import { vi } from "vitest";

export type SentEmail = { from: string; to: string; subject: string; text: string; html: string };

export function recordingEnv(overrides: Partial<Env> = {}) {
  const emails: SentEmail[] = [];
  const queued: { body: unknown; delaySeconds?: number }[] = [];
  const email = {
    send: async (m: SentEmail) => {
      emails.push(m);
      return { messageId: `m${emails.length}` };
    },
  } as unknown as SendEmail;
  const queue = {
    send: async (body: unknown, options?: { delaySeconds?: number }) => {
      queued.push({ body, delaySeconds: options?.delaySeconds });
    },
  } as unknown as Queue;
  return {
    env: {
      ...env,
      EMAIL: email,
      NOTIFICATIONS: queue,
      ALERT_WEBHOOK_URL: "https://hooks.example.com/alerts",
      ...overrides,
    } as Env,
    emails,
    queued,
  };
}

/** Answers webhook posts with the given statuses in turn (then 200), recording each body. */
export function stubWebhook(statuses: number[] = []) {
  const bodies: unknown[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith("https://hooks.example.com/")) throw new Error(`unexpected fetch to ${url}`);
    bodies.push(JSON.parse(String(init?.body)));
    return new Response("ok", { status: statuses.shift() ?? 200 });
  });
  return { bodies, spy };
}
