// `npm start`: build the SPA, migrate the local D1, seed it when empty, then serve on 127.0.0.1 (PORT overrides 8787).
// Everything stays local: no Cloudflare account, no network.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { aggregateLocal, passwordAuth } from "./aggregate.mjs";
import { applyMigrationsLocal, localEnv, persistArgs } from "./local-d1.mjs";
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seed } from "./seed.mjs";

const port = process.env.PORT ?? "8787";

execFileSync("vite", ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
  stdio: "inherit",
  env: localEnv,
});
applyMigrationsLocal();
const seeded = isEmpty();
if (seeded) {
  seed();
  console.log("Seeded demo data into the empty local database.");
}
console.log(`\nEclectyc Energy: http://127.0.0.1:${port}`);
console.log(
  `Demo sign-ins (local only): ${DEMO_USERS.map((u) => u[0]).join(", ")}; password ${DEMO_PASSWORD}\n`,
);

const dev = spawn(
  "wrangler",
  [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    port,
    "--local",
    ...persistArgs,
    "--show-interactive-dev-session=false",
    // The benchmark reads the Worker isolate's heap through the inspector on a port of its own.
    ...(process.env.INSPECTOR_PORT ? ["--inspector-port", process.env.INSPECTOR_PORT] : []),
    // bench:aggregate imports once with and once without aggregation (see src/imports/pipeline.ts).
    ...(process.env.AGGREGATE_ON_IMPORT
      ? ["--var", `AGGREGATE_ON_IMPORT:${process.env.AGGREGATE_ON_IMPORT}`]
      : []),
  ],
  {
    stdio: "inherit",
    env: localEnv,
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

// The demo readings were written straight into D1: once the server answers, turn them into figures.
if (seeded) {
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 480; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).status < 500) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    const auth = passwordAuth(base, DEMO_USERS[0][0], DEMO_PASSWORD);
    const run = await aggregateLocal({ base, full: false, auth });
    console.log(`Consumption figures for the demo data: ${run.days} meter-days aggregated.`);
  } catch (err) {
    console.error(`Could not aggregate the demo data (run \`npm run aggregate\`): ${err.message}`);
  }
}
