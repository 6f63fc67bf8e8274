// D1 access for meters, always through the caller's visibility.
import { asc, eq, type SQL } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import { updateStamped } from "../db/changes";
import type { Db } from "../db/client";
import { insertUnlessTaken } from "../db/unique";
import { matching, pageWithTotal, visibleTo, type Search } from "../db/lists";
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
const meterQuery = (db: Db, p: Principal, where?: SQL) =>
  visibleTo(db.select(meterColumns).from(meters), p, meters.siteId, where)
    .innerJoin(sites, eq(sites.id, meters.siteId))
    .leftJoin(suppliers, eq(suppliers.id, meters.supplierId));

export function listMeters(db: Db, p: Principal, filter: Search<{ siteId?: number; fuel?: Fuel }>) {
  const searched = [meters.mpan, meters.name, meters.serial, sites.name];
  const where = matching(filter, searched, { siteId: meters.siteId, fuel: meters.fuel });
  return pageWithTotal(db, () => meterQuery(db, p, where), [asc(sites.name), asc(meters.mpan)], filter);
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
export const updateMeter = (db: Db, mpan: string, changes: Partial<Omit<MeterFields, "mpan" | "fuel">>) =>
  updateStamped(db, meters, eq(meters.mpan, mpan), changes);

export async function deleteMeter(db: Db, mpan: string) {
  await db.delete(meters).where(eq(meters.mpan, mpan));
}

/** The stored key for a meter named in a URL: a full 21-character MPAN is looked up by its core. */
export function meterKey(input: string): string {
  const compact = input.replace(/[\s-]/g, "");
  return compact.length === 21 ? compact.slice(8) : compact;
}
