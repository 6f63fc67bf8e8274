// D1 access for suppliers: a shared list every signed-in caller sees (no visibility filter applies).
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { insertUnlessTaken } from "../db/unique";
import { meters, suppliers } from "../db/schema";

const supplierColumns = { id: suppliers.id, name: suppliers.name, contactEmail: suppliers.contactEmail };
type SupplierFields = Omit<typeof suppliers.$inferInsert, "id" | "createdAt">;

export function listSuppliers(db: Db) {
  return db.select(supplierColumns).from(suppliers).orderBy(asc(suppliers.name));
}

export function getSupplier(db: Db, id: number) {
  return db.select(supplierColumns).from(suppliers).where(eq(suppliers.id, id)).get();
}

/** A new supplier, or undefined when the name is taken. */
export function createSupplier(db: Db, supplier: SupplierFields) {
  return insertUnlessTaken(db, suppliers, suppliers.name, supplier, supplierColumns);
}

/** Applies the changes; a rename to a taken name fails on the unique key (see whenTaken). */
export function updateSupplier(db: Db, id: number, changes: Partial<SupplierFields>) {
  return db.update(suppliers).set(changes).where(eq(suppliers.id, id)).returning(supplierColumns).get();
}

/** Deletes a supplier, its meters keeping no supplier: false when there is none of that id. */
export async function deleteSupplier(db: Db, id: number) {
  const [, removed] = await db.batch([
    db.update(meters).set({ supplierId: null }).where(eq(meters.supplierId, id)),
    db.delete(suppliers).where(eq(suppliers.id, id)).returning({ id: suppliers.id }),
  ]);
  return removed.length > 0;
}
