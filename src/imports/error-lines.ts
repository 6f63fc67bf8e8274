// Row errors are stored by byte range and line within it, because a range learns its first file line
// only when every range before it has counted its lines. This turns them into file lines.
import { eq } from "drizzle-orm";
import { database, type Db } from "../db/client";
import { importRanges } from "../db/schema";
import type { ImportPlan } from "./domain";

export type ErrorLines = {
  /** Ranges whose errors can be given file lines: 0..through (every range before them is counted). */
  through: number;
  fileLine: (rangeIndex: number, line: number) => number;
};

/** The counted ranges of a job in range order (a query a caller may await or put in a batch). */
export const countedRanges = (db: Db, batchId: string) =>
  db
    .select({ index: importRanges.rangeIndex, lines: importRanges.lines })
    .from(importRanges)
    .where(eq(importRanges.batchId, batchId))
    .orderBy(importRanges.rangeIndex);

export async function errorLines(env: Env, batchId: string, plan: string | null): Promise<ErrorLines> {
  return errorLinesOf(await countedRanges(database(env), batchId), plan);
}

export function errorLinesOf(counted: { index: number; lines: number }[], plan: string | null): ErrorLines {
  const headerLine = plan ? (JSON.parse(plan) as ImportPlan).headerLine : 0;
  // before[k] = lines in ranges 0..k-1, known while the ranges are counted without a gap.
  const before = [0];
  for (const { index, lines } of counted) {
    if (index !== before.length - 1) break;
    before.push(before[index] + lines);
  }
  return {
    through: before.length - 1,
    fileLine: (rangeIndex, line) => headerLine + before[rangeIndex] + line,
  };
}
