// Who is calling: a signed-in user or an API token, with a role and what they may see.
export const ROLES = ["viewer", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const roleRank: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

export type Principal = {
  kind: "session" | "token";
  userId: number | null;
  tokenId: number | null;
  email: string | null;
  name: string | null;
  role: Role;
  /** A token scoped to one company; null = the token sees what its role allows. */
  tokenCompanyId: number | null;
};

export type AppEnv = {
  Bindings: Env;
  Variables: { principal: Principal };
};

export function atLeast(role: Role, min: Role): boolean {
  return roleRank[role] >= roleRank[min];
}
