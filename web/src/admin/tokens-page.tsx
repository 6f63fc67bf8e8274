// Admin: API tokens for scripts and integrations. A new token is shown once, then only its prefix.
import { useState } from "preact/hooks";
import { api, type ApiToken, type Company, type Role } from "../api";
import { useAction, useApi } from "../query";
import { ApiTable, dateColumn, RowButton } from "../ui/data-table";
import { ConfirmDialog, useOpener } from "../ui/dialog";
import { Badge, EmptyState } from "../ui/feedback";
import { optionsOf, SelectField, useFormState } from "../ui/form";
import { formatDateTime } from "../ui/format";
import { NewWithSecretDialog } from "../ui/one-time-secret";
import { AdminFrame } from "./admin-frame";
import { ROLE_OPTIONS } from "../auth/session";

function NewTokenDialog({ companies, onClose }: { companies: Company[]; onClose: () => void }) {
  const { values, bind } = useFormState({ name: "", role: "viewer" as Role, companyId: "" });
  const create = useAction(
    () =>
      api.post("/api/tokens", {
        body: {
          name: values.name.trim(),
          role: values.role,
          ...(values.companyId ? { companyId: Number(values.companyId) } : {}),
        },
      }),
    { invalidates: ["/api/tokens"] },
  );

  return (
    <NewWithSecretDialog
      title="New API token"
      submitLabel="Create token"
      testid="token-form"
      action={create}
      name={bind("name")}
      nameHint="What it is for, e.g. “BI dashboard”"
      onClose={onClose}
      secret={(created) => ({
        title: "Token created",
        warning: (
          <>
            <strong>Copy this token now.</strong> It is shown only once; afterwards only its prefix is kept.
            Store it in a secret manager and treat it like a password.
          </>
        ),
        secret: created.token,
        copyLabel: "Copy token",
        testid: "new-token",
        children: (
          <p class="muted">
            Use it as <code>Authorization: Bearer {created.prefix}…</code>. It has the {created.role} role.
          </p>
        ),
      })}
    >
      <div class="form-row">
        <SelectField label="Role" options={ROLE_OPTIONS} {...bind("role")} />
        <SelectField
          label="Company"
          hint="Limit the token to one company"
          options={optionsOf(companies, "All companies")}
          {...bind("companyId")}
        />
      </div>
    </NewWithSecretDialog>
  );
}

export function TokensPage() {
  const tokens = useApi("/api/tokens");
  const companies = useApi("/api/companies");
  const create = useOpener();
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const companyName = (id: number | null) =>
    id ? (companies.data?.data.find((c) => c.id === id)?.name ?? `#${id}`) : "All";

  return (
    <AdminFrame actions={create.button("New token")}>
      <ApiTable
        testid="tokens-table"
        query={tokens}
        rowProps={(t) => ({ class: t.revokedAt ? "row--inactive" : undefined })}
        empty={
          <EmptyState
            title="No API tokens"
            action={create.button("Create a token")}
            text="Tokens let scripts and BI tools call the API without a password. Each has a role and can be limited to one company."
          />
        }
        columns={[
          { header: "Name", sort: (t) => t.name, cell: (t) => t.name },
          { header: "Prefix", class: "mono nowrap", cell: (t) => `${t.prefix}…` },
          {
            header: "Role",
            sort: (t) => t.role,
            cell: (t) => (
              <>
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
              </>
            ),
          },
          { header: "Company", cell: (t) => companyName(t.companyId) },
          {
            header: "Created by",
            cell: (t) =>
              t.createdBy ? (
                <>
                  {t.createdBy.email}
                  {!t.createdBy.active && <span class="muted"> (deactivated)</span>}
                </>
              ) : (
                <span class="muted">deleted user</span>
              ),
          },
          dateColumn<ApiToken>("Created", (t) => t.createdAt),
          {
            header: "Last used",
            class: "nowrap",
            sort: (t) => t.lastUsedAt,
            cell: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"),
          },
        ]}
        actions={(t) =>
          t.revokedAt ? (
            <Badge tone="bad">revoked {formatDateTime(t.revokedAt)}</Badge>
          ) : (
            <RowButton label="Revoke" name={`Revoke ${t.name}`} danger onClick={() => setRevoking(t)} />
          )
        }
      />
      {create.open && <NewTokenDialog companies={companies.data?.data ?? []} onClose={create.close} />}
      {revoking && (
        <ConfirmDialog
          title="Revoke token?"
          message={
            <p>
              Revoke <strong>{revoking.name}</strong> ({revoking.prefix}…)? Anything using it stops working at
              once.
            </p>
          }
          onCancel={() => setRevoking(null)}
          onConfirm={() => api.del("/api/tokens/{id}", { params: { path: { id: revoking.id } } })}
          invalidates={["/api/tokens"]}
          onDone={() => setRevoking(null)}
        />
      )}
    </AdminFrame>
  );
}
