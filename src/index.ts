// The Worker entry only wires: the Hono app, the queue consumer, the cron dispatcher, the Durable Objects.
import { app } from "./app";

export { ImportJob } from "../durable-objects/import-job";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
