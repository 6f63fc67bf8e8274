// Planning aggregation work from changed_spans rows. Expected spans worked out by hand: overlapping or
// adjacent spans of one meter join; months widen to their real first and last day (February 2025 has 28).
import { describe, expect, it } from "vitest";
import { mergeSpans, meterMonths, monthSpans, planChunks, type PendingSpan } from "../../src/analytics/spans";

const row = (meterId: number, first: string, last: string, batchId = "b"): PendingSpan => ({
  batchId,
  meterId,
  first,
  last,
  changedAt: "t",
});

describe("spans", () => {
  it("join per meter when they overlap or touch, and stay apart otherwise", () => {
    expect(
      mergeSpans([
        [2, "2025-01-05", "2025-01-06"],
        [1, "2025-01-10", "2025-01-12"],
        [1, "2025-01-01", "2025-01-09"],
        [1, "2025-01-20", "2025-01-20"],
        [2, "2025-01-01", "2025-01-03"],
      ]),
    ).toEqual([
      [1, "2025-01-01", "2025-01-12"],
      [1, "2025-01-20", "2025-01-20"],
      [2, "2025-01-01", "2025-01-03"],
      [2, "2025-01-05", "2025-01-06"],
    ]);
  });

  it("widen to whole months, joining spans that share one", () => {
    expect(
      monthSpans([
        [1, "2025-02-03", "2025-02-05"],
        [1, "2025-02-20", "2025-03-02"],
      ]),
    ).toEqual([[1, "2025-02-01", "2025-03-31"]]);
  });

  it("cut into chunks of at most N meter-days, each row finished with its meter's last chunk", () => {
    const a1 = row(1, "2025-01-01", "2025-01-04");
    const a2 = row(1, "2025-01-03", "2025-01-06", "c");
    const b = row(2, "2025-01-01", "2025-01-02");
    const chunks = planChunks([a1, b, a2], 4);
    // Meter 1's 6 days (1–6 Jan) fill the first chunk and spill 2 into the second, which meter 2's 2 days fill.
    expect(chunks).toEqual([
      { spans: [[1, "2025-01-01", "2025-01-04"]], days: 4, done: [] },
      {
        spans: [
          [1, "2025-01-05", "2025-01-06"],
          [2, "2025-01-01", "2025-01-02"],
        ],
        days: 4,
        done: [a1, a2, b],
      },
    ]);
  });
});

describe("meterMonths", () => {
  it("lists each meter's months the spans touch, across a year end", () => {
    expect(
      meterMonths([
        [1, "2024-11-30", "2025-01-02"],
        [1, "2025-01-20", "2025-01-21"],
        [2, "2025-02-28", "2025-02-28"],
      ]),
    ).toEqual([
      [1, "2024-11"],
      [1, "2024-12"],
      [1, "2025-01"],
      [2, "2025-02"],
    ]);
  });
});
