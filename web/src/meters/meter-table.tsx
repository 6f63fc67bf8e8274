// The meters table (the meter list and a site's page), the fuel and status badges, and the deletion.
import type { ComponentChildren } from "preact";
import { api, type Meter } from "../api";
import { Link } from "../router";
import { CopyButton } from "../ui/copy-button";
import type { ApiQuery } from "../query";
import { ApiTable, RowButton } from "../ui/data-table";
import { ConfirmDialog, type DeleteProps } from "../ui/dialog";
import { Badge } from "../ui/feedback";
import { optionsOfEnum } from "../ui/form";
import { FUELS } from "../../../src/enums";
import { METER_DATA } from "./paths";

/** The fuels as a select's options. */
export const FUEL_OPTIONS = optionsOfEnum(FUELS);

export const FuelBadge = ({ fuel }: { fuel: Meter["fuel"] }) => (
  <Badge tone={fuel === "gas" ? "warn" : "info"}>{fuel}</Badge>
);
export const MeterStatusBadge = ({ status }: { status: Meter["status"] }) => (
  <Badge tone={status === "active" ? "good" : "neutral"}>{status}</Badge>
);

type MeterTableProps = {
  /** A list of meters the API answers; loading and errors show as <Async> shows them. */
  query: ApiQuery<{ data: Meter[] }>;
  empty?: ComponentChildren;
  onEdit?: (m: Meter) => void;
  onDelete?: (m: Meter) => void;
};

export function MeterTable({ query, empty, onEdit, onDelete }: MeterTableProps) {
  return (
    <ApiTable
      testid="meters-table"
      query={query}
      empty={empty}
      rowProps={(m) => ({ "data-mpan": m.mpan })}
      columns={[
        {
          header: "MPAN / MPRN",
          class: "nowrap",
          sort: (m) => m.mpan,
          cell: (m) => (
            <>
              <Link href={`/meters/${encodeURIComponent(m.mpan)}`} class="mono">
                {m.mpan}
              </Link>{" "}
              <CopyButton value={m.mpan} label={`Copy ${m.mpan}`} />
            </>
          ),
        },
        { header: "Name", sort: (m) => m.name, cell: (m) => m.name ?? "—" },
        { header: "Fuel", sort: (m) => m.fuel, cell: (m) => <FuelBadge fuel={m.fuel} /> },
        {
          header: "Site",
          sort: (m) => m.siteName,
          cell: (m) => <Link href={`/sites/${m.siteId}`}>{m.siteName}</Link>,
        },
        { header: "Supplier", sort: (m) => m.supplierName, cell: (m) => m.supplierName ?? "—" },
        { header: "Status", sort: (m) => m.status, cell: (m) => <MeterStatusBadge status={m.status} /> },
      ]}
      actions={
        (onEdit || onDelete) &&
        ((m) => (
          <>
            {onEdit && <RowButton label="Edit" name={`Edit meter ${m.mpan}`} onClick={() => onEdit(m)} />}
            {onDelete && (
              <RowButton label="Delete" name={`Delete meter ${m.mpan}`} danger onClick={() => onDelete(m)} />
            )}
          </>
        ))
      }
    />
  );
}

/** Delete a meter after confirmation: from the meter list, a site's page and the meter's page. */
export function DeleteMeterDialog({ meter, onClose, onDeleted }: DeleteProps & { meter: Meter }) {
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
      onCancel={onClose}
      onConfirm={() => api.del("/api/meters/{mpan}", { params: { path: { mpan: meter.mpan } } })}
      invalidates={METER_DATA}
      onDone={onDeleted}
    />
  );
}
