// Energy suppliers that meters are contracted with.
import { asc, eq } from "drizzle-orm";
import { audit } from "../audit/log";
import { database } from "../db/client";
import { meters, suppliers } from "../db/schema";
import { conflict, notFound } from "../http/errors";
import { defineRoute, errorResponse, jsonBody, jsonResponse, router, z } from "../http/openapi";

const SupplierSchema = z
  .object({ id: z.number().int(), name: z.string(), contactEmail: z.string().nullable() })
  .openapi("Supplier");
const SupplierBody = z.object({
  name: z.string().trim().min(1).max(200),
  contactEmail: z.string().trim().email().nullable().optional(),
});
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const columns = { id: suppliers.id, name: suppliers.name, contactEmail: suppliers.contactEmail };

export const supplierRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/suppliers",
      role: "viewer",
      scope: "shared",
      tags: ["suppliers"],
      summary: "All suppliers",
      responses: { 200: jsonResponse(z.object({ data: z.array(SupplierSchema) }), "suppliers") },
    }),
    async (c) =>
      c.json(
        { data: await database(c.env).select(columns).from(suppliers).orderBy(asc(suppliers.name)) },
        200,
      ),
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/suppliers",
      role: "admin",
      scope: "global",
      tags: ["suppliers"],
      summary: "Add a supplier",
      request: { body: jsonBody(SupplierBody) },
      responses: { 201: jsonResponse(SupplierSchema, "created"), 409: errorResponse("name taken") },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = database(c.env);
      if (await db.select().from(suppliers).where(eq(suppliers.name, body.name)).get()) {
        throw conflict(`supplier "${body.name}" exists`, "name");
      }
      const row = await db
        .insert(suppliers)
        .values({ name: body.name, contactEmail: body.contactEmail ?? null })
        .returning(columns)
        .get();
      await audit(c, "supplier.create", { entity: "supplier", entityId: row.id, detail: body });
      return c.json(row, 201);
    },
  )
  .openapi(
    defineRoute({
      method: "patch",
      path: "/api/suppliers/{id}",
      role: "admin",
      scope: "global",
      tags: ["suppliers"],
      summary: "Rename a supplier or change its contact",
      request: { params: IdParam, body: jsonBody(SupplierBody.partial()) },
      responses: { 200: jsonResponse(SupplierSchema, "updated"), 409: errorResponse("name taken") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const db = database(c.env);
      if (!(await db.select().from(suppliers).where(eq(suppliers.id, id)).get())) throw notFound("supplier");
      if (body.name) {
        const dup = await db.select().from(suppliers).where(eq(suppliers.name, body.name)).get();
        if (dup && dup.id !== id) throw conflict(`supplier "${body.name}" exists`, "name");
      }
      const row = await db.update(suppliers).set(body).where(eq(suppliers.id, id)).returning(columns).get();
      await audit(c, "supplier.update", { entity: "supplier", entityId: id, detail: body });
      return c.json(row, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "delete",
      path: "/api/suppliers/{id}",
      role: "admin",
      scope: "global",
      tags: ["suppliers"],
      summary: "Remove a supplier (its meters keep no supplier)",
      request: { params: IdParam },
      responses: { 204: { description: "deleted" } },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const db = database(c.env);
      if (!(await db.select().from(suppliers).where(eq(suppliers.id, id)).get())) throw notFound("supplier");
      await db.batch([
        db.update(meters).set({ supplierId: null }).where(eq(meters.supplierId, id)),
        db.delete(suppliers).where(eq(suppliers.id, id)),
      ]);
      await audit(c, "supplier.delete", { entity: "supplier", entityId: id });
      return c.body(null, 204);
    },
  );
