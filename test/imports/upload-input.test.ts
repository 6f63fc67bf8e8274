// Odd uploads to /api/import/jobs: only the `file` field holds the file, and messages built from a
// file's content are stored capped at 1,000 characters, so a 5 MB line cannot bloat the job list.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { capMessage } from "../../src/imports/jobs";
import { json, login, MPAN_A, ORIGIN, seedEstate } from "../helpers";
import { importCsv, settle } from "./support";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

function post(form: FormData) {
  return SELF.fetch(`${ORIGIN}/api/import/jobs`, {
    method: "POST",
    headers: { Cookie: admin, Origin: ORIGIN },
    body: form,
  });
}

const CSV = `MPAN,ReadDateTime,kWh\n${MPAN_A},2026-01-15T00:00:00Z,1.5\n`;

describe("the file field", () => {
  it("400 naming `file` for a file sent under another field name", async () => {
    const form = new FormData();
    form.append("upload", new File([CSV], "readings.csv", { type: "text/csv" }));
    const res = await post(form);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: {
        code: "invalid",
        message: "file: attach the CSV as the `file` field (a file came in field `upload`)",
        field: "file",
      },
    });
    expect((await env.UPLOADS.list({ prefix: "imports/" })).objects).toEqual([]);
  });

  it("400 when a second file rides beside `file` under another name", async () => {
    const form = new FormData();
    form.append("file", new File([CSV], "readings.csv", { type: "text/csv" }));
    form.append("other", new File([CSV], "other.csv", { type: "text/csv" }));
    const res = await post(form);
    expect(res.status).toBe(400);
    expect((await json(res)).error.field).toBe("file");
  });

  it("400 when a file larger than the sniffed head comes under another name", async () => {
    const big = CSV + `${MPAN_A},2026-01-15T00:30:00Z,1.5\n`.repeat(4000); // ~150 KB, past the 64 KB head
    const form = new FormData();
    form.append("data", new File([big], "big.csv", { type: "text/csv" }));
    const res = await post(form);
    expect(res.status).toBe(400);
    expect((await json(res)).error.field).toBe("file");
  });

  it("a file under `file` is still taken", async () => {
    const form = new FormData();
    form.append("file", new File([CSV], "readings.csv", { type: "text/csv" }));
    const res = await post(form);
    expect(res.status).toBe(202);
    const { batchId } = await json(res);
    expect((await settle(admin, batchId)).status).toBe("completed");
  });
});

describe("stored messages are capped", () => {
  it("capMessage keeps short messages and cuts long ones to 1,000 characters ending with …", () => {
    expect(capMessage("x".repeat(1000))).toBe("x".repeat(1000));
    expect(capMessage("x".repeat(1001))).toBe("x".repeat(999) + "…");
    // "😀" is two UTF-16 units: one that would be cut in half is dropped whole.
    expect(capMessage("x".repeat(998) + "😀yy")).toBe("x".repeat(998) + "…");
    expect(capMessage("x".repeat(997) + "😀yy")).toBe("x".repeat(997) + "😀…");
  });

  it("a job failed on a 100,000-character header line keeps 1,000 characters ending with …", async () => {
    const header = "x,".repeat(50_000);
    const job = await importCsv(admin, `${header}\n${MPAN_A},2026-01-15T00:00:00Z,1\n`);
    expect(job.status).toBe("failed");
    expect(job.error!.length).toBe(1000);
    expect(job.error!.endsWith("…")).toBe(true);
    expect(job.error!.startsWith("could not find a header row")).toBe(true);
    const list = await json(await SELF.fetch(`${ORIGIN}/api/import/jobs`, { headers: { Cookie: admin } }));
    const listed = list.data.find((j: { batchId: string }) => j.batchId === job.batchId);
    expect(listed.error).toBe(job.error);
  });

  it("a row error quoting a 3,000-character cell is stored as 1,000 characters ending with …", async () => {
    const cell = "9".repeat(1500) + "z".repeat(1500);
    const job = await importCsv(
      admin,
      `MPAN,ReadDateTime,kWh\n${MPAN_A},2026-01-15T00:00:00Z,${cell}\n${MPAN_A},2026-01-15T00:30:00Z,1\n`,
    );
    expect(job.error).toBe(null);
    expect(job.status).toBe("completed_with_errors");
    expect(job.errors).toHaveLength(1);
    const message = job.errors[0].message;
    expect(message.length).toBe(1000);
    expect(message).toBe(`value: "${cell}" is not a number`.slice(0, 999) + "…");
  });
});
