// Grid carbon intensity, pure: the Carbon Intensity API's answers parsed into half-hours, the index
// bands by year, the trend and colour the widget shows, and the cleanest window to run a flexible load.
// No bindings, no I/O. Times are epoch ms (UTC) of a half-hour's start; the API speaks "YYYY-MM-DDThh:mmZ".
import { MS_PER_PERIOD } from "../time/settlement";

export const INDEXES = ["very low", "low", "moderate", "high", "very high"] as const;
export type IntensityIndex = (typeof INDEXES)[number];

/** The 17 regions of the API (regionid → short name). */
export const GRID_REGIONS: Record<number, string> = {
  1: "North Scotland",
  2: "South Scotland",
  3: "North West England",
  4: "North East England",
  5: "Yorkshire",
  6: "North Wales",
  7: "South Wales",
  8: "West Midlands",
  9: "East Midlands",
  10: "East England",
  11: "South West England",
  12: "South England",
  13: "London",
  14: "South East England",
  15: "England",
  16: "Scotland",
  17: "Wales",
};
export const GRID_REGION_IDS = Object.keys(GRID_REGIONS).map(Number);

export type GenerationMix = { fuel: string; perc: number }[];

export type NationalHalfHour = {
  start: number;
  forecast: number | null;
  actual: number | null;
  /** The API's index; null when it gave none (the band for the year is used then). */
  index: IntensityIndex | null;
};

export type RegionalHalfHour = {
  regionId: number;
  start: number;
  forecast: number | null;
  index: IntensityIndex | null;
  mix: GenerationMix | null;
};

export type GenerationHalfHour = { start: number; mix: GenerationMix };

/** A malformed answer: the poll records it as that request's failure instead of storing half a shape. */
export class CarbonApiError extends Error {
  // A plain field (not a constructor parameter property) so Node can load this module by stripping types.
  readonly code: "http" | "timeout" | "network" | "shape";
  constructor(code: CarbonApiError["code"], message: string) {
    super(message);
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// times

/** "2018-01-20T12:00Z" (also with seconds or ":00.000Z") → epoch ms; NaN when it is not such a time. */
export function parseApiTime(text: unknown): number {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(text)) return NaN;
  return Date.parse(text);
}

/** epoch ms → "YYYY-MM-DDThh:mmZ", the form the API takes in its paths. */
export const apiTime = (ms: number) => new Date(ms).toISOString().slice(0, 16) + "Z";

/** The start of the half-hour an instant falls in. */
export const halfHourFloor = (ms: number) => Math.floor(ms / MS_PER_PERIOD) * MS_PER_PERIOD;

// ---------------------------------------------------------------------------------------------
// parsing: tolerant of the shapes the API is known to answer, strict about what is stored

/** `data` as the API gives it: an array, or (some regional answers) one object; anything else is empty. */
function dataItems(body: unknown): unknown[] {
  if (typeof body !== "object" || body === null)
    throw new CarbonApiError("shape", "the answer is not a JSON object");
  const data = (body as { data?: unknown }).data;
  if (Array.isArray(data)) return data;
  if (typeof data === "object" && data !== null) return [data];
  if (data === undefined || data === null) return [];
  throw new CarbonApiError("shape", "`data` is neither an array nor an object");
}

const record = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};

/** gCO2/kWh as a finite, non-negative number, else null (the API writes null for a future actual). */
function grams(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null;
}

function indexOf(v: unknown): IntensityIndex | null {
  return typeof v === "string" && (INDEXES as readonly string[]).includes(v) ? (v as IntensityIndex) : null;
}

function mixOf(v: unknown): GenerationMix | null {
  if (!Array.isArray(v)) return null;
  const mix = v
    .map(record)
    .filter((m) => typeof m.fuel === "string" && typeof m.perc === "number" && Number.isFinite(m.perc))
    .map((m) => ({ fuel: m.fuel as string, perc: m.perc as number }));
  return mix.length ? mix : null;
}

