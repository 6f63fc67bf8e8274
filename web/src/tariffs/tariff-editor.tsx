// Create or edit a tariff: start from a template, set its rates, and see on the band bar which rate
// applies when. Bands are checked as they are typed with the API's own rule (a gap or overlap names the
// band); the API checks again on save.
import { useState } from "preact/hooks";
import { DAY_NAMES, type DayName } from "../../../src/enums";
import { FUEL_OPTIONS } from "../meters/meter-table";
import { bandPlan } from "../../../src/tariffs/bands";
import { api, ApiError, type Tariff, type TariffBand } from "../api";
import { useAction, useApi } from "../query";
import {
  CheckField,
  EditorDialog,
  optionsOf,
  SelectField,
  TextField,
  useFormState,
  type EditorProps,
} from "../ui/form";
import { today } from "../ui/format";
import { BandBar } from "./band-bar";
import { TEMPLATES, type TariffDraft } from "./templates";

export const TARIFF_DATA = ["/api/tariffs", "/api/meters/{mpan}/costs", "/api/analyses"];

/** The form's text for a number field, and back. */
const num = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
const toNum = (v: string) => (v.trim() === "" ? NaN : Number(v));
const text = (v: string) => v;

/** A column of the band table: its heading, its inputs' name, and how an input shows and changes a band. */
type BandColumn = {
  header: string;
  name: string;
  size?: number;
  decimal?: boolean;
  placeholder?: string;
  text: (b: TariffBand) => string;
  change: (text: string) => Partial<TariffBand>;
};

/** Days typed as "mon,tue"; anything not a day name is dropped, and none means every day. */
function daysOf(text: string): Partial<TariffBand> {
  const days = text.split(/[\s,]+/).filter((d): d is DayName => (DAY_NAMES as readonly string[]).includes(d));
  return { days: days.length ? days : undefined };
}

const BAND_COLUMNS: BandColumn[] = [
  { header: "Name", name: "name", text: (b) => b.name, change: (name) => ({ name }) },
  {
    header: "p/kWh",
    name: "rate",
    size: 6,
    decimal: true,
    text: (b) => num(b.pencePerKwh),
    change: (v) => ({ pencePerKwh: toNum(v) }),
  },
  { header: "Start", name: "start", size: 5, text: (b) => b.start, change: (start) => ({ start }) },
  { header: "End", name: "end", size: 5, text: (b) => b.end, change: (end) => ({ end }) },
  {
    header: "Days",
    name: "days",
    placeholder: "every day",
    text: (b) => (b.days ?? []).join(","),
    change: daysOf,
  },
];

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

export function TariffEditor({ tariff, onClose, onSaved }: EditorProps & { tariff?: Tariff }) {
  const suppliers = useApi("/api/suppliers");
  const {
    values: draft,
    setValues: setDraft,
    set,
    bindAs,
  } = useFormState<TariffDraft>(() => (tariff ? draftOf(tariff) : { ...TEMPLATES[1].draft }));
  const [template, setTemplate] = useState(tariff ? "" : TEMPLATES[1].id);
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
        <TextField label="Name" {...bindAs("name", text, text)} testid="tariff-name" />
        <SelectField
          label="Supplier"
          {...bindAs("supplierId", num, (v) => (v ? Number(v) : null))}
          options={optionsOf(suppliers.data?.data ?? [], "No supplier")}
        />
        <SelectField
          label="Fuel"
          {...bindAs("fuel", text, (v) => v as TariffDraft["fuel"])}
          options={FUEL_OPTIONS}
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
        <TextField label="Valid from" {...bindAs("validFrom", text, text)} hint="YYYY-MM-DD" />
        <TextField
          label="Valid to"
          {...bindAs(
            "validTo",
            (v) => v ?? "",
            (v) => v || null,
          )}
          hint="blank: open-ended"
        />
        <TextField
          label="Standing charge (p/day, excl. VAT)"
          inputMode="decimal"
          {...bindAs("standingChargePence", num, toNum)}
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
            inputMode="decimal"
            {...bindAs("unitRatePence", num, toNum)}
          />
        )}
        {draft.type === "tou" && (
          <SelectField
            label="Clock"
            {...bindAs(
              "clock",
              (v) => v ?? "local",
              (v) => v as "local" | "utc",
            )}
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
                {BAND_COLUMNS.map((c) => (
                  <th key={c.name}>{c.header}</th>
                ))}
                <th>
                  <span class="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bands.map((b, i) => (
                <tr key={i} class={save.error?.field === `bands.${i}` ? "row--invalid" : undefined}>
                  {BAND_COLUMNS.map((c) => (
                    <td key={c.name}>
                      <input
                        aria-label={`Band ${i + 1} ${c.name}`}
                        inputMode={c.decimal ? "decimal" : undefined}
                        size={c.size}
                        placeholder={c.placeholder}
                        value={c.text(b)}
                        onInput={(e) => setBand(i, c.change(e.currentTarget.value))}
                      />
                    </td>
                  ))}
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
