// D1 access for meters, always through the caller's visibility.
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { visibleSites } from "../access/scope";
import type { Principal } from "../auth/principal";
import type { Db } from "../db/client";
import { insertUnlessTaken } from "../db/unique";
import { containsTerm, pageWithTotal } from "../db/lists";
import { meters, sites, suppliers } from "../db/schema";
import type { Fuel } from "../enums";

const meterColumns = {
  id: meters.id,
  mpan: meters.mpan,
  fuel: meters.fuel,
  siteId: meters.siteId,
  siteName: sites.name,
  supplierId: meters.supplierId,
  supplierName: suppliers.name,
  serial: meters.serial,
  name: meters.name,
  status: meters.status,
  calorificValue: meters.calorificValue,
};

/** Meters the caller may see, with their site and supplier joined. */
function meterQuery(db: Db, p: Principal, where?: SQL) {
  return db
    .select(meterColumns)
    .from(meters)
    .innerJoin(sites, eq(sites.id, meters.siteId))
    .leftJoin(suppliers, eq(suppliers.id, meters.supplierId))
    .where(and(visibleSites(p, sql`${meters.siteId}`), where));
}

export function listMeters(
  db: Db,
  p: Principal,
  filter: { q?: string; siteId?: number; fuel?: Fuel; limit: number; offset: number },
) {
  const where = and(
    containsTerm(filter.q, [meters.mpan, meters.name, meters.serial, sites.name]),
    filter.siteId ? eq(meters.siteId, filter.siteId) : undefined,
    filter.fuel ? eq(meters.fuel, filter.fuel) : undefined,
  );
  const order = [asc(sites.name), asc(meters.mpan)];
  return pageWithTotal(db, () => meterQuery(db, p, where), order, filter);
}

export function getMeter(db: Db, p: Principal, mpan: string) {
  return meterQuery(db, p, eq(meters.mpan, mpan)).get();
}

type MeterFields = Omit<typeof meters.$inferInsert, "id" | "createdAt" | "updatedAt">;

/** A new meter's id, or undefined when its MPAN is registered. */
export function createMeter(db: Db, meter: MeterFields) {
  return insertUnlessTaken(db, meters, meters.mpan, meter, { id: meters.id });
}

/** Applies the changes to a meter (its MPAN and fuel are fixed). */
export async function updateMeter(
  db: Db,
  mpan: string,
  changes: Partial<Omit<MeterFields, "mpan" | "fuel">>,
) {
  await db
    .update(meters)
    .set({ ...changes, updatedAt: new Date().toISOString() })
    .where(eq(meters.mpan, mpan));
}

export async function deleteMeter(db: Db, mpan: string) {
  await db.delete(meters).where(eq(meters.mpan, mpan));
}

/** The stored key for a meter named in a URL: a full 21-character MPAN is looked up by its core. */
export function meterKey(input: string): string {
  const compact = input.replace(/[\s-]/g, "");
  return compact.length === 21 ? compact.slice(8) : compact;
}
