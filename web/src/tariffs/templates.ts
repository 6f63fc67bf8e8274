// Tariffs to start from in the editor: the common UK shapes, with typical 2026 rates to overwrite.
// Times are Europe/London unless the clock says UTC (an Economy 7 meter whose clock stays on GMT).
import type { TariffInput } from "../api";

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

const weekdays = ["mon", "tue", "wed", "thu", "fri"] as ("mon" | "tue" | "wed" | "thu" | "fri")[];

export const TEMPLATES: { id: string; label: string; draft: TariffDraft }[] = [
  {
    id: "flat",
    label: "Flat rate",
    draft: { ...base, name: "Fixed rate", type: "flat", unitRatePence: 24.5 },
  },
  {
    id: "e7",
    label: "Economy 7",
    draft: {
      ...base,
      name: "Economy 7",
      type: "tou",
      clock: "local",
      bands: [
        { name: "Night", pencePerKwh: 13.5, start: "00:00", end: "07:00" },
        { name: "Day", pencePerKwh: 30.5, start: "07:00", end: "00:00" },
      ],
    },
  },
  {
    id: "e7-gmt",
    label: "Economy 7 (meter clock on GMT)",
    draft: {
      ...base,
      name: "Economy 7 (GMT clock)",
      type: "tou",
      clock: "utc",
      bands: [
        { name: "Night", pencePerKwh: 13.5, start: "00:00", end: "07:00" },
        { name: "Day", pencePerKwh: 30.5, start: "07:00", end: "00:00" },
      ],
    },
  },
  {
    id: "go",
    label: "Octopus Go",
    draft: {
      ...base,
      name: "Octopus Go",
      type: "tou",
      clock: "local",
      bands: [
        { name: "Go", pencePerKwh: 8.5, start: "00:30", end: "05:30" },
        { name: "Standard", pencePerKwh: 28, start: "05:30", end: "00:30" },
      ],
    },
  },
  {
    id: "cosy",
    label: "Cosy",
    draft: {
      ...base,
      name: "Cosy",
      type: "tou",
      clock: "local",
      bands: [
        { name: "Cosy", pencePerKwh: 14, start: "04:00", end: "07:00" },
        { name: "Standard", pencePerKwh: 27, start: "07:00", end: "13:00" },
        { name: "Cosy", pencePerKwh: 14, start: "13:00", end: "16:00" },
        { name: "Peak", pencePerKwh: 40, start: "16:00", end: "19:00" },
        { name: "Standard", pencePerKwh: 27, start: "19:00", end: "04:00" },
      ],
    },
  },
  {
    id: "rag",
    label: "DUoS red/amber/green (Eastern)",
    draft: {
      ...base,
      name: "DUoS RAG (Eastern)",
      type: "tou",
      clock: "local",
      bands: [
        { name: "Green", pencePerKwh: 18, start: "23:00", end: "07:00", days: weekdays },
        { name: "Amber", pencePerKwh: 24, start: "07:00", end: "16:00", days: weekdays },
        { name: "Red", pencePerKwh: 42, start: "16:00", end: "19:00", days: weekdays },
        { name: "Amber", pencePerKwh: 24, start: "19:00", end: "23:00", days: weekdays },
        { name: "Green", pencePerKwh: 18, start: "00:00", end: "00:00", days: ["sat", "sun"] },
      ],
    },
  },
  { id: "agile", label: "Agile (dynamic prices)", draft: { ...base, name: "Agile", type: "dynamic" } },
];
