// D1 access for sites, always through the caller's visibility.
import { asc, eq, sql, type SQL } from "drizzle-orm";
import { DEFAULT_WORKING_HOURS, type WorkingHours } from "../analytics/hours";
import type { Principal } from "../auth/principal";
import { updateStamped } from "../db/changes";
import type { Db } from "../db/client";
import { insertUnlessTaken } from "../db/unique";
import { matching, pageWithTotal, visibleTo, type Search } from "../db/lists";
import { companies, meters, regions, sites } from "../db/schema";

export const siteColumns = {
  id: sites.id,
  companyId: sites.companyId,
  companyName: companies.name,
  regionId: sites.regionId,
  regionName: regions.name,
  name: sites.name,
  address: sites.address,
  postcode: sites.postcode,
  siteType: sites.siteType,
  floorAreaM2: sites.floorAreaM2,
  normalisers: sites.normalisers,
  workingHours: sites.workingHours,
  meterCount: sql<number>`(SELECT COUNT(*) FROM meters m WHERE m.site_id = ${sites.id})`.as("meter_count"),
  createdAt: sites.createdAt,
};

type SiteRow = { normalisers: string; workingHours: string | null };

/** The JSON columns parsed; working hours as they apply (the default when none are set). */
function parsed<R extends SiteRow>(row: R) {
  return {
    ...row,
    normalisers: JSON.parse(row.normalisers) as { name: string; value: number }[],
    workingHours: row.workingHours ? (JSON.parse(row.workingHours) as WorkingHours) : DEFAULT_WORKING_HOURS,
  };
}

/** Sites the caller may see, with their company and region joined. */
const siteQuery = (db: Db, p: Principal, where?: SQL) =>
  visibleTo(db.select(siteColumns).from(sites), p, sites.id, where)
    .innerJoin(companies, eq(companies.id, sites.companyId))
    .leftJoin(regions, eq(regions.id, sites.regionId));

export async function listSites(
  db: Db,
  p: Principal,
  filter: Search<{ companyId?: number; regionId?: number }>,
) {
  const searched = [sites.name, sites.postcode, sites.address, companies.name];
  const where = matching(filter, searched, { companyId: sites.companyId, regionId: sites.regionId });
  const page = await pageWithTotal(db, () => siteQuery(db, p, where), [asc(sites.name)], filter);
  return { ...page, data: page.data.map(parsed) };
}

export async function getSite(db: Db, p: Principal, id: number) {
  const row = await siteQuery(db, p, eq(sites.id, id)).get();
  return row && parsed(row);
}

export async function defaultCompanyId(db: Db): Promise<number> {
  const row = await db
    .select({ id: companies.id })
    .from(companies)
    .where(eq(companies.isDefault, true))
    .get();
  if (row) return row.id;
  const created = await db
    .insert(companies)
    .values({ name: "Default company", isDefault: true })
    .onConflictDoUpdate({ target: companies.name, set: { isDefault: true } })
    .returning()
    .get();
  return created.id;
}

export function meterCountForSite(db: Db, siteId: number) {
  return db.$count(meters, eq(meters.siteId, siteId));
}

export async function meterIdsOfSite(db: Db, siteId: number): Promise<number[]> {
  const rows = await db.select({ id: meters.id }).from(meters).where(eq(meters.siteId, siteId));
  return rows.map((r) => r.id);
}

type SiteFields = Omit<typeof sites.$inferInsert, "id" | "createdAt" | "updatedAt">;

/** A new site's id, or undefined when its company has a site of that name. */
export function createSite(db: Db, site: SiteFields) {
  return insertUnlessTaken(db, sites, [sites.companyId, sites.name], site, { id: sites.id });
}

/** Applies the changes; a name the company already has fails on the unique key (see whenTaken). */
export const updateSite = (db: Db, id: number, changes: Partial<SiteFields>) =>
  updateStamped(db, sites, eq(sites.id, id), changes);

export async function deleteSite(db: Db, id: number) {
  await db.delete(sites).where(eq(sites.id, id));
}
