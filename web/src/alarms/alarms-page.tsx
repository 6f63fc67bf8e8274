// Alarms: the alarms on meters and sites in scope, one alarm's trigger history, and (for admins)
// creating, editing and deleting them.
import { useState } from "preact/hooks";
import { api } from "../api";
import { useCan } from "../auth/session";
import { useApi } from "../query";
import { Link, navigate } from "../router";
import { DetailFrame } from "../ui/async";
import { ApiTable, countedPaging, dateColumn, numberColumn } from "../ui/data-table";
import { ConfirmDialog, useOpener, usePageDialogs } from "../ui/dialog";
import { Badge, EmptyState, Facts, PageHeader } from "../ui/feedback";
import { formatDay } from "../ui/format";
import type { Answer } from "../api";
import { AlarmDialog, metricValue, ruleText, type Alarm } from "./alarm-form";

type Trigger = Answer<"/api/alarms/{id}/triggers">["data"][number];

export function AlarmsPage() {
  const isAdmin = useCan("admin");
  const create = useOpener();
  const alarms = useApi("/api/alarms");
  return (
    <>
      <PageHeader
        title="Alarms"
        subtitle="Consumption, baseload, peak or cost over a day, week or month, against a threshold or the span before."
        actions={isAdmin && create.button("New alarm")}
      />
      <ApiTable
        testid="alarms-table"
        query={alarms}
        empty={
          <EmptyState
            title="No alarms"
            text="An alarm emails its recipients, posts to the alert webhook and rings the bell when a span breaks its rule."
          />
        }
        columns={[
          {
            header: "Name",
            sort: (a) => a.name,
            cell: (a) => <Link href={`/alarms/${a.id}`}>{a.name}</Link>,
          },
          {
            header: "Watches",
            cell: (a) => (a.scope === "meter" ? <span class="mono">{a.mpan}</span> : a.siteName),
          },
          { header: "Rule", cell: (a) => ruleText(a) },
          {
            header: "Status",
            cell: (a) => (a.active ? <Badge tone="good">active</Badge> : <Badge>paused</Badge>),
          },
          numberColumn<Alarm>("Triggers", (a) => a.triggers),
          dateColumn<Alarm>("Last triggered", (a) => a.lastTriggeredAt),
        ]}
      />
      {create.open && <AlarmDialog onClose={create.close} onSaved={(id) => navigate(`/alarms/${id}`)} />}
    </>
  );
}

export function AlarmPage({ id }: { id: number }) {
  return (
    <DetailFrame
      query={useApi("/api/alarms/{id}", { params: { path: { id } } })}
      back="/alarms"
      backLabel="Alarms"
      notFound={["Alarm not found", `No alarm ${id} is visible to you.`]}
    >
      {(a) => <AlarmDetails alarm={a} />}
    </DetailFrame>
  );
}

function AlarmDetails({ alarm: a }: { alarm: Alarm }) {
  const isAdmin = useCan("admin");
  const dialogs = usePageDialogs({ edit: ["Edit alarm"], delete: ["Delete alarm", "danger"] }, isAdmin);
  const [page, setPage] = useState(1);
  const triggers = useApi(
    "/api/alarms/{id}/triggers",
    { params: { path: { id: a.id }, query: { page } } },
    { keepPrevious: true },
  );
  return (
    <>
      <PageHeader title={a.name} subtitle={ruleText(a)} actions={dialogs.buttons} />
      <Facts
        items={[
          [
            "Watches",
            a.scope === "meter" ? (
              <Link href={`/meters/${a.mpan}`}>{a.mpan}</Link>
            ) : (
              <Link href={`/sites/${a.siteId}`}>{a.siteName}</Link>
            ),
          ],
          ["Emails", a.recipients.length ? a.recipients.join(", ") : "—"],
          ["Webhook", a.webhook ? "yes" : "no"],
          ["Status", a.active ? "active" : "paused"],
        ]}
      />
      <h2>Triggers</h2>
      <ApiTable
        testid="triggers-table"
        query={triggers}
        paging={countedPaging(page, setPage, triggers.data?.total)}
        empty={
          <EmptyState
            title="Not triggered yet"
            text="Each span that breaks the rule is listed once, with its value and how it was notified."
          />
        }
        columns={[
          {
            header: "Span",
            cell: (t) => (t.from === t.to ? formatDay(t.from) : `${formatDay(t.from)} – ${formatDay(t.to)}`),
          },
          { header: "Value", class: "num", cell: (t) => metricValue(a.metric, t.value) },
          { header: "Threshold", class: "num", cell: (t) => metricValue(a.metric, t.threshold) },
          dateColumn<Trigger>("Triggered", (t) => t.triggeredAt),
          { header: "Notified by", cell: (t) => t.notified.join(", ") || "—" },
        ]}
      />
      {dialogs.open === "edit" && <AlarmDialog alarm={a} onClose={dialogs.close} />}
      {dialogs.open === "delete" && (
        <ConfirmDialog
          title={`Delete ${a.name}?`}
          confirmLabel="Delete alarm"
          message={<p>Its trigger history goes with it.</p>}
          onCancel={dialogs.close}
          onConfirm={() => api.del("/api/alarms/{id}", { params: { path: { id: a.id } } })}
          invalidates={["/api/alarms"]}
          onDone={() => navigate("/alarms")}
        />
      )}
    </>
  );
}
