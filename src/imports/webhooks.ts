// Supplier portals push CSV files by signed webhook. Signature: HMAC-SHA256 under the source's secret of
// `t + "." + key + "." + body` when an Idempotency-Key is sent, else of `t + "." + body`, sent as
// `X-Signature: t=<unix>,v1=<hex>`; five-minute replay window. A used signature, or a key sent again with
// the same body, returns the first delivery's batch; a key sent again with another body is 409.
import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { audit } from "../audit/log";
import { constantTimeEqual, hmacSha256Hex, randomToken, toHex } from "../auth/crypto";
import type { AppEnv } from "../auth/principal";
import { database } from "../db/client";
import { insertUnlessTaken } from "../db/unique";
import { auditLog, webhookDeliveries, webhookSources } from "../db/schema";
import { ApiError, badRequest, conflict, notFound } from "../http/errors";
import { removal } from "../http/removal";
import { defineRoute, errorResponse, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { parseMeterId, guessFuel } from "../meters/mpan";
import { createJob, newBatchId } from "./jobs";
import { ImportOptionsSchema } from "./options";
import { notText } from "./storage";
import { detectBinary } from "./domain";

export const REPLAY_WINDOW_SECONDS = 300;
/** A webhook body is verified in memory (HMAC needs all of it); bigger files go through the uploads API. */
export const WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;
const DEV_SECRETS_KEY = "eclectyc-development-only-secrets-key";

/**
 * The server key from which each source's signing secret is derived, so D1 never holds a usable secret.
 * Production sets SECRETS_KEY with `wrangler secret put`; development falls back to a fixed key.
 */
function secretsKey(env: Env): string {
  if (env.SECRETS_KEY) return env.SECRETS_KEY;
  if (env.APP_ENV === "production") throw new ApiError(500, "misconfigured", "SECRETS_KEY is not set");
  return DEV_SECRETS_KEY;
}

export async function signingSecret(env: Env, sourceId: number, salt: string): Promise<string> {
  return `whsec_${await hmacSha256Hex(secretsKey(env), `webhook-source:${sourceId}:${salt}`)}`;
}

export function parseSignature(header: string | undefined): { t: number; v1: string } | null {
  if (!header) return null;
  const parts = Object.fromEntries(
    header.split(",").map((kv) => kv.trim().split("=", 2) as [string, string]),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/i.test(parts.v1 ?? "")) return null;
  return { t, v1: parts.v1.toLowerCase() };
}

const SourceSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    secretPrefix: z.string(),
    defaultMeter: z.string().nullable(),
    options: z.record(z.string(), z.unknown()),
    active: z.boolean(),
    createdAt: z.string(),
    url: z.string(),
  })
  .openapi("WebhookSource");
const SourceCreate = z.object({
  name: z.string().trim().min(1).max(100),
  defaultMeter: z.string().trim().max(40).nullable().optional(),
  options: ImportOptionsSchema.partial().optional(),
});

const sourceView = (s: typeof webhookSources.$inferSelect) => ({
  id: s.id,
  name: s.name,
  secretPrefix: s.secretPrefix,
  defaultMeter: s.defaultMeter,
  options: JSON.parse(s.options) as Record<string, unknown>,
  active: s.active,
  createdAt: s.createdAt,
  url: `/api/webhooks/imports/${s.id}`,
});

const unauthorizedSignature = (message: string) => new ApiError(401, "bad_signature", message);

