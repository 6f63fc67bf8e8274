// Create or edit a meter. The MPAN (electricity) or MPRN (gas) is checked as it is typed with the same
// validator the API uses, so a wrong check digit shows before anything is sent.
import { useState } from "preact/hooks";
import { guessFuel, parseMpan, parseMprn } from "../../../src/meters/mpan";
import { api, ApiError, type Fuel, type Meter } from "../api";
import { useResource } from "../resource";
import { Dialog } from "../ui/feedback";
import { asApiError, Field, fieldError, FormError } from "../ui/form";

const FIELDS = ["mpan", "siteId", "fuel", "name", "supplierId", "serial", "status"];

/** What to say under the identifier field: nothing while empty, the reason while invalid. */
export function meterIdCheck(value: string, fuel: Fuel): { ok: boolean; message?: string } {
  if (!value.trim()) return { ok: false };
  const r = fuel === "gas" ? parseMprn(value) : parseMpan(value);
  if (r.ok) return { ok: true, message: fuel === "gas" ? `Valid MPRN ${r.id}` : `Valid MPAN core ${r.id}` };
  return { ok: false, message: r.reason };
}

type Props = { meter?: Meter; siteId?: number; onClose: () => void; onSaved: (m: Meter) => void };

export function MeterFormDialog({ meter, siteId, onClose, onSaved }: Props) {
  const sites = useResource(() => api.get("/api/sites", { params: { query: { pageSize: 500 } } }), []);
  const suppliers = useResource(() => api.get("/api/suppliers"), []);
  const [mpan, setMpan] = useState(meter?.mpan ?? "");
  const [fuel, setFuel] = useState<Fuel>(meter?.fuel ?? "electricity");
  const [fuelChosen, setFuelChosen] = useState(Boolean(meter));
  const [site, setSite] = useState(String(meter?.siteId ?? siteId ?? ""));
  const [name, setName] = useState(meter?.name ?? "");
  const [supplierId, setSupplierId] = useState(meter?.supplierId ? String(meter.supplierId) : "");
  const [serial, setSerial] = useState(meter?.serial ?? "");
  const [status, setStatus] = useState(meter?.status ?? "active");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const check = meterIdCheck(mpan, fuel);
  const idLabel = fuel === "gas" ? "MPRN" : "MPAN";
  const localIdError = !meter && mpan.trim() && !check.ok ? check.message : undefined;
  const siteList = sites.data?.data ?? [];

  function onIdInput(value: string) {
    setMpan(value);
    setTouched(true);
    // A 13- or 21-character id is surely an MPAN; shorter ones are only guessed on blur, so the fuel
    // does not flip back and forth while the digits are being typed.
    const length = value.replace(/[\s-]/g, "").length;
    if (!fuelChosen && (length === 13 || length === 21)) setFuel("electricity");
    if (error?.field === "mpan") setError(null);
  }

  async function submit(e: Event) {
    e.preventDefault();
    setTouched(true);
    if (!meter && !check.ok) {
      setError(new ApiError(400, "client", check.message ?? `enter the ${idLabel}`, "mpan"));
      return;
    }
    if (!site) {
      setError(new ApiError(400, "client", "choose the site this meter belongs to", "siteId"));
      return;
    }
    setBusy(true);
    setError(null);
    const common = {
      siteId: Number(site),
      name: name.trim() || null,
      supplierId: supplierId ? Number(supplierId) : null,
      serial: serial.trim() || null,
    };
    try {
      const saved = meter
        ? await api.patch("/api/meters/{mpan}", {
            params: { path: { mpan: meter.mpan } },
            body: { ...common, status },
          })
        : await api.post("/api/meters", { body: { ...common, mpan: mpan.trim(), fuel } });
      onSaved(saved);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }

  const idError = fieldError(error, "mpan") ?? (touched ? localIdError : undefined);
  return (
    <Dialog title={meter ? `Edit meter ${meter.mpan}` : "New meter"} onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="meter-form">
        <div class="form-row">
          <Field
            label={meter ? idLabel : "MPAN or MPRN"}
            error={idError}
            hint={
              check.ok
                ? check.message
                : fuel === "gas"
                  ? "6 to 10 digits"
                  : "13-digit core, or the full 21-character MPAN"
            }
          >
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                aria-invalid={idError ? true : undefined}
                inputMode="numeric"
                autoComplete="off"
                spellcheck={false}
                class={check.ok ? "input--valid" : undefined}
                disabled={Boolean(meter)}
                value={mpan}
                onInput={(e) => onIdInput(e.currentTarget.value)}
                onBlur={() => {
                  if (!fuelChosen && mpan.replace(/[\s-]/g, "").length >= 6) setFuel(guessFuel(mpan));
                }}
                data-testid="mpan-input"
              />
            )}
          </Field>
          <Field label="Fuel" error={fieldError(error, "fuel")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                disabled={Boolean(meter)}
                value={fuel}
                onChange={(e) => {
                  setFuel(e.currentTarget.value as Fuel);
                  setFuelChosen(true);
                }}
              >
                <option value="electricity">Electricity</option>
                <option value="gas">Gas</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="Site" error={fieldError(error, "siteId")}>
          {(id, d) => (
            <select
              id={id}
              aria-describedby={d}
              value={site}
              onChange={(e) => setSite(e.currentTarget.value)}
            >
              <option value="">Choose a site…</option>
              {siteList.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  {s.name}
                  {s.postcode ? ` (${s.postcode})` : ""}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Meter name" error={fieldError(error, "name")} hint="Optional, e.g. “Main incomer”">
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              maxLength={200}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-row">
          <Field label="Supplier" error={fieldError(error, "supplierId")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={supplierId}
                onChange={(e) => setSupplierId(e.currentTarget.value)}
              >
                <option value="">Not set</option>
                {(suppliers.data?.data ?? []).map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Serial number" error={fieldError(error, "serial")}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                maxLength={100}
                value={serial}
                onInput={(e) => setSerial(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        {meter && (
          <Field label="Status" error={fieldError(error, "status")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={status}
                onChange={(e) => setStatus(e.currentTarget.value as Meter["status"])}
              >
                <option value="active">Active</option>
                <option value="inactive">Inactive</option>
              </select>
            )}
          </Field>
        )}
        <FormError error={error} fields={FIELDS} />
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="btn btn--primary" disabled={busy}>
            {busy ? "Saving…" : meter ? "Save changes" : "Create meter"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
