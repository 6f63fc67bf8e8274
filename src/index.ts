// The Worker entry only wires: the Hono app, the queue consumer, the cron dispatcher, the Durable Objects.
import { runScheduled } from "../cron/index";
import { app } from "./app";

export { ImportJob } from "../durable-objects/import-job";

export default {
  fetch: app.fetch,
  scheduled: async (controller, env, ctx) => {
    ctx.waitUntil(runScheduled(controller, env));
  },
} satisfies ExportedHandler<Env>;
