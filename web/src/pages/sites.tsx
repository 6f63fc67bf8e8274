// Sites: search, create, edit, delete (refused while a site still has meters) and bulk CSV import.
import { useState } from "preact/hooks";
import { api, type Site } from "../api";
import { formatInt } from "../format";
import { useDebounced, useResource } from "../resource";
import { Link, navigate } from "../router";
import { useCan } from "../session";
import { ConfirmDialog, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { SiteFormDialog, SiteImportDialog } from "./site-form";

export function SitesPage() {
  const isAdmin = useCan("admin");
  const [q, setQ] = useState("");
  const search = useDebounced(q.trim());
  const sites = useResource(
    () => api.get("/api/sites", { params: { query: { q: search || undefined, pageSize: 500 } } }),
    [search],
  );
  const [editing, setEditing] = useState<Site | "new" | null>(null);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<Site | null>(null);

  const list = sites.data?.data ?? [];
  return (
    <>
      <PageHeader
        title="Sites"
        subtitle={
          sites.data
            ? `${formatInt(sites.data.total ?? list.length)} site${(sites.data.total ?? list.length) === 1 ? "" : "s"}`
            : undefined
        }
        actions={
          isAdmin && (
            <>
              <button type="button" class="btn" onClick={() => setImporting(true)}>
                Import CSV
              </button>
              <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
                New site
              </button>
            </>
          )
        }
      />
      <div class="toolbar">
        <input
          type="search"
          class="search"
          placeholder="Search by name, postcode or address"
          aria-label="Search sites"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
      </div>
      {sites.error ? (
        <ErrorNotice error={sites.error} onRetry={sites.reload} />
      ) : !sites.data ? (
        <Loading />
      ) : list.length === 0 ? (
        search ? (
          <EmptyState title="No sites match">
            <p>Nothing matches “{search}”. Try part of the name or postcode.</p>
          </EmptyState>
        ) : (
          <EmptyState
            title="No sites yet"
            action={
              isAdmin && (
                <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
                  Create your first site
                </button>
              )
            }
          >
            <p>
              {isAdmin
                ? "Create a site, or import many at once from a CSV file, then add its meters."
                : "No sites are visible to you yet. An administrator can add sites or grant you access."}
            </p>
          </EmptyState>
        )
      ) : (
        <div class="table-wrap">
          <table data-testid="sites-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Postcode</th>
                <th scope="col">Company</th>
                <th scope="col">Region</th>
                <th scope="col">Type</th>
                <th scope="col" class="num">
                  Meters
                </th>
                {isAdmin && (
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link href={`/sites/${s.id}`}>{s.name}</Link>
                  </td>
                  <td class="nowrap">{s.postcode ?? "—"}</td>
                  <td>{s.companyName}</td>
                  <td>{s.regionName ?? "—"}</td>
                  <td>{s.siteType ?? "—"}</td>
                  <td class="num">{s.meterCount}</td>
                  {isAdmin && (
                    <td class="row-actions">
                      <button
                        type="button"
                        class="btn btn--small"
                        aria-label={`Edit ${s.name}`}
                        onClick={() => setEditing(s)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        class="btn btn--small btn--danger-quiet"
                        aria-label={`Delete ${s.name}`}
                        onClick={() => setDeleting(s)}
                      >
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <SiteFormDialog
          site={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            const created = editing === "new";
            setEditing(null);
            if (created) navigate(`/sites/${s.id}`);
            else sites.reload();
          }}
        />
      )}
      {importing && <SiteImportDialog onClose={() => setImporting(false)} onImported={sites.reload} />}
      {deleting && (
        <ConfirmDialog
          title="Delete site?"
          message={
            <p>
              Delete <strong>{deleting.name}</strong>? This cannot be undone.
              {deleting.meterCount > 0 &&
                ` It still has ${deleting.meterCount} meter${deleting.meterCount === 1 ? "" : "s"}; delete or move them first.`}
            </p>
          }
          confirmLabel="Delete site"
          onConfirm={async () => {
            await api.del("/api/sites/{id}", { params: { path: { id: deleting.id } } });
            setDeleting(null);
            sites.reload();
          }}
          onCancel={() => setDeleting(null)}
        />
      )}
    </>
  );
}
