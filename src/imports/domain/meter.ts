// Meter identifiers as written in supplier files: 13-digit MPAN cores and 21-character full MPANs
// (validated, stored by core) or 6–10 digit gas MPRNs. Anything else is a bad identifier.

import { parseMpan, parseMprn } from "../../meters/mpan";

export type MeterIdCheck = { ok: true; id: string } | { ok: false; reason: string };

export function canonicalMeterId(raw: string): MeterIdCheck {
  const compact = raw.replace(/[\s-]/g, "");
  if (compact.length === 13 || compact.length === 21) {
    const mpan = parseMpan(compact);
    return mpan.ok ? mpan : { ok: false, reason: `MPAN ${raw.trim()}: ${mpan.reason}` };
  }
  if (compact.length >= 6 && compact.length <= 10) {
    const mprn = parseMprn(compact);
    if (mprn.ok) return mprn;
  }
  return {
    ok: false,
    reason: `${raw.trim()} is neither an MPAN (13 or 21 characters) nor an MPRN (6–10 digits)`,
  };
}
