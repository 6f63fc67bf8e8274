// One meter: its details, and over one chosen range its summary figures, daily consumption, every
// half-hour (chart and heatmap), and the half-hours of a chosen day.
import { useRef, useState } from "preact/hooks";
import type { Meter } from "../api";
import { useCan } from "../auth/session";
import { useApi, useApiQuery } from "../query";
import { Link, navigate, useLocation } from "../router";
import { DetailFrame } from "../ui/async";
import { CopyButton } from "../ui/copy-button";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { Facts, PageHeader } from "../ui/feedback";
import { today } from "../ui/format";
import { MeterSummary, RangeHalfHours } from "./meter-analytics";
import { MeterEmissions } from "../carbon/emissions-panel";
import { MeterFormDialog } from "./meter-form";
import { DailyConsumption, HalfHourProfile } from "./meter-readings";
import { DeleteMeterDialog, FuelBadge, MeterStatusBadge } from "./meter-table";
import { chartLinkOf, readingsQuery } from "./paths";
import { QualityBadge } from "../quality/quality-badge";
import { MeterCosts } from "../tariffs/meter-costs";
import { usePageDialogs } from "../ui/dialog";

export function MeterPage({ mpan }: { mpan: string }) {
  return (
    <DetailFrame
      query={useApi("/api/meters/{mpan}", { params: { path: { mpan } } })}
      back="/meters"
      backLabel="Meters"
      notFound={["Meter not found", `No meter ${mpan} is visible to you.`]}
    >
      {(m) => <MeterDetails meter={m} />}
    </DetailFrame>
  );
}

function MeterDetails({ meter: m }: { meter: Meter }) {
  const isAdmin = useCan("admin");
  // A link may ask for a range, a day and its half-hours to highlight (a data-quality issue's); read once.
  const { search } = useLocation();
  const [link] = useState(() => chartLinkOf(search, today()));
  const [range, setRange] = useState<DateRange>(() => link.range ?? quickRange("30d", today()));
  // No day chosen yet: the profile shows the latest day with readings once the daily totals are in.
  const [day, setDay] = useState<string | null>(link.day);
  // The same request as the daily chart's, so the cache answers both with one.
  const days = useApiQuery(readingsQuery(m.mpan, range.from, range.to, "day"), { keepPrevious: true });
  const latest = days.data?.data.filter((d) => d.kwh > 0 || (d.periods ?? 0) > 0).at(-1)?.date ?? null;
  const profile = useRef<HTMLElement>(null);
  const dialogs = usePageDialogs({ edit: ["Edit meter"], delete: ["Delete meter", "danger"] }, isAdmin);
  const showDay = (date: string) => {
    setDay(date);
    profile.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  };

  return (
    <>
      <PageHeader
        title={m.name || `Meter ${m.mpan}`}
        subtitle={
          <>
            <span class="mono">{m.mpan}</span> <CopyButton value={m.mpan} label={`Copy ${m.mpan}`} /> at{" "}
            <Link href={`/sites/${m.siteId}`}>{m.siteName}</Link> <QualityBadge mpan={m.mpan} />
          </>
        }
        actions={dialogs.buttons}
      />
      <Facts
        items={[
          ["Fuel", <FuelBadge fuel={m.fuel} />],
          ["Status", <MeterStatusBadge status={m.status} />],
          ["Supplier", m.supplierName ?? "—"],
          ["Serial", m.serial ?? "—"],
        ]}
      />
      <div class="range-bar">
        <DateRangePicker value={range} onChange={setRange} />
      </div>
      <MeterSummary mpan={m.mpan} range={range} />
      <DailyConsumption mpan={m.mpan} range={range} onDay={showDay} />
      <RangeHalfHours mpan={m.mpan} range={range} onDay={showDay} />
      <HalfHourProfile
        mpan={m.mpan}
        day={day ?? latest}
        onDay={setDay}
        sectionRef={profile}
        highlight={link.day && link.periods.length ? { day: link.day, periods: link.periods } : undefined}
      />
      <MeterEmissions mpan={m.mpan} range={range} />
      <MeterCosts mpan={m.mpan} fuel={m.fuel} />
      {dialogs.open === "edit" && <MeterFormDialog meter={m} onClose={dialogs.close} />}
      {dialogs.open === "delete" && (
        <DeleteMeterDialog meter={m} onClose={dialogs.close} onDeleted={() => navigate("/meters")} />
      )}
    </>
  );
}
