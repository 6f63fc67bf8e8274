// The bell in the header: the caller's unread notifications (alarm triggers, quality issues that became
// critical, failed jobs for admins), refreshed every minute; opening one marks it read.
import { useState } from "preact/hooks";
import { api } from "../api";
import { useAction, useApi } from "../query";
import { navigate } from "../router";
import { formatDateTime } from "../ui/format";

export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const list = useApi(
    "/api/notifications",
    { params: { query: { limit: 20 } } },
    { refetchInterval: 60_000 },
  );
  const read = useAction((ids: number[] | "all") => api.post("/api/notifications/read", { body: { ids } }), {
    invalidates: ["/api/notifications"],
  });
  const unread = list.data?.unread ?? 0;
  return (
    <div class="bell">
      <button
        type="button"
        class="btn btn--ghost btn--small"
        aria-expanded={open}
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
        data-testid="bell"
        onClick={() => setOpen(!open)}
      >
        <svg class="bell-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
            fill="currentColor"
          />
        </svg>
        {unread > 0 && <span class="bell-count">{unread > 99 ? "99+" : unread}</span>}
      </button>
      {open && (
        <div class="bell-panel" role="dialog" aria-label="Notifications">
          <div class="bell-head">
            <strong>Notifications</strong>
            {unread > 0 && (
              <button type="button" class="btn btn--small" onClick={() => read.run("all")}>
                Mark all read
              </button>
            )}
          </div>
          {list.data?.data.length ? (
            <ul>
              {list.data.data.map((n) => (
                <li key={n.id} class={n.readAt ? "" : "unread"}>
                  <a
                    href={n.link}
                    onClick={(e) => {
                      e.preventDefault();
                      if (!n.readAt) void read.run([n.id]);
                      setOpen(false);
                      navigate(n.link);
                    }}
                  >
                    <span class="bell-title">{n.title}</span>
                    <span class="small">{n.body}</span>
                    <span class="small muted">{formatDateTime(n.createdAt)}</span>
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted small">Nothing yet.</p>
          )}
        </div>
      )}
    </div>
  );
}
