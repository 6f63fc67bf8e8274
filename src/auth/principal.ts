// Who is calling: a signed-in user or an API token, with a role and a scope (what they may see and change).
import type { Role } from "../enums";

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

/** True when the principal is limited to part of the estate. */
export function isScoped(p: Principal): boolean {
  return p.scope.grantsOf !== null || p.scope.companyId !== null;
}

/** A user's own scope: admins see everything, everyone else the union of their grants. */
export function userScope(user: { id: number; role: Role }): Scope {
  return user.role === "admin" ? UNSCOPED : { grantsOf: user.id, companyId: null };
}
