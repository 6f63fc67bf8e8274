// Creating and editing an alarm: what it watches, the rule, who hears of it, and a preview of the spans
// it would have triggered on over the last 90 days (the API answers the preview from stored figures).
import { useEffect, useState } from "preact/hooks";
import {
  ALARM_METRICS,
  ALARM_OPERATORS,
  ALARM_PERIODS,
  type AlarmMetric,
  type AlarmOperator,
  type AlarmPeriod,
} from "../../../src/enums";
import { api, type Answer } from "../api";
import { asApiError, useAction, useApi } from "../query";
import { Notice } from "../ui/feedback";
import {
  CheckField,
  EditorDialog,
  optionsFrom,
  optionsOf,
  optionsOfEnum,
  SelectField,
  TextField,
  useFormState,
  type EditorProps,
} from "../ui/form";
import { formatDay, formatGbp } from "../ui/format";

export type Alarm = Answer<"/api/alarms/{id}">;
type Preview = Answer<"/api/alarms/preview", "post">;

export const METRIC_LABELS: Record<AlarmMetric, string> = {
  kwh: "Consumption (kWh)",
  baseloadKw: "Baseload (kW)",
  peakKw: "Peak demand (kW)",
  costPence: "Cost (£, incl. VAT)",
};
const PERIOD_LABELS: Record<AlarmPeriod, string> = { day: "Day", week: "Week", month: "Month" };
const OPERATOR_LABELS: Record<AlarmOperator, string> = { gt: "above", lt: "below" };
const UNITS: Record<AlarmMetric, string> = { kwh: "kWh", baseloadKw: "kW", peakKw: "kW", costPence: "£" };

/** A metric's value as shown: costPence (pence, from the API) in pounds, the others with their unit. */
export const metricValue = (metric: AlarmMetric, v: number) =>
  metric === "costPence" ? formatGbp(v / 100) : `${v.toFixed(2)} ${UNITS[metric]}`;

/** The form takes a cost threshold in pounds; the API keeps pence (to 0.01 p, so £12.34 is 1234 p exactly). */
const thresholdIn = (metric: AlarmMetric, pence: number) => (metric === "costPence" ? pence / 100 : pence);
const thresholdOut = (metric: AlarmMetric, entered: number) =>
  metric === "costPence" ? Math.round(entered * 10000) / 100 : entered;

/** How the rule reads in words, e.g. "Day kWh above 500" or "Week kW above previous + 20 %". */
export function ruleText(
  a: Pick<Alarm, "metric" | "period" | "operator" | "threshold" | "pctAbovePrevious">,
) {
  const label = METRIC_LABELS[a.metric];
  const what = `${PERIOD_LABELS[a.period]} ${label[0].toLowerCase()}${label.slice(1)} ${OPERATOR_LABELS[a.operator]}`;
  return a.pctAbovePrevious !== null
    ? `${what} the previous ${a.period} + ${a.pctAbovePrevious} %`
    : a.metric === "costPence"
      ? `${what} ${formatGbp((a.threshold ?? 0) / 100)}`
      : `${what} ${a.threshold} ${UNITS[a.metric]}`;
}

const TARGET_LABELS: Record<Draft["target"], string> = { meter: "A meter", site: "A site" };
const RULE_LABELS: Record<Draft["rule"], string> = {
  threshold: "A fixed threshold",
  pct: "The previous span + a percentage",
};

type Draft = {
  name: string;
  target: "meter" | "site";
  mpan: string;
  siteId: string;
  metric: AlarmMetric;
  period: AlarmPeriod;
  operator: AlarmOperator;
  rule: "threshold" | "pct";
  value: string;
  recipients: string;
  webhook: boolean;
  active: boolean;
};

const draftOf = (a?: Alarm): Draft => ({
  name: a?.name ?? "",
  target: a?.scope ?? "meter",
  mpan: a?.mpan ?? "",
  siteId: a && a.scope === "site" ? String(a.siteId) : "",
  metric: a?.metric ?? "kwh",
  period: a?.period ?? "day",
  operator: a?.operator ?? "gt",
  rule: a?.pctAbovePrevious != null ? "pct" : "threshold",
  value: String(a?.pctAbovePrevious ?? (a?.threshold != null ? thresholdIn(a.metric, a.threshold) : "")),
  recipients: a?.recipients.join(", ") ?? "",
  webhook: a?.webhook ?? false,
  active: a?.active ?? true,
});

