// Energy suppliers that meters are contracted with.
import { audit } from "../audit/log";
import { database } from "../db/client";
import { conflict, found, whenTaken } from "../http/errors";
import { removal } from "../http/removal";
import { defineRoute, errorResponse, IdParam, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { createSupplier, deleteSupplier, getSupplier, listSuppliers, updateSupplier } from "./store";

const SupplierSchema = z
  .object({ id: z.number().int(), name: z.string(), contactEmail: z.string().nullable() })
  .openapi("Supplier");
const SupplierBody = z.object({
  name: z.string().trim().min(1).max(200),
  contactEmail: z.string().trim().email().nullable().optional(),
});
const nameTaken = (name: string) => conflict(`supplier "${name}" exists`, "name");

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
    async (c) => c.json({ data: await listSuppliers(database(c.env)) }, 200),
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
      const row = await createSupplier(database(c.env), body);
      if (!row) throw nameTaken(body.name);
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
      const supplier = found(await getSupplier(db, id), "supplier");
      // The UPDATE decides a rename racing another writer for the same name.
      const row = await updateSupplier(db, id, body).catch(whenTaken(nameTaken(body.name ?? supplier.name)));
      await audit(c, "supplier.update", { entity: "supplier", entityId: id, detail: body });
      return c.json(row, 200);
    },
  )
  .openapi(
    ...removal("/api/suppliers/{id}", "Remove a supplier (its meters keep no supplier)", {
      role: "admin",
      scope: "global",
      what: "supplier",
      entity: "supplier",
      remove: (c, { id }) => deleteSupplier(database(c.env), id),
    }),
  );
