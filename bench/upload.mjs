// Sending a file through the app as the browser does: 10 MB parts, three at a time, then the job until it
// settles. Shared by bench:import and bench:aggregate.
import { readFileSync, statSync } from "node:fs";
import { sleep } from "./server.mjs";

export async function api(base, cookie, method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      Cookie: cookie,
      Origin: base,
      ...(body && !(body instanceof Uint8Array) ? { "Content-Type": "application/json" } : {}),
      ...headers,
    },
    body: body instanceof Uint8Array ? body : body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.headers.get("Content-Type")?.includes("json") ? res.json() : res.text();
}

export async function runPipeline(base, cookie, file) {
  const size = statSync(file).size;
  // Wall-clock times (Date.now), so the job's own finishedAt, from the same machine's clock, can end the span.
  const t0 = Date.now();
  const upload = await api(base, cookie, "POST", "/api/uploads", { fileName: file.split("/").pop(), size });
  const fd = readFileSync(file); // the benchmark machine has the memory; the Worker sees 10 MB parts
  // Three parts in flight, as the browser sends them.
  let next = 1;
  const sendParts = async () => {
    while (next <= upload.partCount) {
      const n = next++;
      const part = fd.subarray((n - 1) * upload.partSize, Math.min(size, n * upload.partSize));
      await api(base, cookie, "PUT", `/api/uploads/${upload.uploadId}/parts/${n}`, new Uint8Array(part), {
        "Content-Type": "application/octet-stream",
      });
    }
  };
  await Promise.all([sendParts(), sendParts(), sendParts()]);
  await api(base, cookie, "POST", `/api/uploads/${upload.uploadId}/complete`);
  const t1 = Date.now();
  const { batchId } = await api(base, cookie, "POST", "/api/import/jobs", { uploadId: upload.uploadId });
  let job;
  for (;;) {
    job = await api(base, cookie, "GET", `/api/import/jobs/${batchId}`);
    if (!["queued", "processing"].includes(job.status)) break;
    await sleep(250);
  }
  // The job's end is when the server recorded it (finishedAt, in ms), not the poll that saw it: polling
  // every 250 ms added 0–250 ms of waiting to each measurement.
  const polled = Date.now();
  const finished = Date.parse(job.finishedAt ?? "");
  const t2 = Number.isFinite(finished) && finished >= t1 && finished <= polled ? finished : polled;
  // The quality checks run after the job completes: waited for (so they do not run into the next
  // measurement) and reported apart from the import's own time.
  while (job.status.startsWith("completed") && !job.checkedAt) {
    await sleep(250);
    job = await api(base, cookie, "GET", `/api/import/jobs/${batchId}`);
  }
  const checksS = (Date.now() - t2) / 1000;
  return {
    job,
    uploadS: (t1 - t0) / 1000,
    processS: (t2 - t1) / 1000,
    totalS: (t2 - t0) / 1000,
    checksS,
    size,
  };
}
