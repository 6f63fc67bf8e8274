// Who is signed in, and what their role lets the UI show.
import { createContext, type ComponentChildren } from "preact";
import { useContext } from "preact/hooks";
import { ROLES, roleAtLeast } from "../../../src/enums";
import type { Role, User } from "../api";
import { optionsOfEnum } from "../ui/form";

export const ROLE_OPTIONS = optionsOfEnum(ROLES);

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
  return roleAtLeast(useSession().user.role, min);
}
