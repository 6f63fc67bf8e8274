// Meters: search and filter by fuel, copy an MPAN, create, edit and delete.
import { useState } from "preact/hooks";
import { FUELS } from "../../../src/enums";
import type { Fuel, Meter } from "../api";
import { useCan } from "../auth/session";
import { useApi } from "../query";
import { Async } from "../ui/async";
import { EmptyState, PageHeader } from "../ui/feedback";
import { EnumFilter, useSearchBox } from "../ui/form";
import { formatInt } from "../ui/format";
import { MeterFormDialog } from "./meter-form";
import { DeleteMeterDialog, MeterTable } from "./meter-table";

export function MetersPage() {
  const isAdmin = useCan("admin");
  const [fuel, setFuel] = useState<Fuel | "">("");
  const [search, searchBox] = useSearchBox("Search meters", "Search by MPAN, name, serial or site");
  const meters = useApi(
    "/api/meters",
    { params: { query: { q: search || undefined, fuel: fuel || undefined, pageSize: 1000 } } },
    { keepPrevious: true },
  );
  const [editing, setEditing] = useState<Meter | "new" | null>(null);
  const [deleting, setDeleting] = useState<Meter | null>(null);
  const total = meters.data ? (meters.data.total ?? meters.data.data.length) : undefined;
  const addMeter = isAdmin && (
    <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
      New meter
    </button>
  );

  return (
    <>
      <PageHeader
        title="Meters"
        subtitle={total === undefined ? undefined : `${formatInt(total)} meter${total === 1 ? "" : "s"}`}
        actions={addMeter}
      />
      <div class="toolbar">
        {searchBox}
        <EnumFilter label="Fuel" any="All fuels" values={FUELS} value={fuel} onValue={setFuel} />
      </div>
      <Async query={meters}>
        {(list) => (
          <MeterTable
            meters={list.data}
            onEdit={isAdmin ? setEditing : undefined}
            onDelete={isAdmin ? setDeleting : undefined}
            empty={
              search || fuel ? (
                <EmptyState title="No meters match" text="Try a shorter search or another fuel." />
              ) : (
                <EmptyState title="No meters yet">
                  <p>
                    {isAdmin
                      ? "Add a meter to a site with its MPAN (electricity) or MPRN (gas); then import its readings."
                      : "No meters are visible to you yet."}
                  </p>
                </EmptyState>
              )
            }
          />
        )}
      </Async>
      {editing && (
        <MeterFormDialog meter={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />
      )}
      {deleting && (
        <DeleteMeterDialog
          meter={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => setDeleting(null)}
        />
      )}
    </>
  );
}
