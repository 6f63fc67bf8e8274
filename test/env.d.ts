import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** Small request limits for test/auth/rate-limit.test.ts (vitest.config.ts). */
      TEST_LOW_TOKEN_LIMIT: RateLimit;
      TEST_LOW_IP_LIMIT: RateLimit;
    }
  }
}
