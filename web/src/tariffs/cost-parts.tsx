// Pieces the meter and site cost cards share: the card, its period's select, and what a bill says of its data.
import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import { QUICK_RANGES, quickRange, type QuickRange } from "../ui/date-range";
import { Card, Facts, Notice } from "../ui/feedback";
import { InlineSelect } from "../ui/form";
import { formatKwh, today } from "../ui/format";
import { Money } from "./money";

/**
 * The period a cost card covers (a quick range up to today) and the select that picks it; a select, not
 * a date-range picker: the pages' consumption cards have one, and two would give a page two controls
 * of each name.
 */
export function useCostPeriod() {
  const [period, setPeriod] = useState<QuickRange>("30d");
  const range = useMemo(() => quickRange(period, today()), [period]);
  const select = (
    <InlineSelect
      label="Cost period"
      value={period}
      onValue={(v) => setPeriod(v as QuickRange)}
      options={QUICK_RANGES.map((q) => ({ value: q.id, label: q.label }))}
    />
  );
  return [range, select] as const;
}

/** The meter's and the site's cost card: "Costs", and in its head the period's select and other controls. */
export function CostCard({
  testid,
  controls,
  children,
}: {
  testid: string;
  controls: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <Card title="Costs" testid={testid} actions={<div class="actions">{controls}</div>}>
      {children}
    </Card>
  );
}

/** Missing and unpriced data, said plainly; `days` names what a missing day is ("day", "meter-day"). */
export function CostNotices({
  missing,
  unpriced,
  days = "day",
}: {
  missing: { periods: number; days: number };
  unpriced: { periods: number; days: number; kwh: number };
  days?: string;
}) {
  return (
    <>
      {(missing.periods > 0 || missing.days > 0) && (
        <Notice kind="warn">
          Missing data, not invented: {missing.days} {days}(s) without readings and {missing.periods} missing
          half-hour(s). Standing charges still apply.
        </Notice>
      )}
      {(unpriced.periods > 0 || unpriced.days > 0) && (
        <Notice kind="warn">
          Unpriced: {unpriced.periods} half-hour(s) without a published price and {unpriced.days} daily-total
          day(s) a time-of-use tariff cannot price ({formatKwh(unpriced.kwh)}).
        </Notice>
      )}
    </>
  );
}

type Total = { kwh: number; unitsPence: number; standingPence: number; cclPence: number; vatPence: number };

/** A bill's total, part by part, and the data's completeness (0–1) when known. */
export function BillFacts({ total, completeness }: { total: Total; completeness?: number }) {
  const items: [string, ComponentChildren][] = [
    ["Energy", formatKwh(total.kwh)],
    ["Units", <Money pence={total.unitsPence} />],
    ["Standing charges", <Money pence={total.standingPence} />],
    ["Climate Change Levy", <Money pence={total.cclPence} />],
    ["VAT", <Money pence={total.vatPence} />],
  ];
  if (completeness !== undefined) items.push(["Data complete", `${Math.round(completeness * 1000) / 10} %`]);
  return <Facts items={items} />;
}

type BandedRow = { unitsPence: number; bands?: { name: string; pence: number }[] };

/**
 * The units part of a cost chart, one series per band ("Units: Night", "Units: Day"…) from each row's
 * `bands`, so a time-of-use bill shows when its money went; a single "Units" series when no row has bands.
 */
export function unitsByBand<R extends BandedRow>(rows: readonly R[]) {
  const names = [...new Set(rows.flatMap((r) => r.bands?.map((b) => b.name) ?? []))];
  if (names.length === 0) return [{ label: "Units", pence: (r: R) => r.unitsPence }];
  return names.map((name) => ({
    label: names.length === 1 ? "Units" : `Units: ${name}`,
    pence: (r: R) => r.bands?.find((b) => b.name === name)?.pence ?? 0,
  }));
}
