// Who is calling: a signed-in user or an API token, with a role and a scope (what they may see and change).
export const ROLES = ["viewer", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const roleRank: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

/**
 * What a principal may see and change, as restrictions that narrow each other (both null = everything):
 * `grantsOf` limits it to that user's grants (companies, regions, single sites: a non-admin user, or a
 * token made by one); `companyId` limits it to one company (a company-scoped token). The scope is a
 * property of the principal, worked out once at authentication; src/access/scope.ts turns it into SQL
 * and the route definition (src/http/openapi.ts) refuses global routes to a scoped principal.
 */
export type Scope = { grantsOf: number | null; companyId: number | null };

export const UNSCOPED: Scope = { grantsOf: null, companyId: null };

export type Principal = {
  kind: "session" | "token";
  /** The signed-in user; null for a token (whose creator is `actingFor`). */
  userId: number | null;
  tokenId: number | null;
  /** The user whose role and scope bound this principal: the user, or the token's creator. */
  actingFor: number;
  email: string | null;
  name: string | null;
  role: Role;
  scope: Scope;
};

export type AppEnv = {
  Bindings: Env;
  Variables: { principal: Principal };
};

export function atLeast(role: Role, min: Role): boolean {
  return roleRank[role] >= roleRank[min];
}

/** The lower of two roles: a token acts with at most its creator's current role. */
export function lowerRole(a: Role, b: Role): Role {
  return roleRank[a] <= roleRank[b] ? a : b;
}

/** True when the principal is limited to part of the estate. */
export function isScoped(p: Principal): boolean {
  return p.scope.grantsOf !== null || p.scope.companyId !== null;
}

/** A user's own scope: admins see everything, everyone else the union of their grants. */
export function userScope(user: { id: number; role: Role }): Scope {
  return user.role === "admin" ? UNSCOPED : { grantsOf: user.id, companyId: null };
}
