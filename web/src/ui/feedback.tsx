// Page furniture: headers, empty states, loading and error notices, status badges.
import type { ComponentChildren } from "preact";
import type { ApiError } from "../api";

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: string;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p class="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div class="page-actions">{actions}</div>}
    </header>
  );
}

export function EmptyState({
  title,
  text,
  children = text && <p>{text}</p>,
  action,
}: {
  title: string;
  /** A sentence on why it is empty or what to do, when that is all the body says. */
  text?: string;
  children?: ComponentChildren;
  action?: ComponentChildren;
}) {
  return (
    <div class="empty" data-testid="empty-state">
      <h2>{title}</h2>
      {children && <div class="empty-body">{children}</div>}
      {action && <div class="empty-action">{action}</div>}
    </div>
  );
}

/** What an empty list says: a plain sentence shows as a muted line, anything else as it is. */
export const emptyView = (empty: ComponentChildren) =>
  typeof empty === "string" ? <p class="muted">{empty}</p> : empty;

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div class="notice notice--error" role="alert">
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" class="btn btn--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** An action's refusal where it was asked for (a row's button, a confirmation), not under a form field. */
export function ActionError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {error.message}
    </p>
  );
}

export function Notice({
  kind = "info",
  children,
}: {
  kind?: "info" | "success" | "warn";
  children: ComponentChildren;
}) {
  return <div class={`notice notice--${kind}`}>{children}</div>;
}

export function Badge({
  tone = "neutral",
  children,
}: {
  tone?: "neutral" | "good" | "warn" | "bad" | "info";
  children: ComponentChildren;
}) {
  return <span class={`badge badge--${tone}`}>{children}</span>;
}

/** A capability that is on its way: says so plainly, with what it will show, and asks nothing of the user. */
export function ComingSoon({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: string;
  children: ComponentChildren;
}) {
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} />
      <EmptyState title={`${title}: coming soon`}>
        {children}
        <p>There is nothing to set up for it yet; this page fills in when the feature is released.</p>
      </EmptyState>
    </>
  );
}

/** Labelled values, e.g. a meter's fuel, status and supplier. */
export function Facts({
  items,
  inline,
}: {
  items: [label: string, value: ComponentChildren][];
  inline?: boolean;
}) {
  return (
    <dl class={inline ? "facts facts--inline" : "facts card"}>
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One figure of a summary: its name, its value, and a line on what it is or how it compares. */
export function Figure({
  label,
  value,
  children,
  testid,
}: {
  label: string;
  value: ComponentChildren;
  children?: ComponentChildren;
  testid?: string;
}) {
  return (
    <div data-testid={testid}>
      <span class="stat-label">{label}</span>
      <span class="stat-value">{value}</span>
      {children && <span class="muted small">{children}</span>}
    </div>
  );
}

/** A card with its heading, and beside the heading the card's own controls (a range picker, a button). */
export function Card({
  title,
  actions,
  testid,
  children,
}: {
  title: ComponentChildren;
  actions?: ComponentChildren;
  testid?: string;
  children: ComponentChildren;
}) {
  return (
    <section class="card" data-testid={testid}>
      <div class="card-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A button as data: its label, its click, and its look ("danger" for a quiet red one that destroys). */
export type ButtonSpec = [label: string, onClick: () => void, tone?: "primary" | "danger"];

const BUTTON_CLASS = { primary: "btn btn--primary", danger: "btn btn--danger-quiet" };

/** A row of buttons that open things (an edit dialog, a confirmation), e.g. in a page's header. */
export function Buttons({ items }: { items: ButtonSpec[] }) {
  return (
    <>
      {items.map(([label, onClick, tone]) => (
        <button key={label} type="button" class={tone ? BUTTON_CLASS[tone] : "btn"} onClick={onClick}>
          {label}
        </button>
      ))}
    </>
  );
}
