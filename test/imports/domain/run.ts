// Runs a fixture through the domain the way the pipeline does: sniff the head, papaparse the lines after
// the header (CRLF and quotes handled by papaparse), and parse them with their file line numbers.
import Papa from "papaparse";
import {
  DayAccumulator,
  parseRows,
  sniff,
  type ImportPlan,
  type ParseEnv,
  type ParseResult,
  type SniffOptions,
} from "../../../src/imports/domain";

export type Run = ParseResult & {
  plan: ImportPlan;
  acc: DayAccumulator;
  incomplete: ReturnType<DayAccumulator["finishIntervals"]>;
};

export function runFile(
  text: string,
  options: SniffOptions = {},
  acc = new DayAccumulator(),
  env: ParseEnv = {},
): Run {
  const sniffed = sniff(text, options);
  if (!sniffed.ok) throw new Error(`${sniffed.error.code}: ${sniffed.error.message}`);
  const plan = JSON.parse(JSON.stringify(sniffed.plan)) as ImportPlan; // plans travel as JSON
  const body = text.split("\n").slice(plan.headerLine).join("\n");
  const rows = Papa.parse<string[]>(body, { delimiter: plan.delimiter, skipEmptyLines: false }).data;
  const parsed = parseRows(plan, rows, plan.headerLine + 1, acc, env);
  return { ...parsed, plan, acc, incomplete: acc.finishIntervals() };
}

/** Rounds float sums to 6 decimal places so hand-checked totals compare exactly. */
export const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The present periods of a day as {period: kWh}. */
export function presentPeriods(periods: Float64Array): Record<number, number> {
  const out: Record<number, number> = {};
  periods.forEach((v, i) => {
    if (!Number.isNaN(v)) out[i + 1] = r6(v);
  });
  return out;
}
