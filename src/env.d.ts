// Secrets (set with `wrangler secret put`), not in wrangler.toml, so `wrangler types` cannot see them.
interface Env {
  ALERT_WEBHOOK_URL?: string;
}
