// Tariffs: the list (global configuration), one tariff's rates on the band bar or its price series with
// an upload, and the editor for admins.
import { useState } from "preact/hooks";
import { addDays } from "../../../src/time/settlement";
import { apiErrorOf, api, type Tariff } from "../api";
import { useCan } from "../auth/session";
import { invalidate, useAction, useApi } from "../query";
import { Async, noRows } from "../ui/async";
import { Chart } from "../ui/chart";
import { DataTable } from "../ui/data-table";
import { ConfirmDialog } from "../ui/dialog";
import { ActionError, Badge, Buttons, Card, Notice, PageHeader } from "../ui/feedback";
import { formatDateTime, today } from "../ui/format";
import { BandBar } from "./band-bar";
import { formatRate } from "./money";
import { TariffTabs } from "./tabs";
import { TARIFF_DATA, TariffEditor } from "./tariff-editor";

const TYPE_LABELS = { flat: "Flat", tou: "Time of use", dynamic: "Dynamic" } as const;

function ratesOf(t: Tariff): string {
  if (t.type === "flat") return formatRate(t.unitRatePence ?? 0);
  if (t.type === "tou" && t.bands?.length) {
    const rates = t.bands.map((b) => b.pencePerKwh);
    return `${formatRate(Math.min(...rates))} – ${formatRate(Math.max(...rates))}`;
  }
  return "per half-hour";
}

export function TariffsPage() {
  const isAdmin = useCan("admin");
  const tariffs = useApi("/api/tariffs");
  const [selected, setSelected] = useState<number | null>(null);
  const [editing, setEditing] = useState<Tariff | "new" | null>(null);
  const chosen = tariffs.data?.data.find((t) => t.id === selected) ?? null;
  return (
    <>
      <PageHeader
        title="Tariffs"
        subtitle="Supply contracts and the rates that price each half-hour. Rates exclude VAT."
        actions={
          isAdmin && (
            <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
              New tariff
            </button>
          )
        }
      />
      <TariffTabs />
      <section class="card">
        <Async query={tariffs} isEmpty={noRows} empty="No tariffs yet.">
          {(list) => (
            <DataTable
              testid="tariff-table"
              rows={list.data}
              columns={[
                {
                  header: "Name",
                  sort: (t) => t.name,
                  cell: (t) => (
                    <button type="button" class="link-button" onClick={() => setSelected(t.id)}>
                      {t.name}
                    </button>
                  ),
                },
                { header: "Supplier", sort: (t) => t.supplierName, cell: (t) => t.supplierName ?? "—" },
                { header: "Fuel", sort: (t) => t.fuel, cell: (t) => t.fuel },
                { header: "Type", sort: (t) => t.type, cell: (t) => TYPE_LABELS[t.type] },
                { header: "Unit rates", cell: ratesOf, class: "num" },
                {
                  header: "Standing",
                  class: "num",
                  sort: (t) => t.standingChargePence,
                  cell: (t) => `${t.standingChargePence.toFixed(2)} p/day`,
                },
                { header: "VAT", class: "num", cell: (t) => `${t.vatRate * 100} %` },
                { header: "CCL", cell: (t) => (t.ccl ? "yes" : "no") },
                { header: "Valid", class: "nowrap", cell: (t) => `${t.validFrom} → ${t.validTo ?? "open"}` },
                {
                  header: "Status",
                  cell: (t) => (t.active ? <Badge tone="good">active</Badge> : <Badge>inactive</Badge>),
                },
              ]}
            />
          )}
        </Async>
      </section>
      {chosen && (
        <TariffDetail tariff={chosen} onEdit={() => setEditing(chosen)} onDeleted={() => setSelected(null)} />
      )}
      {editing && (
        <TariffEditor
          tariff={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(id) => setSelected(id)}
        />
      )}
    </>
  );
}

function TariffDetail({
  tariff: t,
  onEdit,
  onDeleted,
}: {
  tariff: Tariff;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const isAdmin = useCan("admin");
  const [deleting, setDeleting] = useState(false);
  return (
    <Card
      title={t.name}
      testid="tariff-detail"
      actions={
        isAdmin && (
          <div class="actions">
            <Buttons
              items={[
                ["Edit", onEdit],
                ["Delete", () => setDeleting(true), "danger"],
              ]}
            />
          </div>
        )
      }
    >
      {t.type === "tou" && t.bands && (
        <BandBar bands={t.bands} clock={t.clock} year={Number(today().slice(0, 4))} />
      )}
      {t.type === "flat" && <p>One unit rate all day: {formatRate(t.unitRatePence ?? 0)}.</p>}
      {t.type === "dynamic" && <PriceSeries tariff={t} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${t.name}?`}
          message="A tariff assigned to a meter cannot be deleted; set it inactive instead."
          confirmLabel="Delete tariff"
          onCancel={() => setDeleting(false)}
          onConfirm={() => api.del("/api/tariffs/{id}", { params: { path: { id: t.id } } })}
          invalidates={TARIFF_DATA}
          onDone={onDeleted}
        />
      )}
    </Card>
  );
}

/** A dynamic tariff's prices over the last 14 days, and an upload (CSV or the supplier's JSON). */
function PriceSeries({ tariff }: { tariff: Tariff }) {
  const isAdmin = useCan("admin");
  const to = today();
  const from = addDays(to, -13);
  const prices = useApi("/api/tariffs/{id}/prices", {
    params: { path: { id: tariff.id }, query: { from, to } },
  });
  const upload = useAction(async (file: File) => {
    const json = file.name.toLowerCase().endsWith(".json");
    const res = await fetch(`/api/tariffs/${tariff.id}/prices`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": json ? "application/json" : "text/csv" },
      body: await file.text(),
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw apiErrorOf(res, body);
    await invalidate(["/api/tariffs/{id}/prices"]);
    return body as { stored: number; from: string; to: string };
  });
  return (
    <>
      <h3>
        Half-hourly prices, {from} to {to}
      </h3>
      <Async query={prices}>
        {(p) =>
          p.data.length === 0 ? (
            <p class="muted">
              No prices in these two weeks. Half-hours without a price are reported in bills, never guessed.
            </p>
          ) : (
            <>
              <Chart
                label={`Prices of ${tariff.name}`}
                axis="date"
                slot={1800}
                unit="p/kWh"
                kind="lines"
                x={p.data.map((r) => Date.parse(r.validFrom) / 1000 + 900)}
                series={[{ label: "p/kWh excl. VAT", values: p.data.map((r) => r.valueExcVat) }]}
                format={formatRate}
                slotLabel={(i) => formatDateTime(p.data[i].validFrom)}
              />
              <p class="muted">{p.missing} half-hours in these two weeks have no price.</p>
            </>
          )
        }
      </Async>
      {isAdmin && (
        <div class="field">
          <label for="price-upload">
            Upload prices (CSV with valid_from,valid_to,value_exc_vat, or the supplier's JSON)
          </label>
          <input
            id="price-upload"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void upload.run(file);
            }}
          />
          {upload.busy && <p class="muted">Uploading…</p>}
          <ActionError error={upload.error} />
          {upload.result && (
            <Notice kind="success">
              Stored {upload.result.stored} half-hours, {formatDateTime(upload.result.from)} to{" "}
              {formatDateTime(upload.result.to)}.
            </Notice>
          )}
        </div>
      )}
    </>
  );
}
