// Admin: supplier portals that push reading files by signed webhook. A new source's signing secret
// is shown once; the API keeps only a salt and derives the secret when it checks a signature.
import { useState } from "preact/hooks";
import { IMPORT_FORMATS } from "../../../src/enums";
import { api, type Answer, type ApiError, type WebhookSource as Source } from "../api";
import { formatDateTime } from "../format";
import { useResource } from "../resource";
import { CopyButton } from "../ui/copy-button";
import { ConfirmDialog, Dialog, EmptyState, ErrorNotice, Loading, PageHeader } from "../ui/feedback";
import { asApiError, Field, fieldError, FormError } from "../ui/form";
import { AdminTabs } from "./admin-nav";

const LAYOUTS = IMPORT_FORMATS;

function NewSourceDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [meter, setMeter] = useState("");
  const [format, setFormat] = useState<(typeof LAYOUTS)[number]>("auto");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<Answer<"/api/webhook-sources", "post"> | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        name: name.trim(),
        options: { format },
        ...(meter.trim() ? { defaultMeter: meter.trim() } : {}),
      };
      setCreated(await api.post("/api/webhook-sources", { body }));
      onCreated();
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  }

  if (created) {
    const url = `${location.origin}${created.url}`;
    return (
      <Dialog title="Webhook source created" onClose={onClose}>
        <div class="notice notice--warn" role="alert">
          <p>
            <strong>Copy the signing secret now.</strong> It is shown only once. Give it to the supplier
            portal, which signs each delivery with it.
          </p>
        </div>
        <div class="secret" data-testid="new-webhook-secret">
          <code>{created.secret}</code>
          <CopyButton value={created.secret} label="Copy secret" />
        </div>
        <p class="small">
          Deliveries go to <code>{url}</code> <CopyButton value={url} label="Copy URL" />
        </p>
        <p class="muted small">
          Each POST carries the CSV as its body and{" "}
          <code>X-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, where v1 is the HMAC-SHA256 under
          the secret of <code>t + "." + key + "." + body</code> when an <code>Idempotency-Key</code> header is
          sent (recommended: repeats of a key with the same body are harmless, with another body refused), or
          of <code>t + "." + body</code> without one; <code>t</code> must be within five minutes.
        </p>
        <div class="form-actions">
          <button type="button" class="btn btn--primary" onClick={onClose}>
            I have copied it
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title="New webhook source" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name" hint="The supplier portal, e.g. “EDF portal”" error={fieldError(error, "name")}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              maxLength={100}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-row">
          <Field
            label="Default meter"
            hint="MPAN or MPRN, for files without a meter column"
            error={fieldError(error, "defaultMeter")}
          >
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                inputMode="numeric"
                value={meter}
                onInput={(e) => setMeter(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Layout" error={fieldError(error, "options.format")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={format}
                onChange={(e) => setFormat(e.currentTarget.value as (typeof LAYOUTS)[number])}
              >
                {LAYOUTS.map((l) => (
                  <option key={l} value={l}>
                    {l === "auto" ? "Detect automatically" : l}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <FormError error={error} fields={["name", "defaultMeter", "options.format"]} />
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="btn btn--primary" disabled={busy || !name.trim()}>
            {busy ? "Creating…" : "Create source"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function WebhooksPage() {
  const sources = useResource(() => api.get("/api/webhook-sources"), []);
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<Source | null>(null);
  const list = sources.data?.data ?? [];

  return (
    <>
      <PageHeader
        title="Admin"
        subtitle="People, API access and the audit trail."
        actions={
          <button type="button" class="btn btn--primary" onClick={() => setCreating(true)}>
            New webhook source
          </button>
        }
      />
      <AdminTabs />
      {sources.error ? (
        <ErrorNotice error={sources.error} onRetry={sources.reload} />
      ) : !sources.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <EmptyState
          title="No webhook sources"
          action={
            <button type="button" class="btn btn--primary" onClick={() => setCreating(true)}>
              Add a source
            </button>
          }
        >
          <p>
            Supplier portals can push reading files here instead of someone uploading them. Each source gets
            its own address and signing secret; its files appear on the Imports page.
          </p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table data-testid="webhooks-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Address</th>
                <th scope="col">Secret</th>
                <th scope="col">Default meter</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td class="mono nowrap">
                    {s.url}{" "}
                    <CopyButton value={`${location.origin}${s.url}`} label={`Copy address of ${s.name}`} />
                  </td>
                  <td class="mono nowrap">{s.secretPrefix}…</td>
                  <td class="mono">{s.defaultMeter ?? "From the file"}</td>
                  <td class="nowrap">{formatDateTime(s.createdAt)}</td>
                  <td class="row-actions">
                    <button
                      type="button"
                      class="btn btn--small btn--danger-quiet"
                      aria-label={`Remove ${s.name}`}
                      onClick={() => setRemoving(s)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <NewSourceDialog onClose={() => setCreating(false)} onCreated={sources.reload} />}
      {removing && (
        <ConfirmDialog
          title="Remove webhook source?"
          message={
            <p>
              Remove <strong>{removing.name}</strong>? Its deliveries are refused from now on; jobs it already
              sent stay.
            </p>
          }
          confirmLabel="Remove source"
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            await api.del("/api/webhook-sources/{id}", { params: { path: { id: removing.id } } });
            setRemoving(null);
            sources.reload();
          }}
        />
      )}
    </>
  );
}
