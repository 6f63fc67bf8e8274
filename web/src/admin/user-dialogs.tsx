// Admin dialogs for one user: create or edit (role, password, active), and the grants that limit what
// they see to companies, regions or sites.
import { useState } from "preact/hooks";
import {
  api,
  ApiError,
  type Company,
  type Grant,
  type ManagedUser,
  type Region,
  type Role,
  type Site,
} from "../api";
import { ROLE_OPTIONS } from "../auth/session";
import { useAction } from "../query";
import { Dialog } from "../ui/dialog";
import { ActionError, Badge } from "../ui/feedback";
import {
  CheckField,
  EditorDialog,
  Form,
  optionsFrom,
  SelectField,
  TextField,
  useFormState,
} from "../ui/form";

const ROLE_HELP: Record<Role, string> = {
  viewer: "dashboards, consumption and carbon",
  manager: "viewer, plus reports, cost analyses, exports and tariff comparisons",
  admin: "everything, including users, imports, editing sites and meters, and API tokens",
};

export type Names = {
  companies: Map<number, string>;
  regions: Map<number, string>;
  sites: Map<number, string>;
};
export type Lists = { companies: Company[]; regions: Region[]; sites: Site[] };

export function grantLabel(g: Grant, names: Names): string {
  if (g.siteId) return `Site: ${names.sites.get(g.siteId) ?? `#${g.siteId}`}`;
  if (g.regionId) return `Region: ${names.regions.get(g.regionId) ?? `#${g.regionId}`}`;
  if (g.companyId) return `Company: ${names.companies.get(g.companyId) ?? `#${g.companyId}`}`;
  return "Everything";
}

export function UserDialog({ user, onClose }: { user?: ManagedUser; onClose: () => void }) {
  const { values, bind } = useFormState({
    email: user?.email ?? "",
    name: user?.name ?? "",
    role: user?.role ?? ("viewer" as Role),
    password: "",
  });
  const [active, setActive] = useState(user?.active ?? true);
  const save = useAction(
    () => {
      const { email, name, role, password } = values;
      if (!user && password.length < 8)
        throw new ApiError(400, "client", "a password needs at least 8 characters", "password");
      if (!user)
        return api.post("/api/users", {
          body: { email: email.trim(), name: name.trim() || null, password, role },
        });
      return api.patch("/api/users/{id}", {
        params: { path: { id: user.id } },
        body: { name: name.trim() || null, role, active, ...(password ? { password } : {}) },
      });
    },
    { invalidates: ["/api/users"], onDone: onClose },
  );

  return (
    <EditorDialog noun="user" editing={user?.email} action={save} onClose={onClose}>
      {!user && <TextField label="Email" type="email" autoComplete="off" {...bind("email")} />}
      <TextField label="Name" {...bind("name")} />
      <SelectField label="Role" hint={ROLE_HELP[values.role]} options={ROLE_OPTIONS} {...bind("role")} />
      <TextField
        label={user ? "New password" : "Password"}
        hint={user ? "Leave empty to keep the current password" : "At least 8 characters"}
        type="password"
        autoComplete="new-password"
        {...bind("password")}
      />
      {user && (
        <CheckField checked={active} onValue={setActive}>
          Active (can sign in)
        </CheckField>
      )}
    </EditorDialog>
  );
}

type GrantKind = "companyId" | "regionId" | "siteId";
const KINDS = optionsFrom({ companyId: "A company", regionId: "A region", siteId: "A site" });

export function GrantsDialog({
  user,
  lists,
  names,
  onClose,
}: {
  user: ManagedUser;
  lists: Lists;
  names: Names;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<GrantKind>("companyId");
  const [target, setTarget] = useState("");
  const id = user.id;
  const add = useAction(
    () => {
      const to = Number(target);
      const body =
        kind === "companyId" ? { companyId: to } : kind === "regionId" ? { regionId: to } : { siteId: to };
      return api.post("/api/users/{id}/grants", { params: { path: { id } }, body });
    },
    { invalidates: ["/api/users"], onDone: () => setTarget("") },
  );
  const remove = useAction(
    (g: Grant) => api.del("/api/users/{id}/grants/{grantId}", { params: { path: { id, grantId: g.id } } }),
    { invalidates: ["/api/users"] },
  );
  const options =
    kind === "companyId"
      ? lists.companies.map((c) => ({ value: String(c.id), label: c.name }))
      : kind === "regionId"
        ? lists.regions.map((r) => ({
            value: String(r.id),
            label: `${r.name} (${names.companies.get(r.companyId) ?? ""})`,
          }))
        : lists.sites.map((s) => ({ value: String(s.id), label: s.name }));

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
                disabled={remove.busy}
                aria-label={`Remove ${grantLabel(g, names)}`}
                onClick={() => remove.run(g)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ActionError error={remove.error} />
      <Form
        action={add}
        class="grant-add"
        submitLabel="Add grant"
        canSubmit={Boolean(target)}
        onCancel={onClose}
        cancelLabel="Done"
      >
        <div class="form-row">
          <SelectField
            label="Grant access to"
            value={kind}
            onValue={(v) => {
              setKind(v as GrantKind);
              setTarget("");
            }}
            options={KINDS}
          />
          <SelectField
            label={kind === "companyId" ? "Company" : kind === "regionId" ? "Region" : "Site"}
            value={target}
            onValue={setTarget}
            options={[{ value: "", label: "Choose…" }, ...options]}
          />
        </div>
      </Form>
    </Dialog>
  );
}
