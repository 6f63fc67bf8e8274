// Recognising supplier header names: role aliases (meter, date, value…), wide period labels
// (00:00…23:30, 00:30…24:00, 1…50, HH01, P1, kWh_1, Period 1) and units written in headers.

import { COLUMN_ROLES, type ColumnRole, type ImportUnit } from "../../enums";

/** A role a header name can announce: every column role but `firstValue`, which only an option names. */
export type Role = Exclude<ColumnRole, "firstValue">;

export const ROLES: readonly Role[] = COLUMN_ROLES.filter((role): role is Role => role !== "firstValue");

/** Lower case, bracketed parts (units) removed, then everything but letters and digits removed. */
export function normaliseHeader(header: string): string {
  const lower = header.toLowerCase();
  const withoutBrackets = lower.replace(/\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/g, "");
  const compact = withoutBrackets.replace(/[^a-z0-9]/g, "");
  return compact === "" ? lower.replace(/[^a-z0-9]/g, "") : compact;
}

// Normalised aliases (see normaliseHeader). Kept disjoint so one header has one role.
const ALIASES: Record<Role, string[]> = {
  meter: [
    "mpan",
    "mpancore",
    "mpanid",
    "mpannumber",
    "mpr",
    "mprn",
    "mpxn",
    "mpanmprn",
    "metercode",
    "meter",
    "meterid",
    "meteridentifier",
    "meterno",
    "meternumber",
    "meterpoint",
    "meterpointreference",
    "meterpointref",
    "supplynumber",
    "supplypoint",
    "supplypointid",
    "siteid",
    "sitempan",
    "supplympan",
    "electricitympan",
    "gasmprn",
  ],
  date: [
    "date",
    "readdate",
    "readingdate",
    "settlementdate",
    "settlementday",
    "day",
    "consumptiondate",
    "usagedate",
    "datadate",
    "meterreaddate",
  ],
  time: ["time", "readtime", "readingtime", "hhtime", "intervaltime", "periodtime", "timeofday"],
  timestamp: [
    "readdatetime",
    "readingdatetime",
    "timestamp",
    "datetime",
    "dateandtime",
    "datetimeutc",
    "timestamputc",
    "intervaldatetime",
    "localtime",
    "utctime",
  ],
  start: [
    "start",
    "periodstart",
    "intervalstart",
    "startdatetime",
    "starttime",
    "startdate",
    "from",
    "validfrom",
    "intervalfrom",
    "readstart",
    "intervalstartutc",
  ],
  end: [
    "end",
    "periodend",
    "intervalend",
    "enddatetime",
    "endtime",
    "enddate",
    "to",
    "validto",
    "intervalto",
    "readend",
    "intervalendutc",
  ],
  period: [
    "period",
    "settlementperiod",
    "sp",
    "hhperiod",
    "periodnumber",
    "hh",
    "halfhour",
    "halfhourperiod",
  ],
  value: [
    "readvalue",
    "value",
    "kwh",
    "wh",
    "mwh",
    "consumption",
    "consumptionkwh",
    "usage",
    "energy",
    "reading",
    "read",
    "readingvalue",
    "quantity",
    "importkwh",
    "activeimport",
    "import",
    "amount",
    "hhvalue",
    "dailyconsumption",
    "kwhconsumption",
    "energyconsumption",
    "usagekwh",
  ],
  register: [
    "register",
    "registerread",
    "registerreading",
    "registervalue",
    "meterread",
    "meterreading",
    "cumulative",
    "cumulativeread",
    "cumulativereading",
    "cumulativevalue",
    "index",
  ],
  status: [
    "status",
    "flag",
    "quality",
    "qualityflag",
    "readtype",
    "readingtype",
    "estimated",
    "isestimated",
    "estimate",
    "actualestimated",
    "ae",
    "readstatus",
    "datastatus",
    "estimatedflag",
    "type",
  ],
  total: ["total", "daytotal", "dailytotal", "totalkwh", "sum", "totalconsumption", "totalusage", "dailysum"],
  unit: ["unit", "uom", "unitofmeasure", "measurementunit", "units"],
};

const ALIAS_ROLE = new Map<string, Role>();
for (const role of ROLES) for (const alias of ALIASES[role]) ALIAS_ROLE.set(alias, role);

/** The role a header names by alias, if any. Headers mentioning "register" or "cumulative" are register reads. */
export function roleOfHeader(header: string): Role | undefined {
  const n = normaliseHeader(header);
  const role = ALIAS_ROLE.get(n);
  if (role) return role;
  if (n.includes("register") || n.includes("cumulative")) return "register";
  return undefined;
}

/** A yes/no "Estimated" column rather than an A/E status. */
export function isBooleanStatusHeader(header: string): boolean {
  const n = normaliseHeader(header);
  return n === "estimated" || n === "isestimated" || n === "estimatedflag" || n === "estimate";
}

const STATUS_WORDS = ["status", "flag", "quality", "estimated", "est", "type", "ae"];

// ---------------------------------------------------------------------------------------------
// wide period labels

export type PeriodLabel =
  { kind: "time"; minutes: number; explicitStart: boolean } | { kind: "number"; period: number };

