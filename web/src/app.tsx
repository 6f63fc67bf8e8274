// The app shell: find out who is signed in, then show the sign-in page or the layout and the page the
// path names. Navigation entries follow the role: viewers see dashboards, consumption and carbon;
// managers add reports and tariffs; admins add imports and administration.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { roleAtLeast } from "../../src/enums";
import { api, setUnauthorizedHandler, type Role, type User } from "./api";
import { AuditPage } from "./admin/audit-page";
import { TokensPage } from "./admin/tokens-page";
import { UsersPage } from "./admin/users-page";
import { WebhooksPage } from "./admin/webhooks-page";
import { SessionProvider, useSession } from "./auth/session";
import { SignInPage } from "./auth/sign-in-page";
import { CarbonPage } from "./carbon/carbon-page";
import { DashboardPage } from "./dashboard/dashboard-page";
import { ImportJobPage } from "./imports/job-page";
import { ImportsPage } from "./imports/imports-page";
import { MeterPage } from "./meters/meter-page";
import { MetersPage } from "./meters/meters-page";
import { queryClient } from "./query";
import { ReportsPage } from "./reports/reports-page";
import { Link, match, navigate, useLocation } from "./router";
import { SitePage } from "./sites/site-page";
import { SitesPage } from "./sites/sites-page";
import { CostReportPage } from "./tariffs/cost-report-page";
import { SwitchingPage } from "./tariffs/switching-page";
import { TariffsPage } from "./tariffs/tariffs-page";
import { EmptyState, Loading } from "./ui/feedback";
import { JobsPage } from "./admin/jobs-page";
import { AlarmPage, AlarmsPage } from "./alarms/alarms-page";
import { NotificationBell } from "./notifications/bell";
import { QualityPage } from "./quality/quality-page";

/** A page: the paths it answers, the least role that opens it, and its label if the navigation lists it. */
type Route = {
  pattern: string;
  min: Role;
  nav?: string;
  render: (p: Record<string, string>) => ComponentChildren;
};
// In the navigation's order.
const ROUTES: Route[] = [
  { pattern: "/", min: "viewer", nav: "Dashboard", render: () => <DashboardPage /> },
  { pattern: "/sites", min: "viewer", nav: "Sites", render: () => <SitesPage /> },
  { pattern: "/sites/:id", min: "viewer", render: (p) => <SitePage id={Number(p.id)} /> },
  { pattern: "/meters", min: "viewer", nav: "Meters", render: () => <MetersPage /> },
  { pattern: "/meters/:mpan", min: "viewer", render: (p) => <MeterPage mpan={p.mpan} /> },
  { pattern: "/imports", min: "admin", nav: "Imports", render: () => <ImportsPage /> },
  { pattern: "/imports/:batchId", min: "admin", render: (p) => <ImportJobPage batchId={p.batchId} /> },
  { pattern: "/reports", min: "manager", nav: "Reports", render: () => <ReportsPage /> },
  { pattern: "/tariffs", min: "manager", nav: "Tariffs", render: () => <TariffsPage /> },
  { pattern: "/tariffs/switching", min: "manager", render: () => <SwitchingPage /> },
  { pattern: "/tariffs/costs", min: "manager", render: () => <CostReportPage /> },
  { pattern: "/carbon", min: "viewer", nav: "Carbon", render: () => <CarbonPage /> },
  { pattern: "/quality", min: "viewer", nav: "Data quality", render: () => <QualityPage /> },
  { pattern: "/alarms", min: "viewer", nav: "Alarms", render: () => <AlarmsPage /> },
  { pattern: "/alarms/:id", min: "viewer", render: (p) => <AlarmPage id={Number(p.id)} /> },
  { pattern: "/admin", min: "admin", nav: "Admin", render: () => <UsersPage /> },
  { pattern: "/admin/users", min: "admin", render: () => <UsersPage /> },
  { pattern: "/admin/tokens", min: "admin", render: () => <TokensPage /> },
  { pattern: "/admin/audit", min: "admin", render: () => <AuditPage /> },
  { pattern: "/admin/webhooks", min: "admin", render: () => <WebhooksPage /> },
  { pattern: "/admin/jobs", min: "admin", render: () => <JobsPage /> },
];
const NAV = ROUTES.flatMap(({ pattern, min, nav }) => (nav ? [{ href: pattern, label: nav, min }] : []));

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useLocation();

  // Whatever was cached belongs to the user who fetched it: sign-in, sign-out and a lapsed session
  // start from an empty cache.
  const changeUser = (u: User | null) => {
    queryClient.clear();
    setUser(u);
  };

  useEffect(() => {
    setUnauthorizedHandler(() => changeUser(null));
    api.get("/api/auth/me").then(setUser, () => setUser(null));
  }, []);

  if (user === undefined) {
    return (
      <div class="boot">
        <Loading label="Starting Eclectyc Energy…" />
      </div>
    );
  }
  if (user === null) {
    return (
      <SignInPage
        onSignedIn={(u) => {
          changeUser(u);
          if (location.pathname === "/signin") navigate("/", true);
        }}
      />
    );
  }
  const signOut = async () => {
    await api.post("/api/auth/logout").catch(() => undefined);
    changeUser(null);
    navigate("/signin", true);
  };
  return (
    <SessionProvider value={{ user, signOut }}>
      <Layout>
        <CurrentPage />
      </Layout>
    </SessionProvider>
  );
}

function CurrentPage() {
  const { path } = useLocation();
  const { user } = useSession();
  const clean = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (clean === "/signin") {
    navigate("/", true);
    return null;
  }
  for (const route of ROUTES) {
    const params = match(route.pattern, clean);
    if (!params) continue;
    if (!roleAtLeast(user.role, route.min)) {
      return (
        <EmptyState title="Not available with your role">
          <p>
            This page needs the {route.min} role; you are signed in as a {user.role}. Ask an administrator if
            you need access.
          </p>
        </EmptyState>
      );
    }
    return <>{route.render(params)}</>;
  }
  return (
    <EmptyState
      title="Page not found"
      action={
        <Link href="/" class="btn btn--primary">
          Go to the dashboard
        </Link>
      }
    >
      <p>There is nothing at {clean}.</p>
    </EmptyState>
  );
}

function isActive(href: string, path: string) {
  return href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`);
}

function Layout({ children }: { children: ComponentChildren }) {
  const { user, signOut } = useSession();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const items = NAV.filter((n) => roleAtLeast(user.role, n.min));
  return (
    <div class="shell">
      <header class="topbar">
        <Link href="/" class="brand" aria-label="Eclectyc Energy home">
          <span class="brand-mark" aria-hidden="true">
            ⚡
          </span>
          <span class="brand-name">Eclectyc Energy</span>
        </Link>
        <button
          type="button"
          class="nav-toggle"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen(!open)}
        >
          {open ? "Close" : "Menu"}
        </button>
        <div class="topbar-user">
          <NotificationBell />
          <span class="user-name" data-testid="signed-in-as">
            {user.name || user.email}
          </span>
          <span class="badge badge--info">{user.role}</span>
          <button type="button" class="btn btn--ghost btn--small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="main-nav" class={`sidenav${open ? " sidenav--open" : ""}`} aria-label="Main">
        <ul>
          {items.map((n) => (
            <li key={n.href}>
              <Link
                href={n.href}
                class={isActive(n.href, path) ? "active" : undefined}
                aria-current={isActive(n.href, path) ? "page" : undefined}
              >
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
        <div class="sidenav-user">
          <span>{user.email}</span>
          <button type="button" class="btn btn--small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </nav>
      <main class="content" id="main">
        {children}
      </main>
    </div>
  );
}
