// The Carbon Intensity API over HTTP: one GET with a timeout, retried with backoff on a timeout, a
// network error, a 5xx or a 429; any other answer is final. Failures are CarbonApiError values, never
// thrown past the poll. Options are passed in so tests run without waiting or touching the network.
import { CarbonApiError } from "./domain";

export const DEFAULT_CARBON_API_URL = "https://api.carbonintensity.org.uk";

export type ClientOptions = {
  baseUrl: string;
  fetch: typeof fetch;
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubled before each one after. */
  backoffMs: number;
  sleep: (ms: number) => Promise<void>;
};

const msFrom = (text: string | undefined, fallback: number) => {
  const n = Number(text);
  return text && Number.isFinite(n) && n >= 0 ? n : fallback;
};

export const defaultClientOptions = (
  env: Pick<Env, "CARBON_API_URL" | "CARBON_TIMEOUT_MS" | "CARBON_BACKOFF_MS">,
): ClientOptions => ({
  baseUrl: (env.CARBON_API_URL || DEFAULT_CARBON_API_URL).replace(/\/+$/, ""),
  // Looked up at call time, so a stubbed global fetch (tests) is the one used.
  fetch: (input, init) => fetch(input, init),
  timeoutMs: msFrom(env.CARBON_TIMEOUT_MS, 10_000),
  attempts: 3,
  backoffMs: msFrom(env.CARBON_BACKOFF_MS, 1_000),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

export type CarbonClient = { get: (path: string) => Promise<unknown>; requests: () => number };

export function carbonClient(options: ClientOptions): CarbonClient {
  let requests = 0;
  async function attempt(path: string): Promise<unknown> {
    requests++;
    const signal = AbortSignal.timeout(options.timeoutMs);
    let res: Response;
    try {
      res = await options.fetch(`${options.baseUrl}${path}`, {
        headers: { Accept: "application/json" },
        signal,
      });
    } catch (err) {
      if (signal.aborted)
        throw new CarbonApiError("timeout", `${path}: no answer within ${options.timeoutMs} ms`);
      throw new CarbonApiError("network", `${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text().catch(() => "");
    if (!res.ok) {
      // The API's errors are {"error":{"code","message"}}: keep its message in ours.
      let message = text.slice(0, 200);
      try {
        const body = JSON.parse(text) as { error?: { message?: string } };
        if (body.error?.message) message = body.error.message;
      } catch {
        /* not JSON: the text itself */
      }
      throw Object.assign(new CarbonApiError("http", `${path}: ${res.status} ${message}`), {
        status: res.status,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CarbonApiError("shape", `${path}: the answer is not JSON`);
    }
  }
  const retryable = (err: unknown) => {
    if (!(err instanceof CarbonApiError)) return false;
    if (err.code === "http") {
      const status = (err as CarbonApiError & { status?: number }).status ?? 0;
      return status >= 500 || status === 429;
    }
    return err.code === "timeout" || err.code === "network";
  };
  return {
    requests: () => requests,
    async get(path) {
      for (let i = 1; ; i++) {
        try {
          return await attempt(path);
        } catch (err) {
          if (i >= options.attempts || !retryable(err)) throw err;
          await options.sleep(options.backoffMs * 2 ** (i - 1));
        }
      }
    },
  };
}
