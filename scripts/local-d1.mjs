// Local D1 helpers for the dev scripts: run SQL through wrangler against the local (workerd) database.
import { execFileSync } from "node:child_process";

export const localEnv = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "true", // no interactive confirmations
};

/** ECLECTYC_STATE_DIR keeps a run's local state apart (the browser tests use a fresh one). */
export const persistArgs = process.env.ECLECTYC_STATE_DIR
  ? ["--persist-to", process.env.ECLECTYC_STATE_DIR]
  : [];

export function wrangler(args, opts = {}) {
  return execFileSync("wrangler", args, { env: localEnv, encoding: "utf8", stdio: opts.stdio ?? "pipe" });
}

export function queryLocal(sql) {
  const out = wrangler(["d1", "execute", "DB", "--local", ...persistArgs, "--json", "--command", sql]);
  return JSON.parse(out)[0].results;
}

export function executeFileLocal(path) {
  wrangler(["d1", "execute", "DB", "--local", ...persistArgs, "--file", path]);
}

export function applyMigrationsLocal() {
  wrangler(["d1", "migrations", "apply", "DB", "--local", ...persistArgs], { stdio: "inherit" });
}