async function receive(c: Context<AppEnv>) {
  const env = c.env;
  const sourceId = Number(c.req.param("sourceId"));
  const db = database(env);
  const source = Number.isInteger(sourceId)
    ? await db.select().from(webhookSources).where(eq(webhookSources.id, sourceId)).get()
    : undefined;
  if (!source || !source.active) throw notFound("webhook source");

  const signature = parseSignature(c.req.header("X-Signature"));
  if (!signature) throw unauthorizedSignature("X-Signature must be t=<unix seconds>,v1=<hex HMAC-SHA256>");
  const age = Math.abs(Date.now() / 1000 - signature.t);
  if (age > REPLAY_WINDOW_SECONDS)
    throw unauthorizedSignature("the signature timestamp is outside the five-minute window");
  // A captured delivery sent again, with another key or none, is the delivery it was. Checked before the
  // body is verified: only a real delivery can have produced a used v1, and the answer queues nothing.
  const bySignature = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.sourceId, source.id), eq(webhookDeliveries.signature, signature.v1)))
    .get();
  if (bySignature) return c.json({ batchId: bySignature.batchId, duplicate: true }, 202);

  const length = Number(c.req.header("Content-Length") ?? 0);
  if (length > WEBHOOK_MAX_BYTES)
    throw new ApiError(413, "too_large", "webhook bodies are limited to 25 MB; use the uploads API");
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (body.length > WEBHOOK_MAX_BYTES)
    throw new ApiError(413, "too_large", "webhook bodies are limited to 25 MB");
  const text = new TextDecoder().decode(body);
  // The key is signed too, so a replay cannot pass for a new delivery by changing it.
  const idempotencyKey = c.req.header("Idempotency-Key");
  if (idempotencyKey !== undefined && idempotencyKey.length > 200)
    throw badRequest("Idempotency-Key is limited to 200 characters", "Idempotency-Key");
  const signed =
    idempotencyKey === undefined ? `${signature.t}.${text}` : `${signature.t}.${idempotencyKey}.${text}`;
  const expected = await hmacSha256Hex(await signingSecret(env, source.id, source.secretSalt), signed);
  const encoder = new TextEncoder();
  if (!constantTimeEqual(encoder.encode(expected), encoder.encode(signature.v1))) {
    throw unauthorizedSignature("the signature does not match the body");
  }

  const key = idempotencyKey || `sig:${signature.v1}`;
  const bodySha256 = toHex(await crypto.subtle.digest("SHA-256", body));
  const earlierDelivery = () =>
    db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.sourceId, source.id), eq(webhookDeliveries.idempotencyKey, key)))
      .get();
  /** The answer for a delivery whose key was used: the same body is a retry, another body a conflict. */
  const answerRepeat = (seen: typeof webhookDeliveries.$inferSelect) => {
    // Deliveries from before body hashes were kept cannot be compared: take them as the same.
    if (seen.bodySha256 !== null && seen.bodySha256 !== bodySha256) {
      throw new ApiError(
        409,
        "idempotency_key_reused",
        "this Idempotency-Key was sent before with a different body",
      );
    }
    return c.json({ batchId: seen.batchId, duplicate: true }, 202);
  };
  const seen = await earlierDelivery();
  if (seen) return answerRepeat(seen);
  if (body.length === 0) throw badRequest("the body is empty", "body", "empty_file");
  if (detectBinary(body.subarray(0, 8192))) throw notText();

  const batchId = newBatchId();
  const claimed = await env.DB.prepare(
    "INSERT INTO webhook_deliveries (source_id, idempotency_key, batch_id, signature, body_sha256) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
  )
    .bind(source.id, key, batchId, signature.v1, bodySha256)
    .run();
  if (claimed.meta.changes === 0) {
    // Two deliveries of the same key (or signature) raced: the other one won.
    const winner =
      (await earlierDelivery()) ??
      (await db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.sourceId, source.id), eq(webhookDeliveries.signature, signature.v1)))
        .get());
    return answerRepeat(winner!);
  }
  const r2Key = `webhooks/${batchId}`;
  await env.UPLOADS.put(r2Key, body, { customMetadata: { sourceId: String(source.id) } });
  const options = ImportOptionsSchema.parse({
    ...(JSON.parse(source.options) as object),
    ...(source.defaultMeter ? { meter: source.defaultMeter } : {}),
    notes: `webhook: ${source.name}`,
  });
  await createJob(env, {
    batchId,
    options,
    r2Key,
    fileName: c.req.header("X-File-Name")?.slice(0, 255) ?? `${source.name}.csv`,
    fileOffset: 0,
    fileEnd: body.length,
    createdBy: null,
    sourceId: source.id,
  });
  await db.insert(auditLog).values({
    action: "import.webhook",
    entity: "import_job",
    entityId: batchId,
    detail: JSON.stringify({ sourceId: source.id, bytes: body.length }),
  });
  return c.json({ batchId }, 202);
}

