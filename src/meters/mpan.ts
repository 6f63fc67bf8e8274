// Meter identifiers: electricity MPAN cores (13 digits with a prime-weighted check digit) and gas MPRNs.
// Pure functions: the API, the CSV importers and the web UI all validate with these.
import type { Fuel } from "../enums";

const MPAN_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43] as const;

export type MeterIdResult = { ok: true; id: string } | { ok: false; reason: string };

/** The check digit the 12 leading digits of an MPAN core call for. */
export function mpanCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * MPAN_WEIGHTS[i];
  return (sum % 11) % 10;
}

/** Distributor ids 10–23 are the licensed DNOs; 24–38 independent network operators (IDNOs). */
export function isKnownDistributor(id: number): boolean {
  return id >= 10 && id <= 38;
}

/**
 * Validates an electricity MPAN and returns its 13-digit core. Accepts the core alone or a
 * full 21-character MPAN (profile class, MTC, LLFC, then the core), with spaces ignored.
 */
export function parseMpan(input: string): MeterIdResult {
  const compact = input.replace(/[\s-]/g, "").toUpperCase();
  let core = compact;
  if (compact.length === 21) {
    if (!/^\d{2}\d{3}[0-9A-Z]{3}\d{13}$/.test(compact)) {
      return {
        ok: false,
        reason: "a full MPAN is 21 characters: profile class (2 digits), MTC (3), LLFC (3), core (13 digits)",
      };
    }
    core = compact.slice(8);
  }
  if (!/^\d+$/.test(core)) return { ok: false, reason: "an MPAN core has digits only" };
  if (core.length !== 13) return { ok: false, reason: `an MPAN core has 13 digits, got ${core.length}` };
  const distributor = Number(core.slice(0, 2));
  if (!isKnownDistributor(distributor)) {
    return {
      ok: false,
      reason: `distributor id ${core.slice(0, 2)} is not a UK distributor (10–23) or IDNO (24–38)`,
    };
  }
  const expected = mpanCheckDigit(core);
  if (expected !== core.charCodeAt(12) - 48) {
    return { ok: false, reason: `check digit ${core[12]} is wrong (expected ${expected})` };
  }
  return { ok: true, id: core };
}

/** Validates a gas MPRN: 6 to 10 digits. */
export function parseMprn(input: string): MeterIdResult {
  const compact = input.replace(/\s/g, "");
  if (!/^\d{6,10}$/.test(compact)) return { ok: false, reason: "an MPRN has 6 to 10 digits" };
  return { ok: true, id: compact };
}

export function parseMeterId(input: string, fuel: Fuel): MeterIdResult {
  return fuel === "gas" ? parseMprn(input) : parseMpan(input);
}

/** Guess the fuel from the identifier's shape: 13 or 21 characters is an MPAN, 6–10 digits an MPRN. */
export function guessFuel(input: string): Fuel {
  const compact = input.replace(/[\s-]/g, "");
  return compact.length === 13 || compact.length === 21 ? "electricity" : "gas";
}
