// One site: its details and its meters, with edit, delete and add-meter for admins.
import { useState } from "preact/hooks";
import { api, type Meter } from "../api";
import { useResource } from "../resource";
import { Link, navigate } from "../router";
import { useCan } from "../session";
import { ConfirmDialog, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { MeterFormDialog } from "./meter-form";
import { DeleteMeterDialog, MeterTable } from "./meters";
import { SiteFormDialog } from "./site-form";

export function SiteDetailPage({ id }: { id: number }) {
  const isAdmin = useCan("admin");
  const site = useResource(() => api.get("/api/sites/{id}", { params: { path: { id } } }), [id]);
  const meters = useResource(
    () => api.get("/api/meters", { params: { query: { siteId: id, pageSize: 1000 } } }),
    [id],
  );
  const [editing, setEditing] = useState(false);
  const [addingMeter, setAddingMeter] = useState(false);
  const [editingMeter, setEditingMeter] = useState<Meter | null>(null);
  const [deletingMeter, setDeletingMeter] = useState<Meter | null>(null);
  const [deleting, setDeleting] = useState(false);

  if (site.error) {
    return (
      <>
        <p class="crumbs">
          <Link href="/sites">← Sites</Link>
        </p>
        {site.error.status === 404 ? (
          <EmptyState
            title="Site not found"
            action={
              <Link href="/sites" class="btn">
                Back to sites
              </Link>
            }
          >
            <p>It may have been deleted, or it is outside what you can see.</p>
          </EmptyState>
        ) : (
          <ErrorNotice error={site.error} onRetry={site.reload} />
        )}
      </>
    );
  }
  if (!site.data) return <Loading />;
  const s = site.data;
  const list = meters.data?.data ?? [];

  return (
    <>
      <p class="crumbs">
        <Link href="/sites">← Sites</Link>
      </p>
      <PageHeader
        title={s.name}
        subtitle={[s.address, s.postcode].filter(Boolean).join(", ") || undefined}
        actions={
          isAdmin && (
            <>
              <button type="button" class="btn" onClick={() => setEditing(true)}>
                Edit site
              </button>
              <button type="button" class="btn btn--danger-quiet" onClick={() => setDeleting(true)}>
                Delete site
              </button>
            </>
          )
        }
      />
      <dl class="facts card">
        <div>
          <dt>Company</dt>
          <dd>{s.companyName}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{s.regionName ?? "—"}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{s.siteType ?? "—"}</dd>
        </div>
        <div>
          <dt>Floor area</dt>
          <dd>{s.floorAreaM2 != null ? `${s.floorAreaM2.toLocaleString("en-GB")} m²` : "—"}</dd>
        </div>
      </dl>
      <section>
        <div class="section-head">
          <h2>Meters</h2>
          {isAdmin && (
            <button type="button" class="btn btn--primary" onClick={() => setAddingMeter(true)}>
              Add meter
            </button>
          )}
        </div>
        {meters.error ? (
          <ErrorNotice error={meters.error} onRetry={meters.reload} />
        ) : !meters.data ? (
          <Loading />
        ) : list.length === 0 ? (
          <EmptyState
            title="No meters on this site"
            action={
              isAdmin && (
                <button type="button" class="btn btn--primary" onClick={() => setAddingMeter(true)}>
                  Add the first meter
                </button>
              )
            }
          >
            <p>
              {isAdmin
                ? "Add its electricity MPANs and gas MPRNs, then import readings."
                : "An administrator can add this site's meters."}
            </p>
          </EmptyState>
        ) : (
          <MeterTable
            meters={list}
            onEdit={isAdmin ? setEditingMeter : undefined}
            onDelete={isAdmin ? setDeletingMeter : undefined}
          />
        )}
      </section>
      {editing && (
        <SiteFormDialog
          site={s}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            site.reload();
          }}
        />
      )}
      {(addingMeter || editingMeter) && (
        <MeterFormDialog
          meter={editingMeter ?? undefined}
          siteId={id}
          onClose={() => {
            setAddingMeter(false);
            setEditingMeter(null);
          }}
          onSaved={() => {
            setAddingMeter(false);
            setEditingMeter(null);
            meters.reload();
            site.reload();
          }}
        />
      )}
      {deletingMeter && (
        <DeleteMeterDialog
          meter={deletingMeter}
          onClose={() => setDeletingMeter(null)}
          onDeleted={() => {
            setDeletingMeter(null);
            meters.reload();
            site.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete site?"
          message={
            <p>
              Delete <strong>{s.name}</strong>? This cannot be undone.
              {list.length > 0 &&
                ` It still has ${list.length} meter${list.length === 1 ? "" : "s"}; delete or move them first.`}
            </p>
          }
          confirmLabel="Delete site"
          onCancel={() => setDeleting(false)}
          onConfirm={async () => {
            await api.del("/api/sites/{id}", { params: { path: { id: s.id } } });
            navigate("/sites");
          }}
        />
      )}
    </>
  );
}
