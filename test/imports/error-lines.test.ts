// Row errors are stored by range and line within it; the file line is known once every earlier range
// has counted its lines. Ranges are 160 bytes in tests, so these files span several.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { errorLines } from "../../src/imports/error-lines";
import { login, MPAN_A, ORIGIN, seedEstate } from "../helpers";
import { importCsv } from "./support";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

describe("error lines across ranges", () => {
  it("names file lines after a preamble and blank lines, inline and in errors.csv", async () => {
    const lines = [
      "Supplier export for Example Estates", // 1
      "Generated 2026-01-20", // 2
      "MPAN,ReadDateTime,kWh", // 3: the header
      `${MPAN_A},2026-01-15T00:00:00Z,1.5`, // 4
      `${MPAN_A},2026-01-15T00:30:00Z,-2`, // 5: negative
      "", // 6
      `${MPAN_A},2026-01-15T01:00:00Z,1`, // 7
      `${MPAN_A},2026-01-15T01:30:00Z,1`, // 8
      `${MPAN_A},2026-01-15T02:00:00Z,1`, // 9
      `${MPAN_A},2026-01-15T02:30:00Z,x`, // 10: not a number
      `${MPAN_A},2026-01-15T03:00:00Z,1`, // 11
      "", // 12
      "", // 13
      `${MPAN_A},2026-02-30T03:00:00Z,1`, // 14: impossible date
      `${MPAN_A},2026-01-15T04:00:00Z,2`, // 15
    ];
    const csv = lines.join("\r\n") + "\r\n";
    expect(new TextEncoder().encode(csv).length).toBeGreaterThan(2 * 160); // three ranges
    const job = await importCsv(admin, csv);
    expect(job).toMatchObject({ status: "completed_with_errors", rowsImported: 6, rowsFailed: 3 });
    expect(job.errors.map((e) => e.line)).toEqual([5, 10, 14]);

    const res = await SELF.fetch(`${ORIGIN}/api/import/jobs/${job.batchId}/errors.csv`, {
      headers: { Cookie: admin },
    });
    const rows = (await res.text()).trim().split("\r\n").slice(1);
    expect(rows.map((r) => Number(r.split(",")[0]))).toEqual([5, 10, 14]);
  });

  it("holds back a range's errors until every range before it has counted its lines", async () => {
    const batchId = "imp_test_lines";
    // A plan as planJob writes one, cut to what the job page reads: two lines before the first reading.
    const plan = JSON.stringify({
      headerLine: 2,
      format: "narrow",
      delimiter: ",",
      headers: [],
      columns: {},
    });
    await env.DB.prepare(
      "INSERT INTO import_jobs (batch_id, status, r2_key, plan) VALUES (?1, 'processing', 'k', ?2)",
    )
      .bind(batchId, plan)
      .run();
    const insert = (range: number, lines: number) =>
      env.DB.prepare("INSERT INTO import_ranges (batch_id, range_index, lines) VALUES (?1, ?2, ?3)")
        .bind(batchId, range, lines)
        .run();

    // An error in each of ranges 0–3, and a warning of one kind in ranges 0, 1 and 3 (two in range 1).
    const issue = (range: number, line: number, severity: string, code: string) =>
      env.DB.prepare(
        "INSERT INTO import_errors (batch_id, range_index, line, severity, code, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      )
        .bind(batchId, range, line, severity, code, `${code} in range ${range}`)
        .run();
    for (const range of [0, 1, 2, 3]) await issue(range, 2, "error", "bad_kwh");
    for (const [range, line] of [
      [0, 3],
      [1, 1],
      [1, 4],
      [3, 1],
    ])
      await issue(range, line, "warning", "negative_kwh");
    /** What the job page shows: the file lines of its errors, and its warning groups. */
    const shown = async () => {
      const res = await SELF.fetch(`${ORIGIN}/api/import/jobs/${batchId}`, { headers: { Cookie: admin } });
      expect(res.status).toBe(200);
      const job = (await res.json()) as { errors: { line: number }[]; warnings: unknown[] };
      return { errors: job.errors.map((e) => e.line), warnings: job.warnings };
    };

    await insert(1, 7); // range 1 finished first: range 0's count is still unknown
    let known = await errorLines(env, batchId, plan);
    expect(known.through).toBe(0);
    expect(known.fileLine(0, 1)).toBe(3); // the line after the header
    // Only range 0's issues have file lines: its error at 2 + 2 = 4 and its one warning at 2 + 3 = 5.
    expect(await shown()).toEqual({
      errors: [4],
      warnings: [{ code: "negative_kwh", message: "negative_kwh in range 0", count: 1, lines: [5] }],
    });

    await insert(0, 5);
    known = await errorLines(env, batchId, plan);
    expect(known.through).toBe(2);
    expect(known.fileLine(1, 1)).toBe(8); // 2 header lines + 5 in range 0 + 1
    expect(known.fileLine(2, 4)).toBe(2 + 5 + 7 + 4);
    // Ranges 0–2 now: errors at 4, 2 + 5 + 2 = 9 and 2 + 5 + 7 + 2 = 16; range 3's wait for range 2's count.
    // The warning counts only ranges 0–2 (three), with lines 5, 2 + 5 + 1 = 8 and 2 + 5 + 4 = 11.
    expect(await shown()).toEqual({
      errors: [4, 9, 16],
      warnings: [{ code: "negative_kwh", message: "negative_kwh in range 0", count: 3, lines: [5, 8, 11] }],
    });
  });
});
