// Who is signed in, and what their role lets the UI show.
import { createContext, type ComponentChildren } from "preact";
import { useContext } from "preact/hooks";
import type { Role, User } from "../api";

const rank: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

export const ROLE_OPTIONS = (Object.keys(rank) as Role[]).map((r) => ({
  value: r,
  label: r[0].toUpperCase() + r.slice(1),
}));

export type Session = { user: User; signOut: () => Promise<void> };

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ value, children }: { value: Session; children: ComponentChildren }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside a signed-in page");
  return s;
}

/** Whether the signed-in user has at least this role. */
export function useCan(min: Role): boolean {
  return rank[useSession().user.role] >= rank[min];
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return rank[role] >= rank[min];
}