const TIME_RANGE = /^(\d{1,2})[:.]?(\d{2})(?::00)?\s*(?:-|–|to)\s*(\d{1,2})[:.]?(\d{2})(?::00)?$/i;
const TIME = /^(?:[a-z_ ]*?)\s*(\d{1,2})[:.](\d{2})(?::00)?$/i;
const TIME_COMPACT = /^(\d{2})(\d{2})$/;
const NUMBERED =
  /^(?:hh|p|per|period|sp|kwh|wh|mwh|hhc|v|value|interval|int|settlementperiod|hhperiod|consumption|reading|r|c)?0*(\d{1,2})$/;

/** Drops bracketed units ("P1 (MWh)" → "P1"), then the brackets of a bracketed label ("[00:30]" → "00:30"). */
function stripBrackets(header: string): string {
  const withoutUnits = header.replace(/\([^)]*[a-z][^)]*\)|\[[^\]]*[a-z][^\]]*\]/gi, "").trim();
  return (withoutUnits === "" ? header : withoutUnits).replace(/[()[\]{}"']/g, "").trim();
}

function timeOf(h: string, m: string): number | undefined {
  const hour = Number(h);
  const minute = Number(m);
  if ((minute !== 0 && minute !== 30) || hour > 24 || (hour === 24 && minute !== 0)) return undefined;
  return hour * 60 + minute;
}

/** What a wide column header says about its period, if it is one. */
export function periodLabelOf(header: string): PeriodLabel | undefined {
  const h = stripBrackets(header);
  let m = TIME_RANGE.exec(h);
  if (m) {
    const minutes = timeOf(m[1], m[2]);
    return minutes === undefined ? undefined : { kind: "time", minutes, explicitStart: true };
  }
  m = TIME.exec(h) ?? TIME_COMPACT.exec(h);
  if (m) {
    const minutes = timeOf(m[1], m[2]);
    return minutes === undefined ? undefined : { kind: "time", minutes, explicitStart: false };
  }
  const n = NUMBERED.exec(h.toLowerCase().replace(/[^a-z0-9]/g, ""));
  if (n) {
    const period = Number(n[1]);
    if (period >= 1 && period <= 50) return { kind: "number", period };
  }
  return undefined;
}

/** A per-period status header ("Status", "Flag 3", "HH03 Status", "00:30 Quality"); `rest` is the header without the status word. */
export function periodStatusOf(header: string): { rest: string } | undefined {
  const n = normaliseHeader(header);
  if (n === "s" || n === "q" || n === "f" || n === "e") return { rest: "" };
  for (const word of STATUS_WORDS) {
    if (n === word) return { rest: "" };
    const lower = header.toLowerCase();
    const at = lower.indexOf(word);
    if (at >= 0 && (word.length > 3 || n.startsWith(word) || n.endsWith(word))) {
      return {
        rest: (header.slice(0, at) + " " + header.slice(at + word.length)).replace(/[_-]/g, " ").trim(),
      };
    }
  }
  return undefined;
}

/** The unit named in a header ("Consumption (kWh)", "Wh", "kWh_1", "Consumption (m³)", "100s of cubic feet"). */
export function unitInHeader(header: string): ImportUnit | undefined {
  const h = header.toLowerCase();
  if (/\bhcf\b|\bccf\b|(100|hundred)s? (of )?cubic f/.test(h)) return "hcf";
  if (/(^|[^a-z0-9])(ft³|ft\^?3|cu\.? ?ft)($|[^a-z0-9])|cubic f(ee|oo)t/.test(h)) return "ft3";
  if (/(^|[^a-z0-9])(m³|m\^?3|cu\.? ?m)($|[^a-z0-9])|cubic met(re|er)s?/.test(h)) return "m3";
  const tokens = h.split(/[^a-z]+/);
  if (tokens.includes("mwh")) return "MWh";
  if (tokens.includes("kwh")) return "kWh";
  if (tokens.includes("wh")) return "Wh";
  return undefined;
}

/** kWh per unit named in a header, or undefined (and for a gas volume, which needs a calorific value). */
export function unitFactorInHeader(header: string): number | undefined {
  const unit = unitInHeader(header);
  return unit === undefined ? undefined : ENERGY_UNIT_KWH[unit as EnergyUnit];
}

type EnergyUnit = "kWh" | "Wh" | "MWh";
/** kWh per energy unit. */
export const ENERGY_UNIT_KWH: Record<EnergyUnit, number> = { kWh: 1, Wh: 0.001, MWh: 1000 };
/** m³ per gas volume unit: a cubic foot is 0.0283168 m³; hcf is a hundred cubic feet. */
export const VOLUME_UNIT_M3: Record<"m3" | "ft3" | "hcf", number> = { m3: 1, ft3: 0.0283168, hcf: 2.83168 };

/** kWh in a cubic metre of gas: the volume correction factor 1.02264 times the calorific value (MJ/m³) over 3.6 MJ/kWh. */
export function kwhPerCubicMetre(calorificValue: number): number {
  return (1.02264 * calorificValue) / 3.6;
}

/** The calorific value used when neither the meter nor the import gives one (MJ/m³). */
export const DEFAULT_CALORIFIC_VALUE = 39.5;
