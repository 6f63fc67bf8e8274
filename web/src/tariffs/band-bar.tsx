// Which rate applies when: a 24-hour bar per kind of day (a weekday, a weekend day, and both clock-change
// days with their 46 and 50 half-hours), drawn from the same band plan the API checks and prices with.
import { bandPlan, planKey, type Band } from "../../../src/tariffs/bands";
import {
  clockChangeDays,
  dateOfEpochDay,
  dayStartUtcOfEpochDay,
  MS_PER_DAY,
  MS_PER_MINUTE,
  MS_PER_PERIOD,
  periodsInEpochDay,
  utcOffsetMinutesAt,
} from "../../../src/time/settlement";
import { formatRate } from "./money";

const COLOURS = ["#0f766e", "#b45309", "#1d4f91", "#7c3aed", "#be123c", "#4d7c0f", "#0e7490", "#a16207"];
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

type Segment = { band: number; periods: number; startWall: number; endWall: number };

/** The day's half-hours grouped into runs of one band, on the tariff's clock. */
function segmentsOf(plan: Int8Array, epochDay: number, clock: "local" | "utc"): Segment[] {
  const segments: Segment[] = [];
  const start = dayStartUtcOfEpochDay(epochDay);
  for (let p = 0; p < periodsInEpochDay(epochDay); p++) {
    const utc = start + p * MS_PER_PERIOD;
    const wall = clock === "utc" ? utc : utc + utcOffsetMinutesAt(utc) * MS_PER_MINUTE;
    const day = Math.floor(wall / MS_PER_DAY);
    const month = Number(dateOfEpochDay(day).slice(5, 7));
    const weekday = (((day + 3) % 7) + 7) % 7;
    const band = plan[planKey(weekday, month, Math.floor((wall - day * MS_PER_DAY) / MS_PER_PERIOD))];
    const last = segments.at(-1);
    if (last && last.band === band) {
      last.periods++;
      last.endWall = wall + MS_PER_PERIOD;
    } else segments.push({ band, periods: 1, startWall: wall, endWall: wall + MS_PER_PERIOD });
  }
  return segments;
}

export function BandBar({
  bands,
  clock = "local",
  year,
}: {
  bands: Band[];
  clock?: "local" | "utc";
  year: number;
}) {
  const plan = bandPlan(bands);
  if (!(plan instanceof Int8Array)) return <p class="form-error">{plan.message}</p>;
  const names = [...new Set(bands.map((b) => b.name))];
  const colour = (band: number) => COLOURS[names.indexOf(bands[band].name) % COLOURS.length];
  const { spring, autumn } = clockChangeDays(year);
  const rows: [string, number][] = [
    ["Weekday (Wed)", spring + 3],
    ["Weekend (Sat)", spring + 6],
    [`Spring clock change, ${dateOfEpochDay(spring)} (46 half-hours)`, spring],
    [`Autumn clock change, ${dateOfEpochDay(autumn)} (50 half-hours)`, autumn],
  ];
  return (
    <div class="band-bar" data-testid="band-bar">
      {rows.map(([label, day]) => {
        const segments = segmentsOf(plan, day, clock);
        const n = periodsInEpochDay(day);
        return (
          <div class="band-bar-row" key={label}>
            <span class="band-bar-label">{label}</span>
            <div
              class="band-bar-track"
              role="img"
              aria-label={`${label}: ${segments.map((s) => `${bands[s.band].name} ${hhmm(s.startWall)}–${hhmm(s.endWall)}`).join(", ")}`}
            >
              {segments.map((s, i) => (
                <span
                  key={i}
                  class="band-bar-seg"
                  style={{ width: `${(s.periods / n) * 100}%`, background: colour(s.band) }}
                  title={`${bands[s.band].name}: ${hhmm(s.startWall)}–${hhmm(s.endWall)} ${clock === "utc" ? "UTC" : "local"} · ${formatRate(bands[s.band].pencePerKwh)} · ${s.periods} half-hours`}
                >
                  {s.periods >= 4 ? bands[s.band].name : ""}
                </span>
              ))}
            </div>
          </div>
        );
      })}
      <p class="muted band-bar-legend">
        {names.map((name) => {
          const i = bands.findIndex((b) => b.name === name);
          return (
            <span key={name}>
              <span class="band-bar-swatch" style={{ background: colour(i) }} /> {name}{" "}
              {formatRate(bands[i].pencePerKwh)}{" "}
            </span>
          );
        })}
        {clock === "utc"
          ? "Bands read on a UTC (GMT) meter clock."
          : "Bands read on local (Europe/London) time."}
      </p>
    </div>
  );
}