/** A half-hour item's start, when its from/to are a real half-hour (others are skipped, not stored). */
function halfHourStart(item: Record<string, unknown>): number | null {
  const from = parseApiTime(item.from);
  const to = parseApiTime(item.to);
  if (Number.isNaN(from) || to - from !== MS_PER_PERIOD || from % MS_PER_PERIOD !== 0) return null;
  return from;
}

/** The items of a list of half-hours (`{from, to, …}`), each with its start; items off the half-hour are skipped. */
function* halfHourItems(items: unknown[]): Generator<{ item: Record<string, unknown>; start: number }> {
  for (const raw of items) {
    const item = record(raw);
    const start = halfHourStart(item);
    if (start !== null) yield { item, start };
  }
}

/** `/intensity/...` answers (fw24h, fw48h, pt24h, from/to). */
export function parseNational(body: unknown): NationalHalfHour[] {
  const out: NationalHalfHour[] = [];
  for (const { item, start } of halfHourItems(dataItems(body))) {
    const intensity = record(item.intensity);
    const forecast = grams(intensity.forecast);
    const actual = grams(intensity.actual);
    if (forecast === null && actual === null) continue;
    out.push({ start, forecast, actual, index: indexOf(intensity.index) });
  }
  return out;
}

/** One regional entry: its region id and intensity, from a `regions` list or a region-shaped object. */
function regionalEntry(start: number, raw: unknown, regionId?: number): RegionalHalfHour | null {
  const region = record(raw);
  const id = typeof region.regionid === "number" ? region.regionid : regionId;
  if (id === undefined || !GRID_REGIONS[id]) return null;
  const intensity = record(region.intensity);
  const forecast = grams(intensity.forecast);
  if (forecast === null) return null;
  return { regionId: id, start, forecast, index: indexOf(intensity.index), mix: mixOf(region.generationmix) };
}

/**
 * Regional answers, every known form: `/regional/intensity/{from}/fw48h` (`data: [{from, to, regions: […]}]`),
 * `/regional/postcode/{pc}` and `/regional/regionid/{id}` (`data: [{regionid, …, data: [{from, to, intensity}]}]`),
 * and `/regional/intensity/{from}/{to}/postcode|regionid/…`, whose `data` is one such object (and may lack
 * `dnoregion`). `regionId` names the region when the answer does not.
 */
export function parseRegional(body: unknown, regionId?: number): RegionalHalfHour[] {
  const out: RegionalHalfHour[] = [];
  for (const raw of dataItems(body)) {
    const item = record(raw);
    if (Array.isArray(item.regions)) {
      const start = halfHourStart(item);
      if (start === null) continue;
      for (const region of item.regions) {
        const entry = regionalEntry(start, region);
        if (entry) out.push(entry);
      }
    } else if (Array.isArray(item.data)) {
      const id = typeof item.regionid === "number" ? item.regionid : regionId;
      for (const { item: period, start } of halfHourItems(item.data)) {
        const entry = regionalEntry(start, period, id);
        if (entry) out.push(entry);
      }
    }
  }
  return out;
}

/** The region of a `/regional/postcode/{outward}` answer, or null when it names none. */
export function parsePostcodeRegion(body: unknown): number | null {
  for (const raw of dataItems(body)) {
    const id = record(raw).regionid;
    if (typeof id === "number" && GRID_REGIONS[id]) return id;
  }
  return null;
}

