// The Worker entry only wires: the Hono app, the queue consumers, the cron dispatcher, the Durable Objects.
import { runScheduled } from "../cron/index";
import { app } from "./app";
import { DEAD_LETTER_QUEUE, importDeadLetters, importQueue } from "./imports/pipeline";
import { NOTIFICATIONS_QUEUE, notificationQueue } from "./notifications/deliver";

export { ImportJob } from "../durable-objects/import-job";

export default {
  fetch: app.fetch,
  queue: async (batch, env) => {
    if (batch.queue === DEAD_LETTER_QUEUE) await importDeadLetters(batch, env);
    else if (batch.queue === NOTIFICATIONS_QUEUE) await notificationQueue(batch, env);
    else await importQueue(batch, env);
  },
  scheduled: async (controller, env, ctx) => {
    ctx.waitUntil(runScheduled(controller, env));
  },
} satisfies ExportedHandler<Env>;
