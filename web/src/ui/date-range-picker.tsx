// Picks a range of days: one press for the usual ranges, or two dates for any other.
import { useState } from "preact/hooks";
import { QUICK_RANGES, quickRange, quickRangeOf, type DateRange } from "./date-range";
import { today } from "./format";

export function DateRangePicker({ value, onChange }: { value: DateRange; onChange: (r: DateRange) => void }) {
  const now = today();
  const current = quickRangeOf(value, now);
  const [customOpen, setCustomOpen] = useState(current === "custom");
  const custom = customOpen || current === "custom";
  return (
    <div class="range-picker" role="group" aria-label="Date range">
      <div class="segmented">
        {QUICK_RANGES.map((q) => (
          <button
            key={q.id}
            type="button"
            aria-pressed={!custom && current === q.id}
            onClick={() => {
              setCustomOpen(false);
              onChange(quickRange(q.id, now));
            }}
          >
            {q.label}
          </button>
        ))}
        <button type="button" aria-pressed={custom} onClick={() => setCustomOpen(true)}>
          Custom
        </button>
      </div>
      {custom && (
        <div class="range-custom">
          <DateInput
            label="From"
            value={value.from}
            max={now}
            onValue={(from) => onChange({ from, to: from > value.to ? from : value.to })}
          />
          <DateInput
            label="To"
            value={value.to}
            max={now}
            onValue={(to) => onChange({ from: to < value.from ? to : value.from, to })}
          />
        </div>
      )}
    </div>
  );
}

/** A labelled date; an emptied field changes nothing. */
function DateInput(props: { label: string; value: string; max: string; onValue: (date: string) => void }) {
  return (
    <label>
      <span>{props.label}</span>
      <input
        type="date"
        value={props.value}
        max={props.max}
        onChange={(e) => e.currentTarget.value && props.onValue(e.currentTarget.value)}
      />
    </label>
  );
}
