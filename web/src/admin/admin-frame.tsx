// The frame of every admin page: its heading, the page's own button, and the tabs across the area.
import type { ComponentChildren } from "preact";
import { Link, useLocation } from "../router";
import { PageHeader } from "../ui/feedback";

const TABS = {
  "/admin/users": "Users",
  "/admin/tokens": "API tokens",
  "/admin/webhooks": "Webhook sources",
  "/admin/audit": "Audit log",
  "/admin/jobs": "Scheduled jobs",
};

export function AdminFrame({
  actions,
  children,
}: {
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { path } = useLocation();
  const current = path === "/admin" ? "/admin/users" : path;
  return (
    <>
      <PageHeader title="Admin" subtitle="People, API access and the audit trail." actions={actions} />
      <nav class="tabs" aria-label="Admin">
        {Object.entries(TABS).map(([href, label]) => (
          <Link
            key={href}
            href={href}
            class={current === href ? "tab tab--active" : "tab"}
            aria-current={current === href ? "page" : undefined}
          >
            {label}
          </Link>
        ))}
      </nav>
      {children}
    </>
  );
}