function bodyOf(d: Draft) {
  const value = Number(d.value);
  return {
    name: d.name,
    ...(d.target === "meter" ? { mpan: d.mpan } : { siteId: Number(d.siteId) }),
    metric: d.metric,
    period: d.period,
    operator: d.operator,
    ...(d.rule === "threshold" ? { threshold: thresholdOut(d.metric, value) } : { pctAbovePrevious: value }),
    recipients: d.recipients.split(/[\s,;]+/).filter(Boolean),
    webhook: d.webhook,
    active: d.active,
  };
}

export function AlarmDialog({ alarm, onClose, onSaved }: EditorProps & { alarm?: Alarm }) {
  const { values: d, bind, check } = useFormState(draftOf(alarm));
  const sites = useApi("/api/sites", { params: { query: { pageSize: 500 } } });
  const save = useAction(
    async () => {
      const body = bodyOf(d);
      if (!alarm) return api.post("/api/alarms", { body });
      const cleared = d.target === "meter" ? { siteId: null } : { mpan: null };
      const other = d.rule === "threshold" ? { pctAbovePrevious: null } : { threshold: null };
      return api.patch("/api/alarms/{id}", {
        params: { path: { id: alarm.id } },
        body: { ...body, ...cleared, ...other },
      });
    },
    { invalidates: ["/api/alarms"], onDone: (a) => (onClose(), onSaved?.(a.id)) },
  );
  const preview = usePreview(d);
  return (
    <EditorDialog
      noun="alarm"
      editing={alarm?.name}
      saveLabel="Save alarm"
      action={save}
      onClose={onClose}
      wide
    >
      <TextField label="Name" {...bind("name")} />
      <SelectField label="Watches" {...bind("target")} options={optionsFrom(TARGET_LABELS)} />
      {d.target === "meter" ? (
        <TextField label="Meter (MPAN or MPRN)" {...bind("mpan")} class="mono" />
      ) : (
        <SelectField
          label="Site"
          {...bind("siteId")}
          options={optionsOf(sites.data?.data ?? [], "Choose a site")}
        />
      )}
      <SelectField label="Metric" {...bind("metric")} options={optionsOfEnum(ALARM_METRICS, METRIC_LABELS)} />
      <SelectField label="Over a" {...bind("period")} options={optionsOfEnum(ALARM_PERIODS, PERIOD_LABELS)} />
      <SelectField
        label="When it is"
        {...bind("operator")}
        options={optionsOfEnum(ALARM_OPERATORS, OPERATOR_LABELS)}
      />
      <SelectField label="Compared with" {...bind("rule")} options={optionsFrom(RULE_LABELS)} />
      <TextField
        label={
          d.rule === "threshold" ? `Threshold (${UNITS[d.metric]})` : "Percentage over the previous span"
        }
        inputMode="decimal"
        {...bind("value")}
        name={d.rule === "threshold" ? "threshold" : "pctAbovePrevious"}
      />
      <TextField label="Email recipients" {...bind("recipients")} hint="Addresses separated by commas." />
      <CheckField {...check("webhook")}>Also post to the alert webhook</CheckField>
      <CheckField {...check("active")}>Active</CheckField>
      <section aria-label="Preview" data-testid="alarm-preview">
        <h3>Last 90 days</h3>
        {preview.error ? (
          <p class="muted small">{preview.error}</p>
        ) : !preview.data ? (
          <p class="muted small">Fill in the rule to see what it would have triggered.</p>
        ) : preview.data.data.length === 0 ? (
          <Notice>It would not have triggered.</Notice>
        ) : (
          <>
            <p>
              It would have triggered on {preview.data.data.length} {d.period}
              {preview.data.data.length === 1 ? "" : "s"}:
            </p>
            <ul class="preview-list">
              {preview.data.data.map((b) => (
                <li key={b.from}>
                  {b.from === b.to ? formatDay(b.from) : `${formatDay(b.from)} – ${formatDay(b.to)}`}:{" "}
                  {metricValue(d.metric, b.value)} (threshold {metricValue(d.metric, b.threshold)})
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </EditorDialog>
  );
}

/** The preview of a draft, asked for again half a second after the draft stops changing. */
function usePreview(d: Draft): { data?: Preview; error?: string } {
  const [state, setState] = useState<{ data?: Preview; error?: string }>({});
  const key = JSON.stringify(bodyOf({ ...d, name: d.name || "preview" }));
  useEffect(() => {
    const ready = d.value !== "" && (d.target === "meter" ? d.mpan : d.siteId);
    if (!ready) return setState({});
    let live = true;
    const t = setTimeout(() => {
      api
        .post("/api/alarms/preview", { body: JSON.parse(key) })
        .then((data) => live && setState({ data }))
        .catch((err) => live && setState({ error: asApiError(err).message }));
    }, 500);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key]);
  return state;
}
