// Admin: sign-in locks (GET /api/auth/locks): an IP locked out of one account after failed sign-ins,
// and accounts or IPs with so many failures that their next failure locks at once. Clearing one lets
// that sign-in be tried again.
import { api, type SignInLock } from "../api";
import { invalidate, useAction, useApi } from "../query";
import { ApiTable, RowButton } from "../ui/data-table";
import { Badge, ErrorNotice } from "../ui/feedback";
import { formatDateTime } from "../ui/format";

const LOCK_LABEL: Record<SignInLock["kind"], (l: SignInLock) => string> = {
  pair: (l) => `${l.email} from ${l.ip}`,
  account: (l) => `${l.email}, from any IP`,
  ip: (l) => `${l.ip}, on any account`,
};

export function SignInLocks() {
  const locks = useApi("/api/auth/locks");
  // Refreshed whether or not the clearing worked: a lock that lapsed meanwhile is refused as gone.
  const clear = useAction((lock: SignInLock) =>
    api
      .del("/api/auth/locks/{key}", { params: { path: { key: lock.key } } })
      .finally(() => void invalidate(["/api/auth/locks"])),
  );

  return (
    <section aria-labelledby="sign-in-locks">
      <div class="section-head">
        <h2 id="sign-in-locks">Sign-in locks</h2>
        <button type="button" class="btn btn--small" onClick={() => void locks.refetch()}>
          Refresh
        </button>
      </div>
      {clear.error && <ErrorNotice error={clear.error} />}
      <ApiTable
        testid="locks-table"
        query={locks}
        rowKey={(l) => l.key}
        empty={
          <p class="muted">
            No locks. Five failed sign-ins to one account from one IP lock that account from that IP for 15
            minutes.
          </p>
        }
        columns={[
          { header: "Who", cell: (l) => LOCK_LABEL[l.kind](l) },
          {
            header: "Failures",
            sort: (l) => l.failures,
            cell: (l) => `${l.failures} since ${formatDateTime(l.since)}`,
          },
          {
            header: "State",
            cell: (l) =>
              l.lockedUntil ? (
                <Badge tone="bad">locked until {formatDateTime(l.lockedUntil)}</Badge>
              ) : (
                <Badge tone="warn">on alert: the next failure locks</Badge>
              ),
          },
        ]}
        actions={(l) => (
          <RowButton
            label="Clear"
            name={`Clear lock on ${LOCK_LABEL[l.kind](l)}`}
            disabled={clear.busy}
            onClick={() => void clear.run(l)}
          />
        )}
      />
    </section>
  );
}
