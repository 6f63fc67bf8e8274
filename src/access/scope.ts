// What a caller may see. Admins see everything; everyone else sees the union of their grants
// (companies, regions, single sites), and a user with no grant sees nothing.
import { sql, type SQL } from "drizzle-orm";
import type { Principal } from "../auth/principal";

/**
 * A condition on a site id column: true for the sites the caller may see.
 * `siteIdColumn` is the SQL of a column holding a site id (e.g. `sites.id` or `meters.site_id`).
 */
export function visibleSites(p: Principal, siteIdColumn: SQL): SQL {
  if (p.kind === "token") {
    if (p.tokenCompanyId == null) return sql`1 = 1`;
    return sql`${siteIdColumn} IN (SELECT id FROM sites WHERE company_id = ${p.tokenCompanyId})`;
  }
  if (p.role === "admin") return sql`1 = 1`;
  return sql`${siteIdColumn} IN (
    SELECT s.id FROM sites s JOIN access_grants g ON g.user_id = ${p.userId}
    WHERE g.site_id = s.id OR g.region_id = s.region_id OR g.company_id = s.company_id)`;
}

/** Companies the caller may see: granted whole, or holding a region or site they were granted. */
export function visibleCompanies(p: Principal, companyIdColumn: SQL): SQL {
  if (p.kind === "token")
    return p.tokenCompanyId == null ? sql`1 = 1` : sql`${companyIdColumn} = ${p.tokenCompanyId}`;
  if (p.role === "admin") return sql`1 = 1`;
  return sql`${companyIdColumn} IN (
    SELECT g.company_id FROM access_grants g WHERE g.user_id = ${p.userId} AND g.company_id IS NOT NULL
    UNION SELECT r.company_id FROM regions r JOIN access_grants g ON g.region_id = r.id WHERE g.user_id = ${p.userId}
    UNION SELECT s.company_id FROM sites s JOIN access_grants g ON g.site_id = s.id WHERE g.user_id = ${p.userId})`;
}

/** Regions the caller may see: in a granted company, or granted directly, or holding a granted site. */
export function visibleRegions(p: Principal, regionIdColumn: SQL, companyIdColumn: SQL): SQL {
  if (p.kind === "token")
    return p.tokenCompanyId == null ? sql`1 = 1` : sql`${companyIdColumn} = ${p.tokenCompanyId}`;
  if (p.role === "admin") return sql`1 = 1`;
  return sql`(${companyIdColumn} IN (SELECT company_id FROM access_grants WHERE user_id = ${p.userId} AND company_id IS NOT NULL)
    OR ${regionIdColumn} IN (SELECT region_id FROM access_grants WHERE user_id = ${p.userId} AND region_id IS NOT NULL)
    OR ${regionIdColumn} IN (SELECT s.region_id FROM sites s JOIN access_grants g ON g.site_id = s.id WHERE g.user_id = ${p.userId}))`;
}
