// Secrets (set with `wrangler secret put`), not in wrangler.toml, so `wrangler types` cannot see them.
interface Env {
  ALERT_WEBHOOK_URL?: string;
}
interface Env {
  /** Derives webhook signing secrets; `wrangler secret put SECRETS_KEY` in production. */
  SECRETS_KEY?: string;
}
interface Env {
  /** Byte-range size for import work (tests make it tiny to exercise many ranges). */
  IMPORT_RANGE_BYTES?: string;
}
interface Env {
  /** Seconds without progress after which an unfinished import counts as stalled (default 300). */
  IMPORT_STALL_SECONDS?: string;
  /** "true" to believe a client-sent CF-Connecting-IP outside production (tests; see src/audit/log.ts). */
  TRUST_CF_CONNECTING_IP?: string;
}
interface Env {
  /** Carbon Intensity API: ms a request may take before it is retried (default 10,000; tests make it small). */
  CARBON_TIMEOUT_MS?: string;
  /** Carbon Intensity API: ms before the first retry, doubled for each further one (default 1,000). */
  CARBON_BACKOFF_MS?: string;
  /** Sender address of notification emails (default alerts@eclectyc.energy). */
  EMAIL_FROM?: string;
  /** The app's address, for links in emails (default http://127.0.0.1:8787). */
  APP_URL?: string;
  /** Data-quality thresholds (src/quality/run.ts): zero half-hours in a run, days before stale. */
  QUALITY_ZERO_RUN_PERIODS?: string;
  QUALITY_STALE_DAYS?: string;
}
