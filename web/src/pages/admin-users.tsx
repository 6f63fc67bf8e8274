// Admin: users, their roles, deactivation, and grants that limit what they see to a company, region or site.
import { useState } from "preact/hooks";
import { ROLES } from "../../../src/enums";
import {
  api,
  ApiError,
  type Company,
  type Grant,
  type ManagedUser,
  type Region,
  type Role,
  type SignInLock,
  type Site,
} from "../api";
import { formatDateTime } from "../format";
import { useResource } from "../resource";
import { useSession } from "../session";
import { Badge, Dialog, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { asApiError, Field, fieldError, FormError } from "../ui/form";
import { AdminTabs } from "./admin-nav";

const ROLE_HELP: Record<Role, string> = {
  viewer: "dashboards, consumption and carbon",
  manager: "viewer, plus reports, cost analyses, exports and tariff comparisons",
  admin: "everything, including users, imports, editing sites and meters, and API tokens",
};

type Names = { companies: Map<number, string>; regions: Map<number, string>; sites: Map<number, string> };

function grantLabel(g: Grant, names: Names): string {
  if (g.siteId) return `Site: ${names.sites.get(g.siteId) ?? `#${g.siteId}`}`;
  if (g.regionId) return `Region: ${names.regions.get(g.regionId) ?? `#${g.regionId}`}`;
  if (g.companyId) return `Company: ${names.companies.get(g.companyId) ?? `#${g.companyId}`}`;
  return "Everything";
}

function UserDialog({
  user,
  onClose,
  onSaved,
}: {
  user?: ManagedUser;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [email, setEmail] = useState(user?.email ?? "");
  const [name, setName] = useState(user?.name ?? "");
  const [role, setRole] = useState<Role>(user?.role ?? "viewer");
  const [password, setPassword] = useState("");
  const [active, setActive] = useState(user?.active ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (!user && password.length < 8) {
      setError(new ApiError(400, "client", "a password needs at least 8 characters", "password"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (user) {
        const body = { name: name.trim() || null, role, active, ...(password ? { password } : {}) };
        await api.patch("/api/users/{id}", { params: { path: { id: user.id } }, body });
      } else {
        await api.post("/api/users", {
          body: { email: email.trim(), name: name.trim() || null, password, role },
        });
      }
      onSaved();
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }

  return (
    <Dialog title={user ? `Edit ${user.email}` : "New user"} onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="user-form">
        {!user && (
          <Field label="Email" error={fieldError(error, "email")}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                type="email"
                autoComplete="off"
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            )}
          </Field>
        )}
        <Field label="Name" error={fieldError(error, "name")}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Role" hint={ROLE_HELP[role]} error={fieldError(error, "role")}>
          {(id, d) => (
            <select
              id={id}
              aria-describedby={d}
              value={role}
              onChange={(e) => setRole(e.currentTarget.value as Role)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r[0].toUpperCase() + r.slice(1)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={user ? "New password" : "Password"}
          hint={user ? "Leave empty to keep the current password" : "At least 8 characters"}
          error={fieldError(error, "password")}
        >
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="password"
              autoComplete="new-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        {user && (
          <label class="check">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
            <span>Active (can sign in)</span>
          </label>
        )}
        <FormError error={error} fields={["email", "name", "role", "password"]} />
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="btn btn--primary" disabled={busy}>
            {busy ? "Saving…" : user ? "Save changes" : "Create user"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const LOCK_LABEL: Record<SignInLock["kind"], (l: SignInLock) => string> = {
  pair: (l) => `${l.email} from ${l.ip}`,
  account: (l) => `${l.email}, from any IP`,
  ip: (l) => `${l.ip}, on any account`,
};

/**
 * Sign-in locks: an IP locked out of one account after failed sign-ins, and accounts or IPs with so many
 * failures that their next failure locks at once. Clearing one lets that sign-in be tried again.
 */
function SignInLocks() {
  const locks = useResource(() => api.get("/api/auth/locks"), []);
  const [error, setError] = useState<ApiError | null>(null);
  const list = locks.data?.data ?? [];

  async function clear(lock: SignInLock) {
    setError(null);
    try {
      await api.del("/api/auth/locks/{key}", { params: { path: { key: lock.key } } });
    } catch (err) {
      setError(asApiError(err));
    }
    locks.reload();
  }

  return (
    <section aria-labelledby="sign-in-locks">
      <div class="section-head">
        <h2 id="sign-in-locks">Sign-in locks</h2>
        <button type="button" class="btn btn--small" onClick={locks.reload}>
          Refresh
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      {locks.error ? (
        <ErrorNotice error={locks.error} onRetry={locks.reload} />
      ) : !locks.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p class="muted">
          No locks. Five failed sign-ins to one account from one IP lock that account from that IP for 15
          minutes.
        </p>
      ) : (
        <div class="table-wrap">
          <table data-testid="locks-table">
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Failures</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((l) => (
                <tr key={l.key}>
                  <td>{LOCK_LABEL[l.kind](l)}</td>
                  <td>
                    {l.failures} since {formatDateTime(l.since)}
                  </td>
                  <td>
                    {l.lockedUntil ? (
                      <Badge tone="bad">locked until {formatDateTime(l.lockedUntil)}</Badge>
                    ) : (
                      <Badge tone="warn">on alert: the next failure locks</Badge>
                    )}
                  </td>
                  <td class="row-actions">
                    <button
                      type="button"
                      class="btn btn--small"
                      aria-label={`Clear lock on ${LOCK_LABEL[l.kind](l)}`}
                      onClick={() => clear(l)}
                    >
                      Clear
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type Lists = { companies: Company[]; regions: Region[]; sites: Site[] };

function GrantsDialog({
  user,
  lists,
  names,
  onClose,
  onChanged,
}: {
  user: ManagedUser;
  lists: Lists;
  names: Names;
  onClose: () => void;
  onChanged: () => void;
}) {
  const [kind, setKind] = useState<"companyId" | "regionId" | "siteId">("companyId");
  const [target, setTarget] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const options =
    kind === "companyId"
      ? lists.companies.map((c) => ({ id: c.id, name: c.name }))
      : kind === "regionId"
        ? lists.regions.map((r) => ({
            id: r.id,
            name: `${r.name} (${names.companies.get(r.companyId) ?? ""})`,
          }))
        : lists.sites.map((s) => ({ id: s.id, name: s.name }));

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  }

  return (
    <Dialog title={`Access for ${user.email}`} onClose={onClose}>
      <p class="muted">
        With no grants a user sees every site. Grants limit them to the companies, regions and sites listed.
      </p>
      {user.grants.length === 0 ? (
        <p>
          <Badge tone="info">All sites</Badge>
        </p>
      ) : (
        <ul class="grant-list">
          {user.grants.map((g) => (
            <li key={g.id}>
              <span>{grantLabel(g, names)}</span>
              <button
                type="button"
                class="btn btn--small btn--danger-quiet"
                disabled={busy}
                aria-label={`Remove ${grantLabel(g, names)}`}
                onClick={() =>
                  run(() =>
                    api.del("/api/users/{id}/grants/{grantId}", {
                      params: { path: { id: user.id, grantId: g.id } },
                    }),
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="grant-add"
        onSubmit={(e) => {
          e.preventDefault();
          if (target)
            run(() =>
              api.post("/api/users/{id}/grants", {
                params: { path: { id: user.id } },
                body:
                  kind === "companyId"
                    ? { companyId: Number(target) }
                    : kind === "regionId"
                      ? { regionId: Number(target) }
                      : { siteId: Number(target) },
              }),
            ).then(() => setTarget(""));
        }}
      >
        <div class="form-row">
          <Field label="Grant access to">
            {(id) => (
              <select
                id={id}
                value={kind}
                onChange={(e) => {
                  setKind(e.currentTarget.value as typeof kind);
                  setTarget("");
                }}
              >
                <option value="companyId">A company</option>
                <option value="regionId">A region</option>
                <option value="siteId">A site</option>
              </select>
            )}
          </Field>
          <Field label={kind === "companyId" ? "Company" : kind === "regionId" ? "Region" : "Site"}>
            {(id) => (
              <select id={id} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                <option value="">Choose…</option>
                {options.map((o) => (
                  <option key={o.id} value={String(o.id)}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <FormError error={error} />
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>
            Done
          </button>
          <button type="submit" class="btn btn--primary" disabled={!target || busy}>
            Add grant
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function UsersPage() {
  const { user: me } = useSession();
  const users = useResource(() => api.get("/api/users"), []);
  const lists = useResource(async (): Promise<Lists> => {
    const [c, r, s] = await Promise.all([
      api.get("/api/companies"),
      api.get("/api/regions"),
      api.get("/api/sites", { params: { query: { pageSize: 500 } } }),
    ]);
    return { companies: c.data, regions: r.data, sites: s.data };
  }, []);
  const [editing, setEditing] = useState<ManagedUser | "new" | null>(null);
  const [granting, setGranting] = useState<number | null>(null);
  const [rowError, setRowError] = useState<ApiError | null>(null);
  const names: Names = {
    companies: new Map((lists.data?.companies ?? []).map((c) => [c.id, c.name])),
    regions: new Map((lists.data?.regions ?? []).map((r) => [r.id, r.name])),
    sites: new Map((lists.data?.sites ?? []).map((s) => [s.id, s.name])),
  };
  const list = users.data?.data ?? [];
  const grantUser = list.find((u) => u.id === granting);

  async function setActive(u: ManagedUser, active: boolean) {
    setRowError(null);
    try {
      await api.patch("/api/users/{id}", { params: { path: { id: u.id } }, body: { active } });
      users.reload();
    } catch (err) {
      setRowError(asApiError(err));
    }
  }

  return (
    <>
      <PageHeader
        title="Admin"
        subtitle="People, API access and the audit trail."
        actions={
          <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
            New user
          </button>
        }
      />
      <AdminTabs />
      {rowError && <ErrorNotice error={rowError} />}
      {users.error ? (
        <ErrorNotice error={users.error} onRetry={users.reload} />
      ) : !users.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <EmptyState title="No users">
          <p>Create a user to give someone access.</p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Access</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id} class={u.active ? undefined : "row--inactive"}>
                  <td>
                    <div>{u.name || "—"}</div>
                    <div class="muted small">{u.email}</div>
                  </td>
                  <td>
                    <Badge tone={u.role === "admin" ? "info" : "neutral"}>{u.role}</Badge>
                  </td>
                  <td>
                    {u.active ? <Badge tone="good">active</Badge> : <Badge tone="bad">deactivated</Badge>}
                  </td>
                  <td>
                    {u.grants.length === 0 ? (
                      <span class="muted">All sites</span>
                    ) : (
                      u.grants.map((g) => (
                        <span key={g.id} class="chip">
                          {grantLabel(g, names)}
                        </span>
                      ))
                    )}
                  </td>
                  <td class="row-actions">
                    <button
                      type="button"
                      class="btn btn--small"
                      aria-label={`Edit ${u.email}`}
                      onClick={() => setEditing(u)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      class="btn btn--small"
                      aria-label={`Access for ${u.email}`}
                      onClick={() => setGranting(u.id)}
                    >
                      Access
                    </button>
                    {u.id !== me.id &&
                      (u.active ? (
                        <button
                          type="button"
                          class="btn btn--small btn--danger-quiet"
                          onClick={() => setActive(u, false)}
                        >
                          Deactivate
                        </button>
                      ) : (
                        <button type="button" class="btn btn--small" onClick={() => setActive(u, true)}>
                          Reactivate
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <UserDialog
          user={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            users.reload();
          }}
        />
      )}
      {grantUser && lists.data && (
        <GrantsDialog
          user={grantUser}
          lists={lists.data}
          names={names}
          onClose={() => setGranting(null)}
          onChanged={users.reload}
        />
      )}
      <SignInLocks />
    </>
  );
}
