// Multipart uploads for big files (over ~90 MB a single request is too large for Workers):
// the browser sends equal parts, each streamed straight into an R2 multipart upload.
import { inCompanyScope } from "../access/scope";
import { eq } from "drizzle-orm";
import { audit } from "../audit/log";
import { database } from "../db/client";
import { uploads } from "../db/schema";
import { ApiError, badRequest, conflict, notFound } from "../http/errors";
import { defineRoute, errorResponse, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { maxUploadBytes, tooLarge } from "./storage";

/** R2 wants every part but the last to be the same size, at least 5 MB. */
export const PART_BYTES = 10 * 1024 * 1024;

type Part = { partNumber: number; etag: string };
const UploadParam = z.object({ id: z.string().min(1).max(64) });

export const uploadRoutes = router()
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/uploads",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary: "Begin a multipart upload; send parts of partSize bytes (the last may be shorter)",
      request: {
        body: jsonBody(
          z.object({ fileName: z.string().trim().min(1).max(255), size: z.number().int().positive() }),
        ),
      },
      responses: {
        201: jsonResponse(
          z.object({ uploadId: z.string(), partSize: z.number().int(), partCount: z.number().int() }),
          "begun",
        ),
        413: errorResponse("over the size limit"),
      },
    }),
    async (c) => {
      const { fileName, size } = c.req.valid("json");
      const limit = maxUploadBytes(c.env);
      if (size > limit) throw tooLarge(limit);
      const id = `upl_${crypto.randomUUID().replace(/-/g, "")}`;
      const key = `uploads/${id}`;
      const multipart = await c.env.UPLOADS.createMultipartUpload(key, { customMetadata: { fileName } });
      await database(c.env)
        .insert(uploads)
        .values({
          id,
          r2Key: key,
          r2UploadId: multipart.uploadId,
          fileName,
          size,
          partSize: PART_BYTES,
          createdBy: c.get("principal").userId,
          companyId: c.get("principal").scope.companyId,
        });
      await audit(c, "upload.begin", { entity: "upload", entityId: id, detail: { fileName, size } });
      return c.json({ uploadId: id, partSize: PART_BYTES, partCount: Math.ceil(size / PART_BYTES) }, 201);
    },
  )
  .openapi(
    defineRoute({
      method: "put",
      path: "/api/uploads/{id}/parts/{n}",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary: "Send part n (1-based) as the raw request body",
      request: { params: UploadParam.extend({ n: z.coerce.number().int().min(1).max(10000) }) },
      responses: {
        200: jsonResponse(z.object({ partNumber: z.number().int(), etag: z.string() }), "stored"),
      },
    }),
    async (c) => {
      const { id, n } = c.req.valid("param");
      const db = database(c.env);
      const upload = await db.select().from(uploads).where(eq(uploads.id, id)).get();
      if (!upload || !inCompanyScope(c.get("principal"), upload.companyId)) throw notFound("upload");
      if (upload.status !== "open") throw conflict(`the upload is ${upload.status}`);
      const partCount = Math.ceil(upload.size / upload.partSize);
      if (n > partCount) throw badRequest(`n: the upload has ${partCount} parts`, "n");
      const expected = n < partCount ? upload.partSize : upload.size - upload.partSize * (partCount - 1);
      const length = Number(c.req.header("Content-Length") ?? NaN);
      if (length !== expected)
        throw badRequest(
          `part ${n} must be ${expected} bytes, got ${Number.isNaN(length) ? "no length" : length}`,
          "body",
        );
      if (!c.req.raw.body) throw badRequest("the part is empty", "body");
      const fixed = new FixedLengthStream(length);
      const multipart = c.env.UPLOADS.resumeMultipartUpload(upload.r2Key, upload.r2UploadId);
      const [, part] = await Promise.all([
        c.req.raw.body.pipeTo(fixed.writable),
        multipart.uploadPart(n, fixed.readable),
      ]);
      // A re-sent part replaces the earlier one.
      await c.env.DB.prepare(
        `UPDATE uploads SET parts = (SELECT json_group_array(json(value)) FROM (
           SELECT value FROM json_each(parts) WHERE value->>'partNumber' != ?2 UNION ALL SELECT json(?3) AS value))
         WHERE id = ?1`,
      )
        .bind(id, n, JSON.stringify({ partNumber: n, etag: part.etag }))
        .run();
      return c.json({ partNumber: n, etag: part.etag }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/uploads/{id}/complete",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary: "Finish a multipart upload once every part is in; then create a job with its uploadId",
      request: { params: UploadParam },
      responses: {
        200: jsonResponse(
          z.object({ uploadId: z.string(), size: z.number().int(), status: z.literal("complete") }),
          "complete",
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const db = database(c.env);
      const upload = await db.select().from(uploads).where(eq(uploads.id, id)).get();
      if (!upload || !inCompanyScope(c.get("principal"), upload.companyId)) throw notFound("upload");
      if (upload.status !== "open") throw conflict(`the upload is ${upload.status}`);
      const parts = (JSON.parse(upload.parts) as Part[]).sort((a, b) => a.partNumber - b.partNumber);
      const partCount = Math.ceil(upload.size / upload.partSize);
      const missing = Array.from({ length: partCount }, (_, i) => i + 1).filter(
        (n) => !parts.some((p) => p.partNumber === n),
      );
      if (missing.length) throw badRequest(`parts missing: ${missing.slice(0, 20).join(", ")}`, "parts");
      const object = await c.env.UPLOADS.resumeMultipartUpload(upload.r2Key, upload.r2UploadId).complete(
        parts,
      );
      if (object.size !== upload.size)
        throw new ApiError(400, "size_mismatch", `received ${object.size} bytes, expected ${upload.size}`);
      await db.update(uploads).set({ status: "complete" }).where(eq(uploads.id, id));
      return c.json({ uploadId: id, size: object.size, status: "complete" as const }, 200);
    },
  );