export const webhookRoutes = router()
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/webhooks/imports/{sourceId}",
      role: "public",
      tags: ["imports"],
      summary: "A supplier portal pushes a CSV body, signed (X-Signature: t=<unix>,v1=<hex>)",
      description:
        'v1 = hex HMAC-SHA256 under the source\'s secret of `t + "." + key + "." + body` when an Idempotency-Key is sent, else of `t + "." + body`; t within 5 minutes. A used signature, or a key sent again with the same body, answers the first batch with `duplicate: true`; a key sent again with another body is 409.',
      request: { params: z.object({ sourceId: z.string() }) },
      responses: {
        202: jsonResponse(
          z.object({ batchId: z.string(), duplicate: z.boolean().optional() }),
          "queued (or the earlier delivery)",
        ),
        409: errorResponse("the Idempotency-Key was sent before with a different body"),
      },
    }),
    receive,
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/webhook-sources",
      role: "admin",
      scope: "global",
      tags: ["imports"],
      summary: "Webhook sources (never their secrets)",
      responses: { 200: jsonResponse(z.object({ data: z.array(SourceSchema) }), "sources") },
    }),
    async (c) => {
      const rows = await database(c.env).select().from(webhookSources).orderBy(desc(webhookSources.id));
      return c.json({ data: rows.map(sourceView) }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/webhook-sources",
      role: "admin",
      scope: "global",
      tags: ["imports"],
      summary: "Add a webhook source; its signing secret is in this response only",
      request: { body: jsonBody(SourceCreate) },
      responses: {
        201: jsonResponse(SourceSchema.extend({ secret: z.string() }), "created"),
        409: errorResponse("name taken"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = database(c.env);
      let defaultMeter: string | null = null;
      if (body.defaultMeter) {
        const parsed = parseMeterId(body.defaultMeter, guessFuel(body.defaultMeter));
        if (!parsed.ok) throw badRequest(`defaultMeter: ${parsed.reason}`, "defaultMeter");
        defaultMeter = parsed.id;
      }
      const salt = randomToken(16);
      const row = await insertUnlessTaken(
        db,
        webhookSources,
        webhookSources.name,
        {
          name: body.name,
          secretSalt: salt,
          secretPrefix: "",
          defaultMeter,
          options: JSON.stringify(body.options ?? {}),
        },
        { id: webhookSources.id },
      );
      if (!row) throw conflict(`a source named "${body.name}" exists`, "name");
      const secret = await signingSecret(c.env, row.id, salt);
      const updated = await db
        .update(webhookSources)
        .set({ secretPrefix: secret.slice(0, 12) })
        .where(eq(webhookSources.id, row.id))
        .returning()
        .get();
      await audit(c, "webhook_source.create", {
        entity: "webhook_source",
        entityId: row.id,
        detail: { name: body.name },
      });
      return c.json({ ...sourceView(updated), secret }, 201);
    },
  )
  .openapi(
    ...removal("/api/webhook-sources/{id}", "Remove a webhook source; its deliveries stop being accepted", {
      role: "admin",
      scope: "global",
      tag: "imports",
      what: "webhook source",
      entity: "webhook_source",
      remove: async (c, { id }) =>
        Boolean(
          await database(c.env)
            .delete(webhookSources)
            .where(eq(webhookSources.id, id))
            .returning({ id: webhookSources.id })
            .get(),
        ),
    }),
  );
