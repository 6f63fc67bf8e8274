// A site's costs for its page: its meters' bills summed per fuel over a chosen range, as bars stacked by
// units, standing charge, CCL and VAT (by day or month), and what each meter cost. Self-contained: the
// site page mounts it with one line; it shows nothing to viewers.
import { useMemo, useState } from "preact/hooks";
import { daysBetween } from "../../../src/time/settlement";
import type { Answer, Fuel } from "../api";
import { useCan } from "../auth/session";
import { useApi } from "../query";
import { Link } from "../router";
import { Async } from "../ui/async";
import { Chart } from "../ui/chart";
import { DataTable } from "../ui/data-table";
import { Notice } from "../ui/feedback";
import { InlineSelect, optionsOfEnum } from "../ui/form";
import { formatDay } from "../ui/format";
import { BillFacts, CostCard, CostNotices, unitsByBand, useCostPeriod } from "./cost-parts";
import { formatPence, Money, poundsOf } from "./money";

type Granularity = "day" | "month";
type FuelCosts = NonNullable<Answer<"/api/sites/{id}/costs">["fuels"][Fuel]>;
type Row = FuelCosts["data"][number];

const FUEL_LABEL: Record<Fuel, string> = { electricity: "Electricity", gas: "Gas" };
const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
const middayS = (date: string) => Date.parse(`${date}T12:00:00Z`) / 1000;

export function SiteCosts({ siteId }: { siteId: number }) {
  if (!useCan("manager")) return null;
  return <SiteBill siteId={siteId} />;
}

function SiteBill({ siteId }: { siteId: number }) {
  const [range, periodSelect] = useCostPeriod();
  const [granularity, setGranularity] = useState<Granularity>("day");
  const costs = useApi(
    "/api/sites/{id}/costs",
    { params: { path: { id: siteId }, query: { ...range, granularity } } },
    { keepPrevious: true },
  );
  return (
    <CostCard
      testid="site-costs"
      controls={
        <>
          {periodSelect}
          <InlineSelect
            label="Cost by"
            value={granularity}
            onValue={(v) => setGranularity(v as Granularity)}
            options={optionsOfEnum(["day", "month"])}
          />
        </>
      }
    >
      <Async
        query={costs}
        isEmpty={(c) => c.meters.length === 0}
        empty="No meters on this site, so nothing to cost."
      >
        {(c) => (
          <>
            {(["electricity", "gas"] as const).map((fuel) => {
              const f = c.fuels[fuel];
              return f && <FuelBill key={fuel} fuel={fuel} costs={f} granularity={c.granularity} />;
            })}
            <DataTable
              rows={c.meters}
              rowKey={(m) => m.mpan}
              columns={[
                {
                  header: "Meter",
                  cell: (m) => (
                    <Link href={`/meters/${encodeURIComponent(m.mpan)}`} class="mono">
                      {m.mpan}
                    </Link>
                  ),
                },
                { header: "Fuel", cell: (m) => FUEL_LABEL[m.fuel] },
                { header: "Total (incl. VAT)", class: "num", cell: (m) => <Money pence={m.totalPence} /> },
              ]}
            />
          </>
        )}
      </Async>
    </CostCard>
  );
}

function FuelBill({
  fuel,
  costs: f,
  granularity,
}: {
  fuel: Fuel;
  costs: FuelCosts;
  granularity: Granularity;
}) {
  const chart = useMemo(() => {
    // A bar per bucket at its middle; a month's bar as wide as an average month.
    const x = f.data.map((r) => (middayS(r.from) + middayS(r.to)) / 2);
    const part = (label: string, pence: (r: Row) => number) => ({
      label,
      values: f.data.map((r) => pence(r) / 100),
      // Pounds on the axis, the exact pence (as the API rounded them) on hover.
      format: (pounds: number) => formatPence(Math.round(pounds * 10000) / 100),
    });
    return {
      x,
      slot: granularity === "day" ? 86_400 : 30.44 * 86_400,
      series: [
        ...unitsByBand(f.data).map(({ label, pence }) => part(label, pence)),
        part("Standing charge", (r) => r.standingPence),
        part("CCL", (r) => r.cclPence),
        part("VAT", (r) => r.vatPence),
      ],
    };
  }, [f.data, granularity]);
  const bucketLabel = (r: Row) =>
    granularity === "day"
      ? formatDay(r.from)
      : `${monthFormat.format(Date.parse(`${r.from}T00:00:00Z`))} (${daysBetween(r.from, r.to) + 1} days)`;
  return (
    <div data-testid={`site-costs-${fuel}`}>
      <h3>
        {FUEL_LABEL[fuel]}: <Money pence={f.total.totalPence} />
      </h3>
      <BillFacts total={f.total} />
      {f.uncoveredDays > 0 && (
        <Notice kind="warn">
          {f.uncoveredDays} meter-day(s) have no tariff assigned and are not costed: assign tariffs on the
          meter pages.
        </Notice>
      )}
      <CostNotices missing={f.missing} unpriced={f.unpriced} days="meter-day" />
      {f.data.length > 0 && (
        <Chart
          label={`${FUEL_LABEL[fuel]} cost in pounds by ${granularity}, ${f.data[0].from} to ${f.data[f.data.length - 1].to}`}
          axis="date"
          stacked
          slot={chart.slot}
          unit="£"
          x={chart.x}
          series={chart.series}
          format={(pounds) => poundsOf(pounds * 100)}
          slotLabel={(i) => bucketLabel(f.data[i])}
        />
      )}
    </div>
  );
}
