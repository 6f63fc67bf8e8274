// Tariffs to start from in the editor: the common UK shapes, with typical 2026 rates to overwrite.
// Times are Europe/London unless the clock says UTC (an Economy 7 meter whose clock stays on GMT).
import type { TariffBand, TariffInput } from "../api";

export type TariffDraft = TariffInput;

const base = {
  fuel: "electricity",
  validFrom: "2026-04-01",
  validTo: null,
  standingChargePence: 45,
  vatRate: 0.2,
  ccl: true,
  active: true,
  supplierId: null,
} as const;

type Day = NonNullable<TariffBand["days"]>[number];
const weekdays: Day[] = ["mon", "tue", "wed", "thu", "fri"];

/** A band as a row of the tables below: name, pence per kWh, start, end and (if not every day) its days. */
type BandRow = [name: string, pencePerKwh: number, start: string, end: string, days?: Day[]];

const bandOf = ([name, pencePerKwh, start, end, days]: BandRow): TariffBand =>
  days ? { name, pencePerKwh, start, end, days } : { name, pencePerKwh, start, end };

type Template = { id: string; label: string; draft: TariffDraft };

/** A time-of-use template from its table of bands (London clock unless the meter's stays on GMT). */
function timeOfUse(id: string, label: string, name: string, rows: BandRow[], clock?: "utc"): Template {
  return {
    id,
    label,
    draft: { ...base, name, type: "tou", clock: clock ?? "local", bands: rows.map(bandOf) },
  };
}

const economy7: BandRow[] = [
  ["Night", 13.5, "00:00", "07:00"],
  ["Day", 30.5, "07:00", "00:00"],
];

export const TEMPLATES: Template[] = [
  {
    id: "flat",
    label: "Flat rate",
    draft: { ...base, name: "Fixed rate", type: "flat", unitRatePence: 24.5 },
  },
  timeOfUse("e7", "Economy 7", "Economy 7", economy7),
  timeOfUse("e7-gmt", "Economy 7 (meter clock on GMT)", "Economy 7 (GMT clock)", economy7, "utc"),
  timeOfUse("go", "Octopus Go", "Octopus Go", [
    ["Go", 8.5, "00:30", "05:30"],
    ["Standard", 28, "05:30", "00:30"],
  ]),
  timeOfUse("cosy", "Cosy", "Cosy", [
    ["Cosy", 14, "04:00", "07:00"],
    ["Standard", 27, "07:00", "13:00"],
    ["Cosy", 14, "13:00", "16:00"],
    ["Peak", 40, "16:00", "19:00"],
    ["Standard", 27, "19:00", "04:00"],
  ]),
  timeOfUse("rag", "DUoS red/amber/green (Eastern)", "DUoS RAG (Eastern)", [
    ["Green", 18, "23:00", "07:00", weekdays],
    ["Amber", 24, "07:00", "16:00", weekdays],
    ["Red", 42, "16:00", "19:00", weekdays],
    ["Amber", 24, "19:00", "23:00", weekdays],
    ["Green", 18, "00:00", "00:00", ["sat", "sun"]],
  ]),
  { id: "agile", label: "Agile (dynamic prices)", draft: { ...base, name: "Agile", type: "dynamic" } },
];
