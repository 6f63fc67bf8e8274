// Supplier-portal webhooks (signatures: valid, wrong, stale, replayed) and multipart uploads.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../src/auth/crypto";
import { call, json, login, MPAN_A, ORIGIN, race, seedEstate } from "../helpers";
import { readings, settle } from "./support";

let admin: string;
let source: { id: number; secret: string; url: string; secretPrefix: string };
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
  const res = await call(
    "POST",
    "/api/webhook-sources",
    { name: "Portal", defaultMeter: MPAN_A, options: { format: "auto" } },
    { cookie: admin },
  );
  expect(res.status).toBe(201);
  source = await json(res);
});

const BODY = ["ReadDateTime,kWh", "2026-01-20T00:00:00Z,1.25", "2026-01-20T00:30:00Z,0.75"].join("\n");

/** A delivery signed as the README says: with a key, v1 covers `t.key.body`; without one, `t.body`. */
async function deliver(body: string, opts: { t?: number; secret?: string; key?: string; sig?: string } = {}) {
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  const signed = opts.key === undefined ? `${t}.${body}` : `${t}.${opts.key}.${body}`;
  const v1 = await hmacSha256Hex(opts.secret ?? source.secret, signed);
  const headers: Record<string, string> = {
    "Content-Type": "text/csv",
    "X-Signature": opts.sig ?? `t=${t},v1=${v1}`,
  };
  if (opts.key) headers["Idempotency-Key"] = opts.key;
  return SELF.fetch(`${ORIGIN}${source.url}`, { method: "POST", headers, body });
}

const jobCount = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM import_jobs").first<{ n: number }>())!.n;

