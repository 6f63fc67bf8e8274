// Create or edit a tariff: start from a template, set its rates, and see on the band bar which rate
// applies when. Bands are checked as they are typed with the API's own rule (a gap or overlap names the
// band); the API checks again on save.
import { useState } from "preact/hooks";
import { DAY_NAMES, type DayName } from "../../../src/enums";
import { bandPlan } from "../../../src/tariffs/bands";
import { api, ApiError, type Tariff, type TariffBand } from "../api";
import { useAction, useApi } from "../query";
import { CheckField, EditorDialog, optionsOf, SelectField, TextField } from "../ui/form";
import { today } from "../ui/format";
import { BandBar } from "./band-bar";
import { TEMPLATES, type TariffDraft } from "./templates";

export const TARIFF_DATA = ["/api/tariffs", "/api/meters/{mpan}/costs", "/api/analyses"];

/** The form's text for a number field, and back. */
const num = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
const toNum = (v: string) => (v.trim() === "" ? NaN : Number(v));

function draftOf(t: Tariff): TariffDraft {
  return {
    name: t.name,
    supplierId: t.supplierId,
    fuel: t.fuel,
    type: t.type,
    validFrom: t.validFrom,
    validTo: t.validTo,
    standingChargePence: t.standingChargePence,
    vatRate: t.vatRate === 0.05 ? 0.05 : 0.2,
    ccl: t.ccl,
    unitRatePence: t.unitRatePence,
    bands: t.bands ?? undefined,
    clock: t.clock,
    active: t.active,
  };
}

