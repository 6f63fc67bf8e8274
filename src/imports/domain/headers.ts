// Recognising supplier header names: role aliases (meter, date, value…), wide period labels
// (00:00…23:30, 00:30…24:00, 1…50, HH01, P1, kWh_1, Period 1) and units written in headers.

export type Role =
  | "meter"
  | "date"
  | "time"
  | "timestamp"
  | "start"
  | "end"
  | "period"
  | "value"
  | "register"
  | "status"
  | "total"
  | "unit";

export const ROLES: readonly Role[] = [
  "meter",
  "date",
  "time",
  "timestamp",
  "start",
  "end",
  "period",
  "value",
  "register",
  "status",
  "total",
  "unit",
];

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

/** kWh per unit named in a header ("Consumption (kWh)", "Wh", "kWh_1"), or undefined. */
export function unitFactorInHeader(header: string): number | undefined {
  const tokens = header.toLowerCase().split(/[^a-z]+/);
  if (tokens.includes("mwh")) return 1000;
  if (tokens.includes("kwh")) return 1;
  if (tokens.includes("wh")) return 0.001;
  return undefined;
}
