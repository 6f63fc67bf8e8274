// Admin: the audit log, newest first, a page at a time.
import { useState } from "preact/hooks";
import { api } from "../api";
import { formatDateTime } from "../format";
import { useResource } from "../resource";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { AdminTabs } from "./admin-nav";

export function AuditPage() {
  const [page, setPage] = useState(1);
  const entries = useResource(() => api.get("/api/audit", { params: { query: { page } } }), [page]);
  const list = entries.data?.data ?? [];
  return (
    <>
      <PageHeader title="Admin" subtitle="People, API access and the audit trail." />
      <AdminTabs />
      {entries.error ? (
        <ErrorNotice error={entries.error} onRetry={entries.reload} />
      ) : !entries.data ? (
        <Loading />
      ) : list.length === 0 && page === 1 ? (
        <EmptyState title="Nothing recorded yet">
          <p>Sign-ins, changes to sites, meters and users, imports and token use are recorded here.</p>
        </EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Entity</th>
                  <th scope="col">Detail</th>
                  <th scope="col">IP</th>
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.id}>
                    <td class="nowrap">{formatDateTime(e.at)}</td>
                    <td>{e.actorEmail ?? (e.actorUserId ? `user #${e.actorUserId}` : "token")}</td>
                    <td class="mono nowrap">{e.action}</td>
                    <td class="nowrap">
                      {e.entity ? `${e.entity}${e.entityId ? ` ${e.entityId}` : ""}` : "—"}
                    </td>
                    <td class="detail mono small">{e.detail ?? ""}</td>
                    <td class="mono nowrap small">{e.ip ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="pager">
            <button
              type="button"
              class="btn btn--small"
              disabled={page <= 1}
              onClick={() => setPage(page - 1)}
            >
              Newer
            </button>
            <span class="muted">Page {page}</span>
            <button
              type="button"
              class="btn btn--small"
              disabled={list.length === 0}
              onClick={() => setPage(page + 1)}
            >
              Older
            </button>
          </div>
        </>
      )}
    </>
  );
}
