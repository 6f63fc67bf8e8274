// Create or edit a meter. The MPAN (electricity) or MPRN (gas) is checked as it is typed with the same
// validator the API uses, so a wrong check digit shows before anything is sent.
import { useState } from "preact/hooks";
import { guessFuel, parseMpan, parseMprn } from "../../../src/meters/mpan";
import { FUELS, isOneOf, METER_STATUSES } from "../../../src/enums";
import { api, ApiError, type Fuel, type Meter } from "../api";
import { useAction, useApi } from "../query";
import { EditorDialog, optionsOf, optionsOfEnum, SelectField, TextField, useFormState } from "../ui/form";
import { DeleteMeterDialog, FUEL_OPTIONS } from "./meter-table";
import { METER_DATA } from "./paths";

const STATUS_OPTIONS = optionsOfEnum(METER_STATUSES);

/** What to say under the identifier field: nothing while empty, the reason while invalid. */
export function meterIdCheck(value: string, fuel: Fuel): { ok: boolean; message?: string } {
  if (!value.trim()) return { ok: false };
  const r = fuel === "gas" ? parseMprn(value) : parseMpan(value);
  if (r.ok) return { ok: true, message: fuel === "gas" ? `Valid MPRN ${r.id}` : `Valid MPAN core ${r.id}` };
  return { ok: false, message: r.reason };
}

type Props = { meter?: Meter; siteId?: number; onClose: () => void };

export function MeterFormDialog({ meter, siteId, onClose }: Props) {
  const sites = useApi("/api/sites", { params: { query: { pageSize: 500 } } });
  const suppliers = useApi("/api/suppliers");
  const { values, set, bind } = useFormState({
    mpan: meter?.mpan ?? "",
    fuel: meter?.fuel ?? ("electricity" as Fuel),
    siteId: String(meter?.siteId ?? siteId ?? ""),
    name: meter?.name ?? "",
    supplierId: meter?.supplierId ? String(meter.supplierId) : "",
    serial: meter?.serial ?? "",
    status: meter?.status ?? ("active" as Meter["status"]),
  });
  const [fuelChosen, setFuelChosen] = useState(Boolean(meter));
  const [touched, setTouched] = useState(false);
  const fuel = values.fuel;
  const siteNames = (sites.data?.data ?? []).map((s) => ({
    id: s.id,
    name: s.postcode ? `${s.name} (${s.postcode})` : s.name,
  }));
  const check = meterIdCheck(values.mpan, fuel);
  const idLabel = fuel === "gas" ? "MPRN" : "MPAN";

  const save = useAction(
    () => {
      setTouched(true);
      if (!meter && !check.ok)
        throw new ApiError(400, "client", check.message ?? `enter the ${idLabel}`, "mpan");
      if (!values.siteId)
        throw new ApiError(400, "client", "choose the site this meter belongs to", "siteId");
      const common = {
        siteId: Number(values.siteId),
        name: values.name.trim() || null,
        supplierId: values.supplierId ? Number(values.supplierId) : null,
        serial: values.serial.trim() || null,
      };
      return meter
        ? api.patch("/api/meters/{mpan}", {
            params: { path: { mpan: meter.mpan } },
            body: { ...common, status: values.status },
          })
        : api.post("/api/meters", { body: { ...common, mpan: values.mpan.trim(), fuel } });
    },
    { invalidates: METER_DATA, onDone: onClose },
  );

  function onIdInput(value: string) {
    set("mpan", value);
    setTouched(true);
    // A 13- or 21-character id is surely an MPAN; shorter ones are only guessed on blur, so the fuel
    // does not flip back and forth while the digits are being typed.
    const length = value.replace(/[\s-]/g, "").length;
    if (!fuelChosen && (length === 13 || length === 21)) set("fuel", "electricity");
    if (save.error?.field === "mpan") save.reset();
  }

  // Until the API has answered, the local check speaks for the identifier.
  const localIdError = !meter && touched && values.mpan.trim() && !check.ok ? check.message : undefined;
  const idHint = check.ok
    ? check.message
    : fuel === "gas"
      ? "6 to 10 digits"
      : "13-digit core, or the full 21-character MPAN";
  return (
    <EditorDialog noun="meter" editing={meter && `meter ${meter.mpan}`} action={save} onClose={onClose}>
      <div class="form-row">
        <TextField
          label={meter ? idLabel : "MPAN or MPRN"}
          error={save.error?.field === "mpan" ? undefined : localIdError}
          hint={idHint}
          inputMode="numeric"
          autoComplete="off"
          spellcheck={false}
          class={check.ok ? "input--valid" : undefined}
          disabled={Boolean(meter)}
          {...bind("mpan")}
          onValue={onIdInput}
          onBlur={() => {
            if (!fuelChosen && values.mpan.replace(/[\s-]/g, "").length >= 6)
              set("fuel", guessFuel(values.mpan));
          }}
          testid="mpan-input"
        />
        <SelectField
          label="Fuel"
          disabled={Boolean(meter)}
          options={FUEL_OPTIONS}
          {...bind("fuel")}
          onValue={(v) => {
            if (isOneOf(FUELS, v)) set("fuel", v);
            setFuelChosen(true);
          }}
        />
      </div>
      <SelectField label="Site" options={optionsOf(siteNames, "Choose a site…")} {...bind("siteId")} />
      <TextField label="Meter name" hint="Optional, e.g. “Main incomer”" maxLength={200} {...bind("name")} />
      <div class="form-row">
        <SelectField
          label="Supplier"
          options={optionsOf(suppliers.data?.data ?? [], "Not set")}
          {...bind("supplierId")}
        />
        <TextField label="Serial number" maxLength={100} {...bind("serial")} />
      </div>
      {meter && <SelectField label="Status" options={STATUS_OPTIONS} {...bind("status")} />}
    </EditorDialog>
  );
}

/**
 * The dialogs of a list of meters (the meter list, a site's page): add, edit and delete, the button that
 * adds one and the handlers the table's row buttons call; none of them without `can` (admins).
 */
export function useMeterDialogs(can: boolean, siteId?: number) {
  const [editing, setEditing] = useState<Meter | "new" | null>(null);
  const [deleting, setDeleting] = useState<Meter | null>(null);
  const addButton = (label: string) =>
    can && (
      <button type="button" class="btn btn--primary" onClick={() => setEditing("new")}>
        {label}
      </button>
    );
  const dialogs = (
    <>
      {editing && (
        <MeterFormDialog
          meter={editing === "new" ? undefined : editing}
          siteId={siteId}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && (
        <DeleteMeterDialog
          meter={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => setDeleting(null)}
        />
      )}
    </>
  );
  return { addButton, rowActions: can ? { onEdit: setEditing, onDelete: setDeleting } : {}, dialogs };
}
