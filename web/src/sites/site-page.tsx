// One site: its details, its consumption over a chosen range, and its meters, with edit (also of its
// normalisers and working hours), delete and add-meter for admins.
import type { Site } from "../api";
import { useCan } from "../auth/session";
import { useMeterDialogs } from "../meters/meter-form";
import { MeterTable } from "../meters/meter-table";
import { useApi } from "../query";
import { navigate } from "../router";
import { DetailFrame } from "../ui/async";
import { EmptyState, Facts, PageHeader } from "../ui/feedback";
import { SiteConsumption, SiteFiguresDialog } from "./site-analytics";
import { SiteEmissions } from "../carbon/emissions-panel";
import { QualityBadge } from "../quality/quality-badge";
import { DeleteSiteDialog, SiteFormDialog } from "./site-dialogs";
import { SiteCosts } from "../tariffs/site-costs";
import { usePageDialogs } from "../ui/dialog";

export function SitePage({ id }: { id: number }) {
  return (
    <DetailFrame
      query={useApi("/api/sites/{id}", { params: { path: { id } } })}
      back="/sites"
      backLabel="Sites"
      notFound={["Site not found", "It may have been deleted, or it is outside what you can see."]}
    >
      {(s) => <SiteDetails site={s} />}
    </DetailFrame>
  );
}

function SiteDetails({ site: s }: { site: Site }) {
  const isAdmin = useCan("admin");
  const meters = useApi("/api/meters", { params: { query: { siteId: s.id, pageSize: 1000 } } });
  const dialogs = usePageDialogs(
    { edit: ["Edit site"], figures: ["Normalisers and hours"], delete: ["Delete site", "danger"] },
    isAdmin,
  );
  const meterDialogs = useMeterDialogs(isAdmin, s.id);
  const addMeter = meterDialogs.addButton;

  return (
    <>
      <PageHeader
        title={s.name}
        subtitle={
          <>
            {[s.address, s.postcode].filter(Boolean).join(", ")} <QualityBadge siteId={s.id} />
          </>
        }
        actions={dialogs.buttons}
      />
      <Facts
        items={[
          ["Company", s.companyName],
          ["Region", s.regionName ?? "—"],
          ["Type", s.siteType ?? "—"],
          ["Floor area", s.floorAreaM2 != null ? `${s.floorAreaM2.toLocaleString("en-GB")} m²` : "—"],
          [
            "Normalisers",
            s.normalisers.map((n) => `${n.name} ${n.value.toLocaleString("en-GB")}`).join(", ") || "—",
          ],
          ["Working hours", hoursText(s.workingHours)],
        ]}
      />
      {meters.data && <SiteConsumption site={s} meters={meters.data.data} />}
      <section>
        <div class="section-head">
          <h2>Meters</h2>
          {addMeter("Add meter")}
        </div>
        <MeterTable
          query={meters}
          {...meterDialogs.rowActions}
          empty={
            <EmptyState title="No meters on this site" action={addMeter("Add the first meter")}>
              <p>
                {isAdmin
                  ? "Add its electricity MPANs and gas MPRNs, then import readings."
                  : "An administrator can add this site's meters."}
              </p>
            </EmptyState>
          }
        />
      </section>
      {dialogs.open === "figures" && <SiteFiguresDialog site={s} onClose={dialogs.close} />}
      <SiteEmissions siteId={s.id} />
      <SiteCosts siteId={s.id} />
      {dialogs.open === "edit" && <SiteFormDialog site={s} onClose={dialogs.close} onSaved={dialogs.close} />}
      {meterDialogs.dialogs}
      {dialogs.open === "delete" && (
        <DeleteSiteDialog
          site={s}
          meterCount={meters.data?.data.length ?? s.meterCount}
          onClose={dialogs.close}
          onDeleted={() => navigate("/sites")}
        />
      )}
    </>
  );
}

/** "Mon–Fri 08:00–18:00; Sat–Sun closed". */
function hoursText(h: Site["workingHours"]): string {
  const times = (t: Site["workingHours"]["weekday"]) => (t ? `${t.open}–${t.close}` : "closed");
  return `Mon–Fri ${times(h.weekday)}; Sat–Sun ${times(h.weekend)}`;
}
