// What a chart of readings shows when there are none: why, and for an administrator the way to import.
import type { ComponentChildren } from "preact";
import { useCan } from "../auth/session";
import { Link } from "../router";
import { EmptyState } from "../ui/feedback";

export function NoReadings({
  title,
  admin,
  others,
}: {
  title: string;
  /** What to say to an administrator, who can import; and to everyone else, who cannot. */
  admin: ComponentChildren;
  others: ComponentChildren;
}) {
  const isAdmin = useCan("admin");
  const action = isAdmin && (
    <Link href="/imports" class="btn btn--primary">
      Import readings
    </Link>
  );
  return (
    <EmptyState title={title} action={action}>
      <p>{isAdmin ? admin : others}</p>
    </EmptyState>
  );
}
