// Admin: API tokens for scripts and integrations. A new token is shown once, then only its prefix.
import { useState } from "preact/hooks";
import { api, type Answer, type ApiError, type ApiToken, type Company, type Role } from "../api";
import { formatDateTime } from "../format";
import { useResource } from "../resource";
import { CopyButton } from "../ui/copy-button";
import { Badge, ConfirmDialog, Dialog, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { asApiError, Field, fieldError, FormError } from "../ui/form";
import { AdminTabs } from "./admin-nav";

type Created = Answer<"/api/tokens", "post">;

function NewTokenDialog({
  companies,
  onClose,
  onCreated,
}: {
  companies: Company[];
  onClose: () => void;
  onCreated: () => void;
}) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [companyId, setCompanyId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<Created | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: name.trim(), role, ...(companyId ? { companyId: Number(companyId) } : {}) };
      setCreated(await api.post("/api/tokens", { body }));
      onCreated();
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  }

  if (created) {
    return (
      <Dialog title="Token created" onClose={onClose}>
        <div class="notice notice--warn" role="alert">
          <p>
            <strong>Copy this token now.</strong> It is shown only once; afterwards only its prefix is kept.
            Store it in a secret manager and treat it like a password.
          </p>
        </div>
        <div class="secret" data-testid="new-token">
          <code>{created.token}</code>
          <CopyButton value={created.token} label="Copy token" />
        </div>
        <p class="muted">
          Use it as <code>Authorization: Bearer {created.prefix}…</code>. It has the {created.role} role.
        </p>
        <div class="form-actions">
          <button type="button" class="btn btn--primary" onClick={onClose}>
            I have copied it
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title="New API token" onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="token-form">
        <Field label="Name" hint="What it is for, e.g. “BI dashboard”" error={fieldError(error, "name")}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              maxLength={100}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-row">
          <Field label="Role" error={fieldError(error, "role")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={role}
                onChange={(e) => setRole(e.currentTarget.value as Role)}
              >
                <option value="viewer">Viewer</option>
                <option value="manager">Manager</option>
                <option value="admin">Admin</option>
              </select>
            )}
          </Field>
          <Field label="Company" hint="Limit the token to one company" error={fieldError(error, "companyId")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={companyId}
                onChange={(e) => setCompanyId(e.currentTarget.value)}
              >
                <option value="">All companies</option>
                {companies.map((c) => (
                  <option key={c.id} value={String(c.id)}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <FormError error={error} fields={["name", "role", "companyId"]} />
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="btn btn--primary" disabled={busy || !name.trim()}>
            {busy ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function TokensPage() {
  const tokens = useResource(() => api.get("/api/tokens"), []);
  const companies = useResource(() => api.get("/api/companies"), []);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const companyName = (id: number | null) =>
    id ? (companies.data?.data.find((c) => c.id === id)?.name ?? `#${id}`) : "All";
  const list = tokens.data?.data ?? [];

  return (
    <>
      <PageHeader
        title="Admin"
        subtitle="People, API access and the audit trail."
        actions={
          <button type="button" class="btn btn--primary" onClick={() => setCreating(true)}>
            New token
          </button>
        }
      />
      <AdminTabs />
      {tokens.error ? (
        <ErrorNotice error={tokens.error} onRetry={tokens.reload} />
      ) : !tokens.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <EmptyState
          title="No API tokens"
          action={
            <button type="button" class="btn btn--primary" onClick={() => setCreating(true)}>
              Create a token
            </button>
          }
        >
          <p>
            Tokens let scripts and BI tools call the API without a password. Each has a role and can be
            limited to one company.
          </p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Role</th>
                <th scope="col">Company</th>
                <th scope="col">Created by</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.id} class={t.revokedAt ? "row--inactive" : undefined}>
                  <td>{t.name}</td>
                  <td class="mono nowrap">{t.prefix}…</td>
                  <td>
                    <Badge>{t.role}</Badge>
                    {!t.revokedAt && t.actsAs !== t.role && (
                      <span
                        class="muted"
                        title="A token acts with at most its creator's current role, and not at all once the creator is deactivated or deleted"
                      >
                        {" "}
                        {t.actsAs ? `acts as ${t.actsAs}` : "inactive: creator can no longer act"}
                      </span>
                    )}
                  </td>
                  <td>{companyName(t.companyId)}</td>
                  <td>
                    {t.createdBy ? (
                      <>
                        {t.createdBy.email}
                        {!t.createdBy.active && <span class="muted"> (deactivated)</span>}
                      </>
                    ) : (
                      <span class="muted">deleted user</span>
                    )}
                  </td>
                  <td class="nowrap">{formatDateTime(t.createdAt)}</td>
                  <td class="nowrap">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"}</td>
                  <td class="row-actions">
                    {t.revokedAt ? (
                      <Badge tone="bad">revoked {formatDateTime(t.revokedAt)}</Badge>
                    ) : (
                      <button
                        type="button"
                        class="btn btn--small btn--danger-quiet"
                        aria-label={`Revoke ${t.name}`}
                        onClick={() => setRevoking(t)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && (
        <NewTokenDialog
          companies={companies.data?.data ?? []}
          onClose={() => setCreating(false)}
          onCreated={tokens.reload}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke token?"
          message={
            <p>
              Revoke <strong>{revoking.name}</strong> ({revoking.prefix}…)? Anything using it stops working at
              once.
            </p>
          }
          confirmLabel="Revoke token"
          onCancel={() => setRevoking(null)}
          onConfirm={async () => {
            await api.del("/api/tokens/{id}", { params: { path: { id: revoking.id } } });
            setRevoking(null);
            tokens.reload();
          }}
        />
      )}
    </>
  );
}
