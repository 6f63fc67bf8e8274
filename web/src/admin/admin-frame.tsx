// The frame of every admin page: its heading, the page's own button, and the tabs across the area.
import type { ComponentChildren } from "preact";
import { PageHeader } from "../ui/feedback";
import { Tabs } from "../ui/tabs";

const TABS = [
  ["/admin/users", "Users"],
  ["/admin/tokens", "API tokens"],
  ["/admin/webhooks", "Webhook sources"],
  ["/admin/audit", "Audit log"],
  ["/admin/jobs", "Scheduled jobs"],
] as const;

export function AdminFrame({
  actions,
  children,
}: {
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <>
      <PageHeader title="Admin" subtitle="People, API access and the audit trail." actions={actions} />
      <Tabs label="Admin" tabs={TABS} aliases={{ "/admin": "/admin/users" }} />
      {children}
    </>
  );
}
