// Driving imports end to end in workerd: upload through the API, let the real local queue deliver the
// plan and range messages, and wait for the job to settle.
import { SELF } from "cloudflare:test";
import { ORIGIN } from "../helpers";

export type Job = {
  batchId: string;
  status: string;
  dryRun: boolean;
  format: string;
  rowsProcessed: number;
  rowsImported: number;
  rowsFailed: number;
  readingsWritten: number;
  bytesTotal: number;
  bytesDone: number;
  progress: number;
  errors: { line: number; message: string }[];
  warnings: { code: string; message: string; count: number; lines: number[] }[];
  detected: Record<string, any> | null;
  error: string | null;
  attempts: number;
  recoveries: number;
  stalled: boolean;
  finishedAt: string | null;
  checkedAt: string | null;
  notes: string | null;
  tags: string[];
};

export async function upload(
  cookie: string,
  csv: string | Uint8Array,
  fields: Record<string, string> = {},
  name = "readings.csv",
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new File([csv], name, { type: "text/csv" }));
  return SELF.fetch(`${ORIGIN}/api/import/jobs`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN },
    body: form,
  });
}

export async function getJob(cookie: string, batchId: string): Promise<Job> {
  const res = await SELF.fetch(`${ORIGIN}/api/import/jobs/${batchId}`, { headers: { Cookie: cookie } });
  return (await res.json()) as Job;
}

export async function settle(cookie: string, batchId: string, timeoutMs = 20_000): Promise<Job> {
  const started = Date.now();
  for (;;) {
    const job = await getJob(cookie, batchId);
    // A completed job's quality checks run right after it (checkedAt): tests read their results.
    const running = ["queued", "processing"].includes(job.status);
    const checking = job.status.startsWith("completed") && job.checkedAt === null;
    if (!running && !checking) return job;
    if (Date.now() - started > timeoutMs)
      throw new Error(`job ${batchId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Uploads and waits: the job as it ended. */
export async function importCsv(
  cookie: string,
  csv: string | Uint8Array,
  fields: Record<string, string> = {},
  name?: string,
): Promise<Job> {
  const res = await upload(cookie, csv, fields, name);
  if (res.status !== 202) throw new Error(`upload → ${res.status} ${await res.text()}`);
  const { batchId } = (await res.json()) as { batchId: string };
  return settle(cookie, batchId);
}

export async function readings(
  cookie: string,
  mpan: string,
  from: string,
  to: string,
  granularity: "hh" | "day",
) {
  const res = await SELF.fetch(
    `${ORIGIN}/api/meters/${mpan}/readings?from=${from}&to=${to}&granularity=${granularity}`,
    {
      headers: { Cookie: cookie },
    },
  );
  const body = (await res.json()) as { mpan: string; unit: string; granularity: string; data: any[] };
  // Import tests pin what a day stores; the figures analytics adds to a day row are pinned in test/analytics.
  if (granularity === "day") {
    body.data = body.data.map(({ date, kwh, periods, expectedPeriods, estimated }) => ({
      date,
      kwh,
      periods,
      expectedPeriods,
      estimated,
    }));
  }
  return body;
}