describe("webhook sources", () => {
  it("show the secret once and never again", async () => {
    expect(source.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(source.secretPrefix).toBe(source.secret.slice(0, 12));
    const list = await json(await call("GET", "/api/webhook-sources", undefined, { cookie: admin }));
    expect(JSON.stringify(list)).not.toContain(source.secret);
    const row = await env.DB.prepare("SELECT * FROM webhook_sources").first();
    expect(JSON.stringify(row)).not.toContain(source.secret.slice(6));
  });

  it("a taken name is 409, also when two creates race for it (never 500)", async () => {
    const dup = await call("POST", "/api/webhook-sources", { name: "Portal" }, { cookie: admin });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual({
      error: { code: "conflict", message: 'a source named "Portal" exists', field: "name" },
    });
    const { statuses, conflict } = await race([
      call("POST", "/api/webhook-sources", { name: "Race Portal" }, { cookie: admin }),
      call("POST", "/api/webhook-sources", { name: "Race Portal" }, { cookie: admin }),
    ]);
    expect(statuses).toEqual([201, 409]);
    expect(conflict).toEqual({
      error: { code: "conflict", message: 'a source named "Race Portal" exists', field: "name" },
    });
    await env.DB.prepare("DELETE FROM webhook_sources WHERE name = 'Race Portal'").run();
  });
});

describe("signed webhook deliveries", () => {
  it("a valid signature queues the file for the source's default meter", async () => {
    const res = await deliver(BODY);
    expect(res.status).toBe(202);
    const { batchId } = await json(res);
    const job = await settle(admin, batchId);
    expect(job).toMatchObject({
      status: "completed",
      rowsImported: 2,
      readingsWritten: 2,
      notes: "webhook: Portal",
    });
    const day = await readings(admin, MPAN_A, "2026-01-20", "2026-01-20", "day");
    expect(day.data).toEqual([
      { date: "2026-01-20", kwh: 2, periods: 2, expectedPeriods: 48, estimated: false },
    ]);
  });

  it("a wrong signature is 401", async () => {
    const res = await deliver(BODY, { secret: "whsec_wrong" });
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({
      error: { code: "bad_signature", message: "the signature does not match the body" },
    });
  });

  it("a stale signature is 401", async () => {
    const res = await deliver(BODY, { t: Math.floor(Date.now() / 1000) - 301 });
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toBe("the signature timestamp is outside the five-minute window");
  });

  it("a malformed header is 401", async () => {
    expect((await deliver(BODY, { sig: "v1=abc" })).status).toBe(401);
  });

  it("a replayed delivery returns the first batch and queues nothing new", async () => {
    const body = BODY.replace("1.25", "1.5");
    const t = Math.floor(Date.now() / 1000);
    const first = await json(await deliver(body, { t, key: "delivery-42" }));
    const jobs = (await env.DB.prepare("SELECT COUNT(*) AS n FROM import_jobs").first<{ n: number }>())!.n;
    const replay = await deliver(body, { t, key: "delivery-42" });
    expect(replay.status).toBe(202);
    expect(await json(replay)).toEqual({ batchId: first.batchId, duplicate: true });
    // Without an Idempotency-Key the signature itself identifies the delivery.
    const a = await json(await deliver(body, { t: t - 1 }));
    const b = await json(await deliver(body, { t: t - 1 }));
    expect(b).toEqual({ batchId: a.batchId, duplicate: true });
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM import_jobs").first<{ n: number }>())!.n).toBe(
      jobs + 1,
    );
  });

  it("a captured delivery re-sent with a new Idempotency-Key, or none, is the same delivery", async () => {
    const body = BODY.replace("1.25", "1.75");
    const t = Math.floor(Date.now() / 1000);
    const first = await deliver(body, { t, key: "delivery-43" });
    expect(first.status).toBe(202);
    const { batchId } = await json(first);
    const jobs = await jobCount();
    const captured = `t=${t},v1=${await hmacSha256Hex(source.secret, `${t}.delivery-43.${body}`)}`;
    for (const key of ["delivery-44", "delivery-45", undefined]) {
      const replay = await deliver(body, { key, sig: captured });
      expect(replay.status).toBe(202);
      expect(await json(replay)).toEqual({ batchId, duplicate: true });
    }
    expect(await jobCount()).toBe(jobs);
  });

  it("a key signed the old way (t + body, without the key) is refused", async () => {
    // A body no other test sends: a signature already used (an earlier keyless delivery of BODY in the
    // same second) would be answered as that delivery's duplicate before the key is considered.
    const body = BODY.replace("1.25", "5.25");
    const t = Math.floor(Date.now() / 1000);
    const v1 = await hmacSha256Hex(source.secret, `${t}.${body}`);
    const res = await deliver(body, { key: "delivery-46", sig: `t=${t},v1=${v1}` });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe("bad_signature");
  });

  it("the same key with a fresh timestamp and the same body is a retry: the first batch", async () => {
    const body = BODY.replace("1.25", "2.25");
    const t = Math.floor(Date.now() / 1000);
    const { batchId } = await json(await deliver(body, { t: t - 10, key: "delivery-47" }));
    const retry = await deliver(body, { t, key: "delivery-47" });
    expect(retry.status).toBe(202);
    expect(await json(retry)).toEqual({ batchId, duplicate: true });
  });

  it("the same key with a different body is 409, and the new body is not queued", async () => {
    expect((await deliver(BODY.replace("1.25", "3.25"), { key: "delivery-48" })).status).toBe(202);
    const jobs = await jobCount();
    const res = await deliver(BODY.replace("1.25", "4.25"), { key: "delivery-48" });
    expect(res.status).toBe(409);
    expect(await json(res)).toEqual({
      error: {
        code: "idempotency_key_reused",
        message: "this Idempotency-Key was sent before with a different body",
      },
    });
    expect(await jobCount()).toBe(jobs);
  });

  it("an Idempotency-Key over 200 characters is 400, not cut short", async () => {
    const res = await deliver(BODY, { key: "k".repeat(201) });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: {
        code: "invalid",
        message: "Idempotency-Key is limited to 200 characters",
        field: "Idempotency-Key",
      },
    });
  });

  it("an unknown source is 404", async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/webhooks/imports/9999`, { method: "POST", body: BODY });
    expect(res.status).toBe(404);
  });
});

describe("multipart uploads", () => {
  it("take parts, complete, and become a job by uploadId", async () => {
    const csv = ["MPAN,ReadDateTime,kWh", `${MPAN_A},2026-01-21T00:00:00Z,4`].join("\n");
    const bytes = new TextEncoder().encode(csv);
    const begin = await call(
      "POST",
      "/api/uploads",
      { fileName: "big.csv", size: bytes.length },
      { cookie: admin },
    );
    expect(begin.status).toBe(201);
    const { uploadId, partSize, partCount } = await json(begin);
    expect(partSize).toBe(10 * 1024 * 1024);
    expect(partCount).toBe(1);
    const headers = { Cookie: admin, Origin: ORIGIN };
    const early = await SELF.fetch(`${ORIGIN}/api/uploads/${uploadId}/complete`, { method: "POST", headers });
    expect(await json(early)).toEqual({
      error: { code: "invalid", message: "parts missing: 1", field: "parts" },
    });
    const short = await SELF.fetch(`${ORIGIN}/api/uploads/${uploadId}/parts/1`, {
      method: "PUT",
      headers,
      body: bytes.slice(1),
    });
    expect(short.status).toBe(400);
    const put = await SELF.fetch(`${ORIGIN}/api/uploads/${uploadId}/parts/1`, {
      method: "PUT",
      headers,
      body: bytes,
    });
    expect(put.status).toBe(200);
    const done = await SELF.fetch(`${ORIGIN}/api/uploads/${uploadId}/complete`, { method: "POST", headers });
    expect(await json(done)).toEqual({ uploadId, size: bytes.length, status: "complete" });
    const job = await call("POST", "/api/import/jobs", { uploadId, notes: "parts" }, { cookie: admin });
    expect(job.status).toBe(202);
    const settled = await settle(admin, (await json(job)).batchId);
    expect(settled).toMatchObject({ status: "completed", readingsWritten: 1, notes: "parts" });
    // An upload feeds one job only.
    const reuse = await call("POST", "/api/import/jobs", { uploadId }, { cookie: admin });
    expect(reuse.status).toBe(400);
  });

  it("refuse a declared size over the limit", async () => {
    const res = await call(
      "POST",
      "/api/uploads",
      { fileName: "huge.csv", size: 10 ** 12 },
      { cookie: admin },
    );
    expect(res.status).toBe(413);
  });
});
