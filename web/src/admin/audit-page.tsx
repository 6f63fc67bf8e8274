// Admin: the audit log, newest first, a page at a time.
import { useState } from "preact/hooks";
import type { AuditEntry } from "../api";
import { useApi } from "../query";
import { ApiTable, dateColumn } from "../ui/data-table";
import { EmptyState } from "../ui/feedback";
import { AdminFrame } from "./admin-frame";

export function AuditPage() {
  const [page, setPage] = useState(1);
  const entries = useApi("/api/audit", { params: { query: { page } } }, { keepPrevious: true });
  return (
    <AdminFrame>
      <ApiTable
        testid="audit-table"
        query={entries}
        paging={{
          page,
          hasNext: (entries.data?.data.length ?? 0) > 0,
          onPage: setPage,
          labels: ["Newer", "Older"],
        }}
        empty={
          <EmptyState
            title="Nothing recorded yet"
            text="Sign-ins, changes to sites, meters and users, imports and token use are recorded here."
          />
        }
        columns={[
          dateColumn<AuditEntry>("When", (e) => e.at),
          {
            header: "Who",
            cell: (e) => e.actorEmail ?? (e.actorUserId ? `user #${e.actorUserId}` : "token"),
          },
          { header: "Action", class: "mono nowrap", cell: (e) => e.action },
          {
            header: "Entity",
            class: "nowrap",
            cell: (e) => (e.entity ? `${e.entity}${e.entityId ? ` ${e.entityId}` : ""}` : "—"),
          },
          { header: "Detail", class: "detail mono small", cell: (e) => e.detail ?? "" },
          { header: "IP", class: "mono nowrap small", cell: (e) => e.ip ?? "" },
        ]}
      />
    </AdminFrame>
  );
}
