// D1 access for companies and their regions; what a caller may see comes from src/access/scope.ts.
import { and, asc, eq, sql } from "drizzle-orm";
import { visibleCompanies, visibleRegions } from "../access/scope";
import type { Principal } from "../auth/principal";
import type { Db } from "../db/client";
import { insertUnlessTaken } from "../db/unique";
import { companies, regions, sites } from "../db/schema";

const companyColumns = { id: companies.id, name: companies.name, isDefault: companies.isDefault };
const regionColumns = { id: regions.id, companyId: regions.companyId, name: regions.name };

export function listCompanies(db: Db, p: Principal) {
  return db
    .select(companyColumns)
    .from(companies)
    .where(visibleCompanies(p, sql`${companies.id}`))
    .orderBy(asc(companies.name));
}

/** A company whatever the caller's scope (admin routes), or undefined. */
export function getCompany(db: Db, id: number) {
  return db.select(companyColumns).from(companies).where(eq(companies.id, id)).get();
}

/** A company the caller may see, or undefined. */
export function getVisibleCompany(db: Db, p: Principal, id: number) {
  return db
    .select(companyColumns)
    .from(companies)
    .where(and(eq(companies.id, id), visibleCompanies(p, sql`${companies.id}`)))
    .get();
}

/** A new company, or undefined when the name is taken. */
export function createCompany(db: Db, name: string) {
  return insertUnlessTaken(db, companies, companies.name, { name }, companyColumns);
}

export function siteCountOfCompany(db: Db, companyId: number) {
  return db.$count(sites, eq(sites.companyId, companyId));
}

export async function deleteCompany(db: Db, id: number) {
  await db.delete(companies).where(eq(companies.id, id));
}

export function listRegions(db: Db, p: Principal, filter: { companyId?: number }) {
  return db
    .select(regionColumns)
    .from(regions)
    .where(
      and(
        visibleRegions(p, sql`${regions.id}`, sql`${regions.companyId}`),
        filter.companyId ? eq(regions.companyId, filter.companyId) : undefined,
      ),
    )
    .orderBy(asc(regions.name));
}

/** A region whatever the caller's scope, or undefined. */
export function getRegion(db: Db, id: number) {
  return db.select(regionColumns).from(regions).where(eq(regions.id, id)).get();
}

/** A new region, or undefined when its company has one of that name. */
export function createRegion(db: Db, region: { companyId: number; name: string }) {
  return insertUnlessTaken(db, regions, [regions.companyId, regions.name], region, regionColumns);
}
