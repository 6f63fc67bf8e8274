// The tariff pages' own navigation: tariffs, the switching analyser and the cost report.
import { Link, useLocation } from "../router";

const TABS = [
  ["/tariffs", "Tariffs"],
  ["/tariffs/switching", "Switching analysis"],
  ["/tariffs/costs", "Cost report"],
] as const;

export function TariffTabs() {
  const { path } = useLocation();
  return (
    <nav class="tabs" aria-label="Tariffs">
      {TABS.map(([href, label]) => (
        <Link
          key={href}
          href={href}
          class={path === href ? "tab tab--active" : "tab"}
          aria-current={path === href ? "page" : undefined}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}
