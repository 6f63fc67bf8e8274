// A meter's costs for its page: the bill over a chosen range (by day: units, standing charge, levies and
// VAT), by band, what was missing, the meter's tariff history (admins assign), and a quick 90-day
// switching analysis. Self-contained: the meter page mounts it with one line; it shows nothing to viewers.
import { useMemo } from "preact/hooks";
import { addDays, daysBetween } from "../../../src/time/settlement";
import { api, type Fuel } from "../api";
import { useCan } from "../auth/session";
import { useAction, useApi } from "../query";
import { navigate } from "../router";
import { Async, noRows } from "../ui/async";
import { Chart } from "../ui/chart";
import { DataTable } from "../ui/data-table";
import { ActionError, Card, Notice } from "../ui/feedback";
import { Form, SelectField, TextField, useFormState } from "../ui/form";
import { formatDay, formatKwh, today } from "../ui/format";
import { BillFacts, CostCard, CostNotices, unitsByBand, useCostPeriod } from "./cost-parts";
import { Money, poundsOf, TotalMoney } from "./money";

export const COST_DATA = [
  "/api/meters/{mpan}/costs",
  "/api/meters/{mpan}/tariffs",
  "/api/analyses",
  "/api/reports/costs",
  "/api/sites/{id}/costs",
];

export function MeterCosts({ mpan, fuel }: { mpan: string; fuel: Fuel }) {
  if (!useCan("manager")) return null;
  return (
    <>
      <MeterBill mpan={mpan} />
      <MeterTariffHistory mpan={mpan} fuel={fuel} />
    </>
  );
}

function MeterBill({ mpan }: { mpan: string }) {
  const [range, periodSelect] = useCostPeriod();
  const costs = useApi(
    "/api/meters/{mpan}/costs",
    { params: { path: { mpan }, query: { ...range, granularity: "day" } } },
    { keepPrevious: true },
  );
  const quick = useAction(() => api.post("/api/analyses/switching", { body: { mpan } }), {
    invalidates: ["/api/analyses"],
    onDone: (a) => navigate(`/tariffs/switching?analysis=${a.id}`),
  });
  const series = useMemo(() => {
    const c = costs.data;
    if (!c) return null;
    const byFrom = new Map(c.data.map((d) => [d.from, d]));
    const dates = Array.from({ length: daysBetween(range.from, range.to) + 1 }, (_, i) =>
      addDays(range.from, i),
    );
    type Day = (typeof c.data)[number];
    const pick = (f: (d: Day) => number) =>
      dates.map((d) => {
        const day = byFrom.get(d);
        return day ? f(day) / 100 : null;
      });
    return {
      dates,
      x: dates.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000),
      series: [
        ...unitsByBand(c.data).map(({ label, pence }) => ({ label, values: pick(pence) })),
        { label: "Standing charge", values: pick((d) => d.standingPence) },
        { label: "CCL and VAT", values: pick((d) => d.cclPence + d.vatPence) },
      ],
    };
  }, [costs.data, range]);
  return (
    <CostCard
      testid="meter-costs"
      controls={
        <>
          {periodSelect}
          <button
            type="button"
            class="btn btn--primary"
            disabled={quick.busy}
            onClick={() => quick.run()}
            data-testid="quick-analysis"
          >
            {quick.busy ? "Analysing…" : "Quick 90-day analysis"}
          </button>
        </>
      }
    >
      <ActionError error={quick.error} />
      <Async query={costs}>
        {(c) => (
          <>
            <TotalMoney pence={c.total.totalPence} />
            <BillFacts total={c.total} completeness={c.completeness} />
            {c.tariffs.length === 0 && (
              <Notice kind="warn">
                No tariff is assigned to this meter over this range: assign one below to see its costs.
              </Notice>
            )}
            <CostNotices missing={c.missing} unpriced={c.unpriced} />
            {series && (
              <Chart
                label={`Daily cost in pounds, ${range.from} to ${range.to}`}
                axis="date"
                slot={86_400}
                unit="£"
                x={series.x}
                series={series.series}
                format={(v) => poundsOf(v * 100)}
                slotLabel={(i) => formatDay(series.dates[i])}
                stacked
              />
            )}
            {c.byBand.length > 0 && (
              <DataTable
                rows={c.byBand}
                rowKey={(b) => b.name}
                columns={[
                  { header: "Band", cell: (b) => b.name },
                  { header: "kWh", class: "num", cell: (b) => formatKwh(b.kwh) },
                  { header: "Units (excl. VAT)", class: "num", cell: (b) => <Money pence={b.pence} /> },
                ]}
              />
            )}
          </>
        )}
      </Async>
    </CostCard>
  );
}

function MeterTariffHistory({ mpan, fuel }: { mpan: string; fuel: Fuel }) {
  const isAdmin = useCan("admin");
  const history = useApi("/api/meters/{mpan}/tariffs", { params: { path: { mpan } } });
  const tariffs = useApi("/api/tariffs", { params: { query: { fuel } } });
  const { values, bind } = useFormState({ tariffId: "", from: today(), to: "" });
  const assign = useAction(
    () =>
      api.post("/api/meters/{mpan}/tariffs", {
        params: { path: { mpan } },
        body: { tariffId: Number(values.tariffId), from: values.from, to: values.to || null },
      }),
    { invalidates: COST_DATA },
  );
  return (
    <Card title="Tariff history" testid="meter-tariffs">
      <Async query={history} isEmpty={noRows} empty="No tariff assigned yet.">
        {(h) => (
          <DataTable
            rows={h.data}
            columns={[
              { header: "Tariff", cell: (a) => a.tariffName },
              { header: "From", cell: (a) => a.from },
              { header: "To", cell: (a) => a.to ?? "open" },
            ]}
          />
        )}
      </Async>
      {isAdmin && (
        <Form
          action={assign}
          submitLabel="Assign tariff"
          canSubmit={values.tariffId !== ""}
          class="inline-form"
        >
          <SelectField
            label="Tariff"
            {...bind("tariffId")}
            options={[
              { value: "", label: "Choose…" },
              ...(tariffs.data?.data ?? []).map((t) => ({ value: String(t.id), label: t.name })),
            ]}
          />
          <TextField label="Assigned from" {...bind("from")} hint="settlement date, included" />
          <TextField label="Assigned to" {...bind("to")} hint="blank: open-ended" />
        </Form>
      )}
    </Card>
  );
}
