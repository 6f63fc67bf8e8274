// What the benchmarks share: the environment that keeps wrangler local and quiet, and starting the app
// (`npm start` or another command) in a process group of its own until it answers.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const benchEnv = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "true",
};

/** `--name value` pairs of the command line. */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(
    argv.reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
  );
}

/**
 * Runs `argv` with PORT and ECLECTYC_STATE_DIR set and waits until `readyPath` answers 2xx. `logTo`
 * keeps the server's output (wrangler's request and queue lines) in a file for a closer look.
 */
export async function startServer({ port, state, argv, readyPath, label, extraEnv = {}, logTo }) {
  const child = spawn(argv[0], argv.slice(1), {
    env: { ...benchEnv, PORT: String(port), ECLECTYC_STATE_DIR: state, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  const keep = logTo ? createWriteStream(logTo) : null;
  child.stdout.on("data", (d) => ((log += d), keep?.write(d)));
  child.stderr.on("data", (d) => ((log += d), keep?.write(d)));
  for (let i = 0; i < 480; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${readyPath}`);
      if (res.ok) return { child, stop: () => process.kill(-child.pid, "SIGTERM") };
    } catch {}
    if (child.exitCode !== null) break;
    await sleep(250);
  }
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  throw new Error(`${label} did not start:\n${log.slice(-3000)}`);
}

/**
 * `npm start` on fresh state in `state`, on a random port (another one when the port is taken on a shared
 * machine, up to three tries): the server, its port and base URL. `extraEnv` may be a function of the port
 * (bench:import puts the inspector beside it); the server's output goes to `logTo`, else `${state}.log`.
 */
export async function startAppOnFreePort({ state, extraEnv = {}, logTo }) {
  const { rmSync } = await import("node:fs");
  for (let attempt = 1; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    rmSync(state, { recursive: true, force: true });
    try {
      const server = await startServer({
        port,
        state,
        argv: ["node", "scripts/start.mjs"],
        readyPath: "/api/health",
        label: "app",
        extraEnv: typeof extraEnv === "function" ? extraEnv(port) : extraEnv,
        logTo: logTo ?? `${state}.log`,
      });
      return { ...server, port, base: `http://127.0.0.1:${port}` };
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** The demo admin's session cookie (local demo credentials from scripts/seed.mjs). */
export async function signInAsDemoAdmin(base) {
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "admin@eclectyc.energy", password: "admin123" }),
  });
  return login.headers.get("set-cookie").split(";")[0];
}