export function TariffEditor({
  tariff,
  onClose,
  onSaved,
}: {
  tariff?: Tariff;
  onClose: () => void;
  onSaved?: (id: number) => void;
}) {
  const suppliers = useApi("/api/suppliers");
  const [draft, setDraft] = useState<TariffDraft>(() =>
    tariff ? draftOf(tariff) : { ...TEMPLATES[1].draft },
  );
  const [template, setTemplate] = useState(tariff ? "" : TEMPLATES[1].id);
  const set = <K extends keyof TariffDraft>(key: K, value: TariffDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const bands = draft.bands ?? [];
  const setBand = (i: number, change: Partial<TariffBand>) =>
    set(
      "bands",
      bands.map((b, j) => (j === i ? { ...b, ...change } : b)),
    );
  const problem = draft.type === "tou" && bands.length ? bandPlan(bands) : null;

  const save = useAction(
    async () => {
      if (problem && !(problem instanceof Int8Array))
        throw new ApiError(400, "client", problem.message, problem.field);
      const body: TariffDraft = {
        ...draft,
        unitRatePence: draft.type === "flat" ? draft.unitRatePence : null,
        bands: draft.type === "tou" ? bands : null,
        clock: draft.type === "tou" ? (draft.clock ?? "local") : undefined,
        validTo: draft.validTo || null,
      };
      return tariff
        ? api.patch("/api/tariffs/{id}", { params: { path: { id: tariff.id } }, body })
        : api.post("/api/tariffs", { body });
    },
    { invalidates: TARIFF_DATA, onDone: (t) => (onSaved?.(t.id), onClose()) },
  );

  return (
    <EditorDialog
      noun="tariff"
      editing={tariff?.name}
      saveLabel="Save tariff"
      action={save}
      onClose={onClose}
      wide
    >
      {!tariff && (
        <SelectField
          label="Start from a template"
          value={template}
          onValue={(id) => {
            setTemplate(id);
            const t = TEMPLATES.find((x) => x.id === id);
            if (t) setDraft({ ...t.draft, bands: t.draft.bands?.map((b) => ({ ...b })) });
          }}
          options={TEMPLATES.map((t) => ({ value: t.id, label: t.label }))}
        />
      )}
      <div class="form-grid">
        <TextField
          label="Name"
          name="name"
          value={draft.name}
          onValue={(v) => set("name", v)}
          testid="tariff-name"
        />
        <SelectField
          label="Supplier"
          name="supplierId"
          value={num(draft.supplierId)}
          onValue={(v) => set("supplierId", v ? Number(v) : null)}
          options={optionsOf(suppliers.data?.data ?? [], "No supplier")}
        />
        <SelectField
          label="Fuel"
          name="fuel"
          value={draft.fuel}
          onValue={(v) => set("fuel", v as TariffDraft["fuel"])}
          options={[
            { value: "electricity", label: "Electricity" },
            { value: "gas", label: "Gas" },
          ]}
        />
        <SelectField
          label="Type"
          name="type"
          value={draft.type}
          onValue={(v) =>
            setDraft((d) => ({
              ...d,
              type: v as TariffDraft["type"],
              bands: v === "tou" && !d.bands?.length ? TEMPLATES[1].draft.bands : d.bands,
            }))
          }
          options={[
            { value: "flat", label: "Flat: one unit rate" },
            { value: "tou", label: "Time of use: bands" },
            { value: "dynamic", label: "Dynamic: a price per half-hour" },
          ]}
        />
        <TextField
          label="Valid from"
          name="validFrom"
          value={draft.validFrom}
          onValue={(v) => set("validFrom", v)}
          hint="YYYY-MM-DD"
        />
        <TextField
          label="Valid to"
          name="validTo"
          value={draft.validTo ?? ""}
          onValue={(v) => set("validTo", v || null)}
          hint="blank: open-ended"
        />
        <TextField
          label="Standing charge (p/day, excl. VAT)"
          name="standingChargePence"
          inputMode="decimal"
          value={num(draft.standingChargePence)}
          onValue={(v) => set("standingChargePence", toNum(v))}
        />
        <SelectField
          label="VAT"
          name="vatRate"
          value={String(draft.vatRate)}
          onValue={(v) => set("vatRate", v === "0.05" ? 0.05 : 0.2)}
          options={[
            { value: "0.2", label: "20 % (business)" },
            { value: "0.05", label: "5 % (domestic, de minimis)" },
          ]}
        />
        {draft.type === "flat" && (
          <TextField
            label="Unit rate (p/kWh, excl. VAT)"
            name="unitRatePence"
            inputMode="decimal"
            value={num(draft.unitRatePence)}
            onValue={(v) => set("unitRatePence", toNum(v))}
          />
        )}
        {draft.type === "tou" && (
          <SelectField
            label="Clock"
            name="clock"
            value={draft.clock ?? "local"}
            onValue={(v) => set("clock", v as "local" | "utc")}
            options={[
              { value: "local", label: "Local time (Europe/London)" },
              { value: "utc", label: "UTC: the meter's clock stays on GMT" },
            ]}
          />
        )}
      </div>
      <CheckField checked={draft.ccl} onValue={(v) => set("ccl", v)}>
        Climate Change Levy applies (business supply)
      </CheckField>
      <CheckField checked={draft.active ?? true} onValue={(v) => set("active", v)}>
        Active (offered in switching analyses)
      </CheckField>
      {draft.type === "tou" && (
        <fieldset class="bands">
          <legend>
            Bands (start and end on the half-hour; an end before the start crosses midnight; blank days =
            every day)
          </legend>
          <table class="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>p/kWh</th>
                <th>Start</th>
                <th>End</th>
                <th>Days</th>
                <th>
                  <span class="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bands.map((b, i) => (
                <tr key={i} class={save.error?.field === `bands.${i}` ? "row--invalid" : undefined}>
                  <td>
                    <input
                      aria-label={`Band ${i + 1} name`}
                      value={b.name}
                      onInput={(e) => setBand(i, { name: e.currentTarget.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Band ${i + 1} rate`}
                      inputMode="decimal"
                      size={6}
                      value={num(b.pencePerKwh)}
                      onInput={(e) => setBand(i, { pencePerKwh: toNum(e.currentTarget.value) })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Band ${i + 1} start`}
                      size={5}
                      value={b.start}
                      onInput={(e) => setBand(i, { start: e.currentTarget.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Band ${i + 1} end`}
                      size={5}
                      value={b.end}
                      onInput={(e) => setBand(i, { end: e.currentTarget.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Band ${i + 1} days`}
                      placeholder="every day"
                      value={(b.days ?? []).join(",")}
                      onInput={(e) => {
                        const days = e.currentTarget.value
                          .split(/[\s,]+/)
                          .filter((d): d is DayName => (DAY_NAMES as readonly string[]).includes(d));
                        setBand(i, { days: days.length ? days : undefined });
                      }}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      class="btn btn--small btn--danger-quiet"
                      onClick={() =>
                        set(
                          "bands",
                          bands.filter((_, j) => j !== i),
                        )
                      }
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            class="btn btn--small"
            onClick={() =>
              set("bands", [...bands, { name: "Band", pencePerKwh: 20, start: "00:00", end: "00:00" }])
            }
          >
            Add band
          </button>
          {bands.length > 0 && (
            <BandBar bands={bands} clock={draft.clock ?? "local"} year={Number(today().slice(0, 4))} />
          )}
        </fieldset>
      )}
      {draft.type === "dynamic" && (
        <p class="muted">Upload the half-hourly prices on the tariff's page once it is created.</p>
      )}
    </EditorDialog>
  );
}
