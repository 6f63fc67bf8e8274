// Tabs across an area of the app (Admin, Tariffs): links to its pages, the current one marked for the eye
// and for screen readers.
import { Link, useLocation } from "../router";

export function Tabs({
  label,
  tabs,
  aliases = {},
}: {
  label: string;
  tabs: readonly (readonly [href: string, label: string])[];
  /** Paths that show another tab's page, e.g. "/admin" → "/admin/users". */
  aliases?: Record<string, string>;
}) {
  const { path } = useLocation();
  const current = aliases[path] ?? path;
  return (
    <nav class="tabs" aria-label={label}>
      {tabs.map(([href, text]) => (
        <Link
          key={href}
          href={href}
          class={current === href ? "tab tab--active" : "tab"}
          aria-current={current === href ? "page" : undefined}
        >
          {text}
        </Link>
      ))}
    </nav>
  );
}