/** `/generation/{from}/pt24h` (also the single-object `data` of `/generation`). */
export function parseGeneration(body: unknown): GenerationHalfHour[] {
  const out: GenerationHalfHour[] = [];
  for (const { item, start } of halfHourItems(dataItems(body))) {
    const mix = mixOf(item.generationmix);
    if (mix) out.push({ start, mix });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// index bands: the methodology's table, by the year of the half-hour (upper bounds of very low…high)

const BANDS: Record<number, [number, number, number, number]> = {
  2023: [39, 119, 199, 290],
  2024: [34, 109, 189, 270],
  2025: [29, 99, 179, 250],
  2026: [24, 89, 169, 230],
  2027: [19, 79, 159, 210],
  2028: [14, 69, 149, 190],
  2029: [9, 59, 139, 170],
  2030: [4, 49, 129, 150],
};
const FIRST_BAND_YEAR = 2023;
const LAST_BAND_YEAR = 2030;

/**
 * The band of an intensity in the year of the half-hour (UTC year of its start). Years before 2023 use
 * 2023's bands and years after 2030 use 2030's: the methodology publishes none for them.
 */
export function bandFor(grams: number, start: number): IntensityIndex {
  const year = Math.min(LAST_BAND_YEAR, Math.max(FIRST_BAND_YEAR, new Date(start).getUTCFullYear()));
  const limits = BANDS[year];
  // The table's bounds are whole grams ("0–24", "25–89"): 24.5 rounds into the band above.
  const g = Math.round(grams);
  const i = limits.findIndex((upper) => g <= upper);
  return INDEXES[i === -1 ? 4 : i];
}

/** The API's index when it gave one, else the band of the actual (or forecast) for the year. */
export function indexFor(h: {
  start: number;
  forecast: number | null;
  actual?: number | null;
  index: IntensityIndex | null;
}) {
  if (h.index) return h.index;
  const value = h.actual ?? h.forecast;
  return value === null || value === undefined ? null : bandFor(value, h.start);
}

/** The widget's colour of each band (green to dark red; colour-blind safe pair at the ends). */
export const INDEX_COLOURS: Record<IntensityIndex, string> = {
  "very low": "#1a7f37",
  low: "#57ab5a",
  moderate: "#d4a72c",
  high: "#e16f24",
  "very high": "#b62324",
};

/**
 * Where intensity is heading: the mean forecast of the next two hours against now. Under 5 % apart is
 * `steady` (forecasts move by a few grams between polls without meaning anything).
 */
export function trendOf(now: number, next: number[]): "rising" | "falling" | "steady" {
  if (next.length === 0 || now <= 0) return "steady";
  const mean = next.reduce((a, b) => a + b, 0) / next.length;
  const change = (mean - now) / now;
  return change > 0.05 ? "rising" : change < -0.05 ? "falling" : "steady";
}

// ---------------------------------------------------------------------------------------------
// the best time to run a flexible load

export type Window = { from: number; to: number; meanIntensity: number; saving: number; savingPct: number };

/**
 * The cleanest contiguous windows of `periods` half-hours in a forecast series (ascending starts; a
 * missing half-hour breaks contiguity), best first, at most `count`, none overlapping a better one.
 * Saving is against starting at the series' first half-hour ("now"): gCO2/kWh and percent of that mean.
 */
export function bestWindows(
  series: { start: number; value: number }[],
  periods: number,
  count = 3,
): Window[] {
  if (periods < 1 || series.length < periods) return [];
  const candidates: { i: number; mean: number }[] = [];
  let sum = 0;
  let runStart = 0;
  for (let i = 0; i < series.length; i++) {
    if (i > 0 && series[i].start - series[i - 1].start !== MS_PER_PERIOD) {
      runStart = i;
      sum = 0;
    }
    sum += series[i].value;
    if (i - runStart >= periods) sum -= series[i - periods].value;
    if (i - runStart + 1 >= periods) candidates.push({ i: i - periods + 1, mean: sum / periods });
  }
  const nowWindow = candidates.find((c) => c.i === 0);
  // Ties go to the earlier window: running sooner is worth something.
  candidates.sort((a, b) => a.mean - b.mean || a.i - b.i);
  const chosen: { i: number; mean: number }[] = [];
  for (const c of candidates) {
    if (chosen.length >= count) break;
    if (chosen.some((o) => c.i < o.i + periods && o.i < c.i + periods)) continue;
    chosen.push(c);
  }
  return chosen.map(({ i, mean }) => {
    const reference = nowWindow?.mean ?? mean;
    const saving = reference - mean;
    return {
      from: series[i].start,
      to: series[i].start + periods * MS_PER_PERIOD,
      meanIntensity: mean,
      saving,
      savingPct: reference > 0 ? (saving / reference) * 100 : 0,
    };
  });
}

/** The outward code of a normalised postcode ("SW1A 1AA" → "SW1A"). */
export const outwardCode = (postcode: string) => postcode.trim().split(/\s+/)[0].toUpperCase();
