// What a caller may see, as SQL conditions built from the principal's scope (src/auth/principal.ts):
// the one place scope becomes a query. Restrictions narrow each other: a company-scoped token made by a
// user with grants sees that company's part of the user's grants. No grant, nothing.
import { and, sql, type SQL } from "drizzle-orm";
import type { Principal } from "../auth/principal";

const ALL = sql`1 = 1`;

/**
 * Both of a scope's restrictions, each built only when the scope has it (null = no restriction), as
 * one condition: everything when there is neither.
 */
function narrowed(p: Principal, byCompany: (companyId: number) => SQL, byGrants: (userId: number) => SQL) {
  const { grantsOf, companyId } = p.scope;
  return (
    and(
      companyId === null ? undefined : byCompany(companyId),
      grantsOf === null ? undefined : byGrants(grantsOf),
    ) ?? ALL
  );
}

/** Sites granted to a user, whole companies, regions or single sites. */
const grantedSites = (userId: number) => sql`(
    SELECT s.id FROM sites s JOIN access_grants g ON g.user_id = ${userId}
    WHERE g.site_id = s.id OR g.region_id = s.region_id OR g.company_id = s.company_id)`;

/**
 * A condition on a site id column: true for the sites the caller may see.
 * `siteIdColumn` is the SQL of a column holding a site id (e.g. `sites.id` or `meters.site_id`).
 */
export function visibleSites(p: Principal, siteIdColumn: SQL): SQL {
  return narrowed(
    p,
    (companyId) => sql`${siteIdColumn} IN (SELECT id FROM sites WHERE company_id = ${companyId})`,
    (userId) => sql`${siteIdColumn} IN ${grantedSites(userId)}`,
  );
}

/** Companies the caller may see: granted whole, or holding a region or site they were granted. */
export function visibleCompanies(p: Principal, companyIdColumn: SQL): SQL {
  return narrowed(
    p,
    (companyId) => sql`${companyIdColumn} = ${companyId}`,
    (userId) => sql`${companyIdColumn} IN (
    SELECT g.company_id FROM access_grants g WHERE g.user_id = ${userId} AND g.company_id IS NOT NULL
    UNION SELECT r.company_id FROM regions r JOIN access_grants g ON g.region_id = r.id WHERE g.user_id = ${userId}
    UNION SELECT s.company_id FROM sites s JOIN access_grants g ON g.site_id = s.id WHERE g.user_id = ${userId})`,
  );
}

/** Regions the caller may see: in a granted company, or granted directly, or holding a granted site. */
export function visibleRegions(p: Principal, regionIdColumn: SQL, companyIdColumn: SQL): SQL {
  return narrowed(
    p,
    (companyId) => sql`${companyIdColumn} = ${companyId}`,
    (
      userId,
    ) => sql`(${companyIdColumn} IN (SELECT company_id FROM access_grants WHERE user_id = ${userId} AND company_id IS NOT NULL)
    OR ${regionIdColumn} IN (SELECT region_id FROM access_grants WHERE user_id = ${userId} AND region_id IS NOT NULL)
    OR ${regionIdColumn} IN (SELECT s.region_id FROM sites s JOIN access_grants g ON g.site_id = s.id WHERE g.user_id = ${userId}))`,
  );
}

/**
 * Records tagged with the company scope they were made in (import jobs, uploads: NULL = unscoped).
 * Only a principal with no company restriction and no grants sees unscoped ones.
 */
export function visibleCompanyTag(p: Principal, companyTagColumn: SQL): SQL {
  const { grantsOf, companyId } = p.scope;
  if (grantsOf !== null) return sql`0 = 1`;
  return companyId === null ? ALL : sql`${companyTagColumn} = ${companyId}`;
}

/** The same rule as visibleCompanyTag for one record already read. */
export function inCompanyScope(p: Principal, companyTag: number | null): boolean {
  if (p.scope.grantsOf !== null) return false;
  return p.scope.companyId === null || companyTag === p.scope.companyId;
}

/**
 * The other way round: active users who may see a site, as a query of user ids (admins see every site;
 * others through a grant of its company, region or the site itself). For per-user notifications.
 */
export function usersSeeingSite(siteIdColumn: SQL): SQL {
  return sql`(SELECT u.id FROM users u WHERE u.active = 1 AND (u.role = 'admin' OR u.id IN (
    SELECT g.user_id FROM access_grants g JOIN sites s ON s.id = ${siteIdColumn}
    WHERE g.site_id = s.id OR g.region_id = s.region_id OR g.company_id = s.company_id)))`;
}
