// Admin: supplier portals that push reading files by signed webhook. A new source's signing secret
// is shown once; the API keeps only a salt and derives the secret when it checks a signature.
import { useState } from "preact/hooks";
import { api, type WebhookSource as Source } from "../api";
import { useAction, useApi } from "../query";
import { CopyButton } from "../ui/copy-button";
import { ApiTable, dateColumn, RowButton } from "../ui/data-table";
import { ConfirmDialog, useOpener } from "../ui/dialog";
import { EmptyState } from "../ui/feedback";
import { SelectField, TextField, useFormState } from "../ui/form";
import { NewWithSecretDialog } from "../ui/one-time-secret";
import { LAYOUT_OPTIONS, type ImportFormat } from "../imports/layouts";
import { AdminFrame } from "./admin-frame";

const SOURCES = "/api/webhook-sources";

function NewSourceDialog({ onClose }: { onClose: () => void }) {
  const { values, bind } = useFormState({ name: "", defaultMeter: "", format: "auto" as ImportFormat });
  const create = useAction(
    () =>
      api.post(SOURCES, {
        body: {
          name: values.name.trim(),
          options: { format: values.format },
          ...(values.defaultMeter.trim() ? { defaultMeter: values.defaultMeter.trim() } : {}),
        },
      }),
    { invalidates: [SOURCES] },
  );

  return (
    <NewWithSecretDialog
      title="New webhook source"
      submitLabel="Create source"
      action={create}
      name={bind("name")}
      nameHint="The supplier portal, e.g. “EDF portal”"
      onClose={onClose}
      secret={(created) => ({
        title: "Webhook source created",
        warning: (
          <>
            <strong>Copy the signing secret now.</strong> It is shown only once. Give it to the supplier
            portal, which signs each delivery with it.
          </>
        ),
        secret: created.secret,
        copyLabel: "Copy secret",
        testid: "new-webhook-secret",
        children: <DeliveryHelp url={`${location.origin}${created.url}`} />,
      })}
    >
      <div class="form-row">
        <TextField
          label="Default meter"
          hint="MPAN or MPRN, for files without a meter column"
          inputMode="numeric"
          {...bind("defaultMeter")}
        />
        <SelectField label="Layout" options={LAYOUT_OPTIONS} {...bind("format")} name="options.format" />
      </div>
    </NewWithSecretDialog>
  );
}

/** Where a new source's deliveries go and how the portal signs them. */
function DeliveryHelp({ url }: { url: string }) {
  return (
    <>
      <p class="small">
        Deliveries go to <code>{url}</code> <CopyButton value={url} label="Copy URL" />
      </p>
      <p class="muted small">
        Each POST carries the CSV as its body and{" "}
        <code>X-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, where v1 is the HMAC-SHA256 under the
        secret of <code>t + "." + key + "." + body</code> when an <code>Idempotency-Key</code> header is sent
        (recommended: repeats of a key with the same body are harmless, with another body refused), or of{" "}
        <code>t + "." + body</code> without one; <code>t</code> must be within five minutes.
      </p>
    </>
  );
}

export function WebhooksPage() {
  const sources = useApi(SOURCES);
  const create = useOpener();
  const [removing, setRemoving] = useState<Source | null>(null);

  return (
    <AdminFrame actions={create.button("New webhook source")}>
      <ApiTable
        testid="webhooks-table"
        query={sources}
        empty={
          <EmptyState
            title="No webhook sources"
            action={create.button("Add a source")}
            text="Supplier portals can push reading files here instead of someone uploading them. Each source gets its own address and signing secret; its files appear on the Imports page."
          />
        }
        columns={[
          { header: "Name", sort: (s) => s.name, cell: (s) => s.name },
          {
            header: "Address",
            class: "mono nowrap",
            cell: (s) => (
              <>
                {s.url}{" "}
                <CopyButton value={`${location.origin}${s.url}`} label={`Copy address of ${s.name}`} />
              </>
            ),
          },
          { header: "Secret", class: "mono nowrap", cell: (s) => `${s.secretPrefix}…` },
          { header: "Default meter", class: "mono", cell: (s) => s.defaultMeter ?? "From the file" },
          dateColumn<Source>("Created", (s) => s.createdAt),
        ]}
        actions={(s) => (
          <RowButton label="Remove" name={`Remove ${s.name}`} danger onClick={() => setRemoving(s)} />
        )}
      />
      {create.open && <NewSourceDialog onClose={create.close} />}
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
          onConfirm={() => api.del("/api/webhook-sources/{id}", { params: { path: { id: removing.id } } })}
          invalidates={[SOURCES]}
          onDone={() => setRemoving(null)}
        />
      )}
    </AdminFrame>
  );
}
