// Meters: search and filter by fuel, copy an MPAN, create, edit and delete.
import { useState } from "preact/hooks";
import { FUELS } from "../../../src/enums";
import type { Fuel } from "../api";
import { useCan } from "../auth/session";
import { useApi } from "../query";
import { EmptyState, PageHeader } from "../ui/feedback";
import { EnumFilter, useSearchBox } from "../ui/form";
import { formatInt } from "../ui/format";
import { useMeterDialogs } from "./meter-form";
import { MeterTable } from "./meter-table";

export function MetersPage() {
  const isAdmin = useCan("admin");
  const [fuel, setFuel] = useState<Fuel | "">("");
  const [search, searchBox] = useSearchBox("Search meters", "Search by MPAN, name, serial or site");
  const meters = useApi(
    "/api/meters",
    { params: { query: { q: search || undefined, fuel: fuel || undefined, pageSize: 1000 } } },
    { keepPrevious: true },
  );
  const meterDialogs = useMeterDialogs(isAdmin);
  const total = meters.data ? (meters.data.total ?? meters.data.data.length) : undefined;
  const addMeter = meterDialogs.addButton("New meter");

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
      <MeterTable
        query={meters}
        {...meterDialogs.rowActions}
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
      {meterDialogs.dialogs}
    </>
  );
}
