// The consumption report (managers and up): one fuel over a chosen range, a row per site with its kWh,
// the previous span, the change and kWh per m² or per a chosen normaliser, sortable, and the same rows
// as a CSV download (GET /api/reports/consumption?format=csv).
import { useState } from "preact/hooks";
import { FUELS } from "../../../src/enums";
import type { Answer, Fuel } from "../api";
import { FUEL_LABEL } from "../analytics/estate";
import { useApi } from "../query";
import { Link } from "../router";
import { Async } from "../ui/async";
import { changeText } from "../ui/change";
import { DataTable } from "../ui/data-table";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { Badge, EmptyState, PageHeader } from "../ui/feedback";
import { SelectField } from "../ui/form";
import { formatKwh, formatPercent, today } from "../ui/format";

type Row = Answer<"/api/reports/consumption">["rows"][number];
/** The report's own name for floor area; any other value names a site normaliser. */
const FLOOR_AREA = "floorArea";

export function ReportsPage() {
  const [range, setRange] = useState<DateRange>(() => quickRange("last-month", today()));
  const [fuel, setFuel] = useState<Fuel>("electricity");
  const [normaliser, setNormaliser] = useState(FLOOR_AREA);
  const query = { ...range, fuel, normaliser };
  const report = useApi("/api/reports/consumption", { params: { query } }, { keepPrevious: true });
  // The normalisers any visible site has, to choose from.
  const sites = useApi("/api/sites", { params: { query: { pageSize: 500 } } });
  const names = [...new Set(sites.data?.data.flatMap((s) => s.normalisers.map((n) => n.name)) ?? [])].sort();
  const per = normaliser === FLOOR_AREA ? "m²" : normaliser;
  const csv = `/api/reports/consumption?${new URLSearchParams({ ...query, format: "csv" })}`;

  return (
    <>
      <PageHeader
        title="Consumption report"
        subtitle="Each site's consumption of one fuel, against the previous span and normalised."
        actions={
          <a class="btn" href={csv} download data-testid="report-csv">
            Download CSV
          </a>
        }
      />
      <div class="toolbar report-toolbar">
        <SelectField
          label="Fuel"
          value={fuel}
          onValue={(v) => setFuel(v as Fuel)}
          options={FUELS.map((f) => ({ value: f, label: FUEL_LABEL[f] }))}
        />
        <SelectField
          label="Normalise by"
          value={normaliser}
          onValue={setNormaliser}
          options={[
            { value: FLOOR_AREA, label: "Floor area (m²)" },
            ...names.map((n) => ({ value: n, label: n })),
          ]}
        />
        <DateRangePicker value={range} onChange={setRange} />
      </div>
      <section class="card">
        <Async query={report}>
          {(r) => (
            <>
              <p class="muted">
                {r.from} to {r.to}, compared with {r.previous.from} to {r.previous.to}.
              </p>
              <DataTable<Row>
                testid="report-table"
                rows={r.rows}
                rowKey={(row) => row.siteId}
                empty={
                  <EmptyState
                    title={`No sites with ${fuel} meters`}
                    text="The report lists the sites you can see that have a meter of this fuel."
                  />
                }
                columns={[
                  {
                    header: "Site",
                    sort: (row) => row.site,
                    cell: (row) => <Link href={`/sites/${row.siteId}`}>{row.site}</Link>,
                  },
                  { header: "kWh", class: "num", sort: (row) => row.kwh, cell: (row) => formatKwh(row.kwh) },
                  {
                    header: "Previous span",
                    class: "num",
                    sort: (row) => row.previousKwh,
                    cell: (row) => formatKwh(row.previousKwh),
                  },
                  {
                    header: "Change",
                    class: "num nowrap",
                    sort: (row) => row.changePct,
                    cell: (row) => changeText(row.changePct),
                  },
                  {
                    header: `kWh per ${per}`,
                    class: "num",
                    sort: (row) => row.normalised,
                    cell: (row) => (row.normalised === null ? "—" : formatKwh(row.normalised)),
                  },
                  {
                    header: "Completeness",
                    class: "num nowrap",
                    sort: (row) => row.completeness,
                    cell: (row) => (
                      <>
                        {formatPercent(row.completeness)}
                        {row.completeness < 0.9 && (
                          <>
                            {" "}
                            <Badge tone="warn">partial</Badge>
                          </>
                        )}
                      </>
                    ),
                  },
                ]}
              />
            </>
          )}
        </Async>
      </section>
    </>
  );
}
