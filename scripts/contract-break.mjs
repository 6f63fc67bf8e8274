// Proves the contract holds: in a throwaway copy of the repository, rename one response field in a
// Worker zod schema (Meter.siteName, which the meter pages show) and check that (1) the stale-types
// check fails until the types are regenerated, and (2) once regenerated, the web's typecheck fails at
// the pages that read the old name. Run by `npm test` (as `npm run test:contract`).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(".");
const copy = mkdtempSync(join(tmpdir(), "eclectyc-contract-"));
const SCHEMA_FILE = "src/meters/routes.ts";
const FROM = "    siteName: z.string(),\n";
const TO = "    siteLabel: z.string(),\n";

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: "utf8" });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

function fail(message, output = "") {
  console.error(`contract check FAILED: ${message}\n${output}`);
  process.exitCode = 1;
}

try {
  const paths = ["src", "cron", "durable-objects", "web/src", "web/tsconfig.json", "web/vite.config.ts"];
  for (const path of [...paths, ".prettierrc.json"])
    cpSync(join(repo, path), join(copy, path), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"), "dir");

  const source = readFileSync(join(copy, SCHEMA_FILE), "utf8");
  if (source.split(FROM).length !== 2)
    throw new Error(`${SCHEMA_FILE} no longer has exactly one ${FROM.trim()}`);
  writeFileSync(join(copy, SCHEMA_FILE), source.replace(FROM, TO));

  const stale = run(["scripts/api-types.mjs", "--root", copy, "--check"]);
  if (stale.code === 0 || !stale.output.includes("does not match the Worker's routes"))
    fail("the stale-types check did not report the renamed field", stale.output);
  else console.log("1. renamed Meter.siteName in the zod schema: the stale-types check fails, as it should");

  const generated = run(["scripts/api-types.mjs", "--root", copy]);
  if (generated.code !== 0) throw new Error(`could not regenerate the types:\n${generated.output}`);
  const tsc = join(repo, "node_modules/typescript/bin/tsc");
  const typecheck = run([tsc, "--noEmit", "-p", join(copy, "web")]);
  const errors = typecheck.output.split("\n").filter((l) => /error TS\d+/.test(l));
  const atOldName = errors.filter((l) => l.includes("'siteName'"));
  if (typecheck.code === 0 || atOldName.length === 0)
    fail("the web typecheck did not fail on the renamed field", typecheck.output);
  else {
    console.log(`2. with the types regenerated, the web typecheck fails (${errors.length} errors), e.g.:`);
    for (const line of atOldName.slice(0, 3)) console.log(`   ${line.replace(/^.*?(?=web\/src\/)/, "")}`);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
