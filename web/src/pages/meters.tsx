// Meters: search and filter by fuel, copy an MPAN, create, edit and delete.
import { useState } from "preact/hooks";
import { api, type Fuel, type Meter } from "../api";
import { formatInt } from "../format";
import { useDebounced, useResource } from "../resource";
import { Link } from "../router";
import { useCan } from "../session";
import { CopyButton } from "../ui/copy-button";
import { Badge, ConfirmDialog, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { MeterFormDialog } from "./meter-form";

export function MeterTable({
  meters,
  onEdit,
  onDelete,
}: {
  meters: Meter[];
  onEdit?: (m: Meter) => void;
  onDelete?: (m: Meter) => void;
}) {
  const actions = Boolean(onEdit || onDelete);
  return (
    <div class="table-wrap">
      <table data-testid="meters-table">
        <thead>
          <tr>
            <th scope="col">MPAN / MPRN</th>
            <th scope="col">Name</th>
            <th scope="col">Fuel</th>
            <th scope="col">Site</th>
            <th scope="col">Supplier</th>
            <th scope="col">Status</th>
            {actions && (
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {meters.map((m) => (
            <tr key={m.id} data-mpan={m.mpan}>
              <td class="nowrap">
                <Link href={`/meters/${encodeURIComponent(m.mpan)}`} class="mono">
                  {m.mpan}
                </Link>{" "}
                <CopyButton value={m.mpan} label={`Copy ${m.mpan}`} />
              </td>
              <td>{m.name ?? "—"}</td>
              <td>
                <Badge tone={m.fuel === "gas" ? "warn" : "info"}>{m.fuel}</Badge>
              </td>
              <td>
                <Link href={`/sites/${m.siteId}`}>{m.siteName}</Link>
              </td>
              <td>{m.supplierName ?? "—"}</td>
              <td>
                <Badge tone={m.status === "active" ? "good" : "neutral"}>{m.status}</Badge>
              </td>
              {actions && (
                <td class="row-actions">
                  {onEdit && (
                    <button
                      type="button"
                      class="btn btn--small"
                      aria-label={`Edit meter ${m.mpan}`}
                      onClick={() => onEdit(m)}
                    >
                      Edit
                    </button>
                  )}
                  {onDelete && (
                    <button
                      type="button"
                      class="btn btn--small btn--danger-quiet"
                      aria-label={`Delete meter ${m.mpan}`}
                      onClick={() => onDelete(m)}
                    >
                      Delete
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Delete a meter after confirmation; shared by the meter list, a site's page and the meter's page. */
export function DeleteMeterDialog({
  meter,
  onClose,
  onDeleted,
}: {
  meter: Meter;
  onClose: () => void;
  onDeleted: () => void;
}) {
  return (
    <ConfirmDialog
      title="Delete meter?"
      message={
        <p>
          Delete meter <strong class="mono">{meter.mpan}</strong>
          {meter.name ? ` (${meter.name})` : ""} at {meter.siteName}? Its readings go with it. This cannot be
          undone.
        </p>
      }
      confirmLabel="Delete meter"
      onCancel={onClose}
      onConfirm={async () => {
        await api.del("/api/meters/{mpan}", { params: { path: { mpan: meter.mpan } } });
        onDeleted();
      }}
    />
  );
}

export function MetersPage() {
  const isAdmin = useCan("admin");
  const [q, setQ] = useState("");
  const [fuel, setFuel] = useState<Fuel | "">("");
  const search = useDebounced(q.trim());
  const meters = useResource(
    () =>
      api.get("/api/meters", {
        params: { query: { q: search || undefined, fuel: fuel || undefined, pageSize: 1000 } },
      }),
    [search, fuel],
  );
  const [editing, setEditing] = useState<Meter | "new" | null>(null);
  const [deleting, setDeleting] = useState<Meter | null>(null);
  const list = meters.data?.data ?? [];
  const total = meters.data?.total ?? list.length;

  return (
    <>
      <PageHeader
        title="Meters"
        subtitle={meters.data ? `${formatInt(total)} meter${total === 1 ? "" : "s"}` : undefined}
        actions={
          isAdmin && (
            <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
              New meter
            </button>
          )
        }
      />
      <div class="toolbar">
        <input
          type="search"
          class="search"
          placeholder="Search by MPAN, name, serial or site"
          aria-label="Search meters"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <select aria-label="Fuel" value={fuel} onChange={(e) => setFuel(e.currentTarget.value as Fuel | "")}>
          <option value="">All fuels</option>
          <option value="electricity">Electricity</option>
          <option value="gas">Gas</option>
        </select>
      </div>
      {meters.error ? (
        <ErrorNotice error={meters.error} onRetry={meters.reload} />
      ) : !meters.data ? (
        <Loading />
      ) : list.length === 0 ? (
        search || fuel ? (
          <EmptyState title="No meters match">
            <p>Try a shorter search or another fuel.</p>
          </EmptyState>
        ) : (
          <EmptyState
            title="No meters yet"
            action={
              isAdmin && (
                <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
                  Add a meter
                </button>
              )
            }
          >
            <p>
              {isAdmin
                ? "Add a meter to a site with its MPAN (electricity) or MPRN (gas); then import its readings."
                : "No meters are visible to you yet."}
            </p>
          </EmptyState>
        )
      ) : (
        <MeterTable
          meters={list}
          onEdit={isAdmin ? (m) => setEditing(m) : undefined}
          onDelete={isAdmin ? (m) => setDeleting(m) : undefined}
        />
      )}
      {editing && (
        <MeterFormDialog
          meter={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            meters.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteMeterDialog
          meter={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            meters.reload();
          }}
        />
      )}
    </>
  );
}
