// Sites: search, create, edit, delete (refused while a site still has meters) and bulk CSV import.
import { useState } from "preact/hooks";
import type { Site } from "../api";
import { useCan } from "../auth/session";
import { useApi } from "../query";
import { Link, navigate } from "../router";
import { ApiTable, RowButton } from "../ui/data-table";
import { EmptyState, PageHeader } from "../ui/feedback";
import { useSearchBox } from "../ui/form";
import { formatInt } from "../ui/format";
import { DeleteSiteDialog, SiteFormDialog } from "./site-dialogs";
import { SiteImportDialog } from "./site-import";

export function SitesPage() {
  const isAdmin = useCan("admin");
  const [search, searchBox] = useSearchBox("Search sites", "Search by name, postcode or address");
  const sites = useApi(
    "/api/sites",
    { params: { query: { q: search || undefined, pageSize: 500 } } },
    { keepPrevious: true },
  );
  const [editing, setEditing] = useState<Site | "new" | null>(null);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<Site | null>(null);
  const total = sites.data ? (sites.data.total ?? sites.data.data.length) : undefined;

  return (
    <>
      <PageHeader
        title="Sites"
        subtitle={total === undefined ? undefined : `${formatInt(total)} site${total === 1 ? "" : "s"}`}
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
      <div class="toolbar">{searchBox}</div>
      <ApiTable
        testid="sites-table"
        query={sites}
        empty={
          search ? (
            <EmptyState title="No sites match">
              <p>Nothing matches “{search}”. Try part of the name or postcode.</p>
            </EmptyState>
          ) : (
            <EmptyState title="No sites yet">
              <p>
                {isAdmin
                  ? "Create a site, or import many at once from a CSV file, then add its meters."
                  : "No sites are visible to you yet. An administrator can add sites or grant you access."}
              </p>
            </EmptyState>
          )
        }
        columns={[
          {
            header: "Name",
            sort: (s) => s.name,
            cell: (s) => <Link href={`/sites/${s.id}`}>{s.name}</Link>,
          },
          {
            header: "Postcode",
            class: "nowrap",
            sort: (s) => s.postcode,
            cell: (s) => s.postcode ?? "—",
          },
          { header: "Company", sort: (s) => s.companyName, cell: (s) => s.companyName },
          { header: "Region", sort: (s) => s.regionName, cell: (s) => s.regionName ?? "—" },
          { header: "Type", sort: (s) => s.siteType, cell: (s) => s.siteType ?? "—" },
          { header: "Meters", class: "num", sort: (s) => s.meterCount, cell: (s) => s.meterCount },
        ]}
        actions={
          isAdmin &&
          ((s) => (
            <>
              <RowButton label="Edit" name={`Edit ${s.name}`} onClick={() => setEditing(s)} />
              <RowButton label="Delete" name={`Delete ${s.name}`} danger onClick={() => setDeleting(s)} />
            </>
          ))
        }
      />
      {editing && (
        <SiteFormDialog
          site={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            setEditing(null);
            if (editing === "new") navigate(`/sites/${s.id}`);
          }}
        />
      )}
      {importing && <SiteImportDialog onClose={() => setImporting(false)} />}
      {deleting && (
        <DeleteSiteDialog
          site={deleting}
          meterCount={deleting.meterCount}
          onClose={() => setDeleting(null)}
          onDeleted={() => setDeleting(null)}
        />
      )}
    </>
  );
}
