// Admin: users, their roles, deactivation, and grants that limit what they see to a company, region or site;
// below, the sign-in locks.
import { useState } from "preact/hooks";
import { api, type ManagedUser } from "../api";
import { useSession } from "../auth/session";
import { useAction, useApi } from "../query";
import { ApiTable, RowButton } from "../ui/data-table";
import { Badge, EmptyState, ErrorNotice } from "../ui/feedback";
import { AdminFrame } from "./admin-frame";
import { SignInLocks } from "./sign-in-locks";
import { grantLabel, GrantsDialog, UserDialog, type Names } from "./user-dialogs";

const names = <T extends { id: number; name: string }>(items: T[] = []) =>
  new Map(items.map((i) => [i.id, i.name]));

export function UsersPage() {
  const { user: me } = useSession();
  const users = useApi("/api/users");
  // The same cached lists the site and token forms use.
  const companies = useApi("/api/companies");
  const regions = useApi("/api/regions");
  const sites = useApi("/api/sites", { params: { query: { pageSize: 500 } } });
  const [editing, setEditing] = useState<ManagedUser | "new" | null>(null);
  const [granting, setGranting] = useState<number | null>(null);
  const setActive = useAction(
    ({ user, active }: { user: ManagedUser; active: boolean }) =>
      api.patch("/api/users/{id}", { params: { path: { id: user.id } }, body: { active } }),
    { invalidates: ["/api/users"] },
  );
  const known: Names = {
    companies: names(companies.data?.data),
    regions: names(regions.data?.data),
    sites: names(sites.data?.data),
  };
  const grantUser = users.data?.data.find((u) => u.id === granting);

  return (
    <AdminFrame
      actions={
        <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
          New user
        </button>
      }
    >
      {setActive.error && <ErrorNotice error={setActive.error} />}
      <ApiTable
        testid="users-table"
        query={users}
        rowProps={(u) => ({ class: u.active ? undefined : "row--inactive" })}
        empty={<EmptyState title="No users" text="Create a user to give someone access." />}
        columns={[
          {
            header: "User",
            sort: (u) => u.name ?? u.email,
            cell: (u) => (
              <>
                <div>{u.name || "—"}</div>
                <div class="muted small">{u.email}</div>
              </>
            ),
          },
          {
            header: "Role",
            sort: (u) => u.role,
            cell: (u) => <Badge tone={u.role === "admin" ? "info" : "neutral"}>{u.role}</Badge>,
          },
          {
            header: "Status",
            sort: (u) => (u.active ? 0 : 1),
            cell: (u) =>
              u.active ? <Badge tone="good">active</Badge> : <Badge tone="bad">deactivated</Badge>,
          },
          {
            header: "Access",
            cell: (u) =>
              u.grants.length === 0 ? (
                <span class="muted">All sites</span>
              ) : (
                u.grants.map((g) => (
                  <span key={g.id} class="chip">
                    {grantLabel(g, known)}
                  </span>
                ))
              ),
          },
        ]}
        actions={(u) => (
          <>
            <RowButton label="Edit" name={`Edit ${u.email}`} onClick={() => setEditing(u)} />
            <RowButton label="Access" name={`Access for ${u.email}`} onClick={() => setGranting(u.id)} />
            {u.id !== me.id && (
              <RowButton
                label={u.active ? "Deactivate" : "Reactivate"}
                danger={u.active}
                disabled={setActive.busy}
                onClick={() => setActive.run({ user: u, active: !u.active })}
              />
            )}
          </>
        )}
      />
      {editing && (
        <UserDialog user={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />
      )}
      {grantUser && (
        <GrantsDialog
          user={grantUser}
          lists={{
            companies: companies.data?.data ?? [],
            regions: regions.data?.data ?? [],
            sites: sites.data?.data ?? [],
          }}
          names={known}
          onClose={() => setGranting(null)}
        />
      )}
      <SignInLocks />
    </AdminFrame>
  );
}
