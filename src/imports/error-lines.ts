// Row errors are stored by byte range and line within it, because a range learns its first file line
// only when every range before it has counted its lines. This turns them into file lines.
import type { ImportPlan } from "./domain";

export type ErrorLines = {
  /** Ranges whose errors can be given file lines: 0..through (every range before them is counted). */
  through: number;
  fileLine: (rangeIndex: number, line: number) => number;
};

export async function errorLines(db: D1Database, batchId: string, plan: string | null): Promise<ErrorLines> {
  const headerLine = plan ? (JSON.parse(plan) as ImportPlan).headerLine : 0;
  const counted = await db
    .prepare("SELECT range_index, lines FROM import_ranges WHERE batch_id = ?1 ORDER BY range_index")
    .bind(batchId)
    .raw<[number, number]>();
  // before[k] = lines in ranges 0..k-1, known while the ranges are counted without a gap.
  const before = [0];
  for (const [index, lines] of counted) {
    if (index !== before.length - 1) break;
    before.push(before[index] + lines);
  }
  return {
    through: before.length - 1,
    fileLine: (rangeIndex, line) => headerLine + before[rangeIndex] + line,
  };
}
