// A stand-in for the Carbon Intensity API in the answer shapes the real one uses (reference:
// ../shared/reference/uk-energy.md): national `data` arrays with null actuals for future half-hours,
// regional fw48h with a `regions` list, regional from/to answers with `data` as one object (no
// `dnoregion`), the postcode form, and the generation mix. Figures are simple functions of the time so
// tests can compute what must be stored. Installed as the global fetch; nothing reaches the network.
import { vi } from "vitest";

export const HH = 30 * 60_000;
const apiTime = (ms: number) => new Date(ms).toISOString().slice(0, 16) + "Z";
const parse = (t: string) => Date.parse(t);

/** Forecast of a half-hour: 100 + the half-hour of the day (0–47) in UTC, so each is known by heart. */
export const forecastAt = (ms: number) => 100 + Math.floor((ms % 86_400_000) / HH);
/** Actual: the forecast + 5. */
export const actualAt = (ms: number) => forecastAt(ms) + 5;
/** A region's forecast: the national forecast + the region id. */
export const regionalAt = (regionId: number, ms: number) => forecastAt(ms) + regionId;

export const API_500 = {
  error: { code: "500 Internal Server Error", message: "Requested resource not found." },
};

type Override = { status?: number; body?: unknown; timeout?: boolean };

export function fakeCarbonApi(opts: { actualsUntil: number; outwardRegions?: Record<string, number> }) {
  const calls: string[] = [];
  const overrides: [RegExp, Override][] = [];
  const period = (start: number, withActual: boolean) => ({
    from: apiTime(start),
    to: apiTime(start + HH),
    intensity: {
      forecast: forecastAt(start),
      actual: withActual && start < opts.actualsUntil ? actualAt(start) : null,
      index: "moderate",
    },
  });
  const range = (from: number, to: number) => {
    const out: number[] = [];
    for (let t = from; t < to; t += HH) out.push(t);
    return out;
  };
  const mix = [
    { fuel: "gas", perc: 40 },
    { fuel: "wind", perc: 35 },
    { fuel: "nuclear", perc: 25 },
  ];
  function answer(path: string): unknown {
    let m = /^\/intensity\/([^/]+)\/fw48h$/.exec(path);
    if (m) return { data: range(parse(m[1]), parse(m[1]) + 96 * HH).map((t) => period(t, true)) };
    m = /^\/intensity\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) return { data: range(parse(m[1]), parse(m[2])).map((t) => period(t, true)) };
    m = /^\/regional\/intensity\/([^/]+)\/fw48h$/.exec(path);
    if (m)
      return {
        data: range(parse(m[1]), parse(m[1]) + 96 * HH).map((t) => ({
          from: apiTime(t),
          to: apiTime(t + HH),
          regions: [13, 12, 3].map((regionid) => ({
            regionid,
            dnoregion: "some DNO",
            shortname: "somewhere",
            intensity: { forecast: regionalAt(regionid, t), index: "moderate" },
            generationmix: mix,
          })),
        })),
      };
    m = /^\/regional\/intensity\/([^/]+)\/([^/]+)\/regionid\/(\d+)$/.exec(path);
    if (m) {
      const id = Number(m[3]);
      // The object-shaped `data` some from/to answers have, without `dnoregion`.
      return {
        data: {
          regionid: id,
          shortname: "somewhere",
          data: range(parse(m[1]), parse(m[2])).map((t) => ({
            from: apiTime(t),
            to: apiTime(t + HH),
            intensity: { forecast: regionalAt(id, t), index: "moderate" },
            generationmix: mix,
          })),
        },
      };
    }
    m = /^\/regional\/postcode\/([^/]+)$/.exec(path);
    if (m) {
      const id = opts.outwardRegions?.[m[1]];
      if (!id) return { data: [] };
      return { data: [{ regionid: id, dnoregion: "x", shortname: "y", postcode: m[1], data: [] }] };
    }
    m = /^\/generation\/([^/]+)\/pt24h$/.exec(path);
    if (m)
      return {
        data: range(parse(m[1]) - 48 * HH, parse(m[1])).map((t) => ({
          from: apiTime(t),
          to: apiTime(t + HH),
          generationmix: mix,
        })),
      };
    return undefined;
  }
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const path = decodeURIComponent(url.pathname);
    calls.push(path);
    const override = overrides.find(([re]) => re.test(path))?.[1];
    if (override?.timeout) {
      // Never answers: only the caller's timeout ends it.
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)),
      );
    }
    const body = override?.body !== undefined ? override.body : answer(path);
    const status = override?.status ?? (body === undefined ? 404 : 200);
    return Response.json(body ?? API_500, { status });
  });
  return {
    calls,
    fetch: fetchStub as unknown as typeof fetch,
    /** Answers requests whose path matches with this instead. */
    override: (re: RegExp, o: Override) => overrides.unshift([re, o]),
    clear: () => {
      overrides.length = 0;
      calls.length = 0;
    },
    install: () => vi.stubGlobal("fetch", fetchStub),
  };
}

/** Client options for tests: no waiting between retries, a short timeout. */
export const FAST = { sleep: async () => {}, backoffMs: 0, timeoutMs: 50 };
