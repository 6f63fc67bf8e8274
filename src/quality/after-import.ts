// The checks after an import: once it has completed (its figures aggregated), the quality rules and the alarms run
// over the days it changed, recorded as a data-quality execution triggered by the import.
import { runExecution } from "../scheduler/executions";
import { runQualityChecks } from "./run";

/**
 * Never fails the import: a failed check leaves the import's spans pending (checks_pending), and the
 * nightly run covers every meter anyway. True when the checks ran.
 */
export async function checkImportedDays(env: Env, batchId: string): Promise<boolean> {
  try {
    await runExecution(env.DB, "data-quality", `import:${batchId}`, () =>
      runQualityChecks(env, { mode: "pending", batchId, evaluateAlarms: true }),
    );
    return true;
  } catch (err) {
    console.error(
      `quality checks after import ${batchId} failed: ${err instanceof Error ? err.message : err}`,
    );
    return false;
  }
}
