// Energy suppliers that meters are contracted with.
import { database } from "../db/client";
import { conflict, whenTaken } from "../http/errors";
import { removal } from "../http/removal";
import { router, z } from "../http/openapi";
import { change, creation, listing } from "../http/record";
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
    ...listing(
      "/api/suppliers",
      "All suppliers",
      SupplierSchema,
      { role: "viewer", scope: "shared", answers: "suppliers" },
      (c) => listSuppliers(database(c.env)),
    ),
  )
  .openapi(
    ...creation("/api/suppliers", "Add a supplier", SupplierBody, SupplierSchema, {
      role: "admin",
      scope: "global",
      what: "supplier",
      taken: { description: "name taken", error: (body) => nameTaken(body.name) },
      create: (c, body) => createSupplier(database(c.env), body),
    }),
  )
  .openapi(
    ...change(
      "/api/suppliers/{id}",
      "Rename a supplier or change its contact",
      SupplierBody.partial(),
      SupplierSchema,
      {
        role: "admin",
        scope: "global",
        what: "supplier",
        refusal: "name taken",
        find: (c, { id }) => getSupplier(database(c.env), id),
        // The UPDATE decides a rename racing another writer for the same name.
        apply: async (c, supplier, body, { id }) => {
          await updateSupplier(database(c.env), id, body).catch(
            whenTaken(nameTaken(body.name ?? supplier.name)),
          );
        },
      },
    ),
  )
  .openapi(
    ...removal("/api/suppliers/{id}", "Remove a supplier (its meters keep no supplier)", {
      role: "admin",
      scope: "global",
      what: "supplier",
      remove: (c, { id }) => deleteSupplier(database(c.env), id),
    }),
  );
