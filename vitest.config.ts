import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Deliver queue messages within 50 ms instead of wrangler.toml's 1 s, so import tests run quickly.
        queueConsumers: {
          "eclectyc-imports": {
            maxBatchSize: 10,
            maxBatchTimeout: 0.05,
            maxRetries: 5,
            deadLetterQueue: "eclectyc-imports-dlq",
          },
          "eclectyc-imports-dlq": { maxBatchSize: 10, maxBatchTimeout: 0.05, maxRetries: 1 },
          "eclectyc-notifications": { maxBatchSize: 10, maxBatchTimeout: 0.05, maxRetries: 3 },
        },
        // The request limits of wrangler.toml are out of reach for the suite (miniflare's counters are
        // shared by every test file, where token ids repeat); test/auth/rate-limit.test.ts runs the app
        // with the small TEST_LOW_* limits instead, so it reaches them in a few requests.
        ratelimits: {
          API_TOKEN_LIMIT: { namespace_id: "1001", simple: { limit: 1_000_000, period: 60 } },
          API_IP_LIMIT: { namespace_id: "1002", simple: { limit: 1_000_000, period: 60 } },
          TEST_LOW_TOKEN_LIMIT: { namespace_id: "1003", simple: { limit: 30, period: 60 } },
          TEST_LOW_IP_LIMIT: { namespace_id: "1004", simple: { limit: 40, period: 60 } },
        },
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("migrations"),
          APP_ENV: "test",
          // Believe CF-Connecting-IP, as production does, so tests can play clients at several IPs.
          TRUST_CF_CONNECTING_IP: "true",
          // Small limits so tests exercise many byte ranges and the size limit with small files.
          IMPORT_RANGE_BYTES: "160",
          MAX_UPLOAD_BYTES: "200000",
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**"],
    setupFiles: ["./test/setup.ts"],
  },
}));
