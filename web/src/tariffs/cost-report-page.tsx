// The cost report: what the visible meters cost over a range under their assigned tariffs, per site and
// per supplier, with a CSV download (formula-safe cells, from the API).
import { useState } from "preact/hooks";
import type { Answer } from "../api";
import { useApi } from "../query";
import { Async } from "../ui/async";
import { DataTable, numberColumn } from "../ui/data-table";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { PageHeader } from "../ui/feedback";
import { formatKwh, today } from "../ui/format";
import { Money, TotalMoney } from "./money";
import { TariffTabs } from "./tabs";

type Row = Answer<"/api/reports/costs">["sites"][number];

const money = (pence: number) => <Money pence={pence} />;

const columns = (first: string) => [
  { header: first, sort: (r: Row) => r.name, cell: (r: Row) => r.name },
  numberColumn<Row>("Meters", (r) => r.meters, String, false),
  numberColumn<Row>("kWh", (r) => r.kwh, formatKwh),
  numberColumn<Row>("Units", (r) => r.unitsPence, money, false),
  numberColumn<Row>("Standing", (r) => r.standingPence, money, false),
  numberColumn<Row>("CCL", (r) => r.cclPence, money, false),
  numberColumn<Row>("VAT", (r) => r.vatPence, money, false),
  numberColumn<Row>("Total", (r) => r.totalPence, money),
];

export function CostReportPage() {
  const [range, setRange] = useState<DateRange>(() => quickRange("30d", today()));
  const report = useApi("/api/reports/costs", { params: { query: range } }, { keepPrevious: true });
  return (
    <>
      <PageHeader
        title="Cost report"
        subtitle="What your meters cost under their assigned tariffs, by site and by supplier."
      />
      <TariffTabs />
      <section class="card">
        <div class="card-head">
          <DateRangePicker value={range} onChange={setRange} />
          <a class="btn" href={`/api/reports/costs?from=${range.from}&to=${range.to}&format=csv`} download>
            Download CSV
          </a>
        </div>
        <Async query={report}>
          {(r) => (
            <>
              <TotalMoney pence={r.total.totalPence} />
              <h3>By site</h3>
              <DataTable rows={r.sites} rowKey={(s) => s.id ?? s.name} columns={columns("Site")} />
              <h3>By supplier</h3>
              <DataTable rows={r.suppliers} rowKey={(s) => s.id ?? s.name} columns={columns("Supplier")} />
            </>
          )}
        </Async>
      </section>
    </>
  );
}
