// The tabs across the admin area.
import { Link, useLocation } from "../router";

const TABS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/tokens", label: "API tokens" },
  { href: "/admin/webhooks", label: "Webhook sources" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminTabs() {
  const { path } = useLocation();
  const current = path === "/admin" ? "/admin/users" : path;
  return (
    <nav class="tabs" aria-label="Admin">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          class={current === t.href ? "tab tab--active" : "tab"}
          aria-current={current === t.href ? "page" : undefined}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
