// The switching analyser: pick a meter or a site and a window (default: the last 90 days of data), and
// see the current bill against every other active tariff of the fuel, ranked by saving, with a bar chart
// of the bills, each alternative's breakdown on expand, and the history of stored analyses.
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { api, type SwitchingAnalysis } from "../api";
import { useAction, useApi, useApiQuery, apiQuery } from "../query";
import { navigate, useLocation } from "../router";
import { Async, noRows } from "../ui/async";
import { DataTable } from "../ui/data-table";
import { quickRange, type DateRange } from "../ui/date-range";
import { DateRangePicker } from "../ui/date-range-picker";
import { Card, Facts, Notice, PageHeader } from "../ui/feedback";
import { CheckField, Form, SelectField } from "../ui/form";
import { formatDateTime, formatKwh, today } from "../ui/format";
import { Money } from "./money";
import { TariffTabs } from "./tabs";

export function SwitchingPage() {
  const { search } = useLocation();
  const analysisId = Number(search.get("analysis")) || null;
  const [target, setTarget] = useState(() =>
    search.get("siteId")
      ? `site:${search.get("siteId")}`
      : search.get("mpan")
        ? `meter:${search.get("mpan")}`
        : "",
  );
  const [last90, setLast90] = useState(true);
  const [range, setRange] = useState<DateRange>(() => quickRange("90d", today()));
  const meters = useApi("/api/meters", { params: { query: { pageSize: 1000 } } });
  const sites = useApi("/api/sites", { params: { query: { pageSize: 500 } } });
  const run = useAction(
    () => {
      const [kind, id] = target.split(":");
      const window = last90 ? {} : range;
      return api.post("/api/analyses/switching", {
        body: kind === "site" ? { siteId: Number(id), ...window } : { mpan: id, ...window },
      });
    },
    { invalidates: ["/api/analyses"], onDone: (a) => navigate(`/tariffs/switching?analysis=${a.id}`) },
  );
  const options = [
    { value: "", label: "Choose a meter or a site…" },
    ...(meters.data?.data ?? []).map((m) => ({
      value: `meter:${m.mpan}`,
      label: `Meter ${m.mpan}${m.name ? ` (${m.name})` : ""}, ${m.siteName}`,
    })),
    ...(sites.data?.data ?? []).map((s) => ({
      value: `site:${s.id}`,
      label: `Site: ${s.name} (all its meters of one fuel)`,
    })),
  ];
  return (
    <>
      <PageHeader
        title="Switching analysis"
        subtitle="What your consumption would have cost under every other active tariff."
      />
      <TariffTabs />
      <section class="card">
        <Form
          action={run}
          submitLabel="Run analysis"
          busyLabel="Analysing…"
          canSubmit={target !== ""}
          testid="switching-form"
        >
          <SelectField
            label="Meter or site"
            name="mpan"
            value={target}
            onValue={setTarget}
            options={options}
          />
          <CheckField checked={last90} onValue={setLast90}>
            The last 90 days of data
          </CheckField>
          {!last90 && <DateRangePicker value={range} onChange={setRange} />}
        </Form>
      </section>
      {analysisId && <AnalysisView id={analysisId} />}
      <AnalysisHistory />
    </>
  );
}

function AnalysisView({ id }: { id: number }) {
  const analysis = useApiQuery(apiQuery("/api/analyses/switching/{id}", { params: { path: { id } } }));
  return <Async query={analysis}>{(a) => <AnalysisResult a={a} />}</Async>;
}

function AnalysisResult({ a }: { a: SwitchingAnalysis }) {
  const [open, setOpen] = useState<number | null>(null);
  const best = a.alternatives[0];
  const bars = [
    { name: `${a.current.name} (current)`, pence: a.current.totalPence ?? 0, current: true },
    ...a.alternatives.map((x) => ({ name: x.name, pence: x.totalPence, current: false })),
  ];
  const max = Math.max(1, ...bars.map((b) => b.pence));
  return (
    <Card
      title={
        <>
          {a.mpan ? `Meter ${a.mpan}` : a.siteName}: {a.from} to {a.to}
        </>
      }
      testid="analysis-result"
    >
      <Facts
        items={[
          [
            "Current",
            <>
              {a.current.name}: <Money pence={a.current.totalPence} />
            </>,
          ],
          [
            "Best alternative",
            best ? (
              <>
                {best.name}: saves <Money pence={best.savingPence} /> ({best.savingPct ?? "—"} %)
              </>
            ) : (
              "none"
            ),
          ],
          [
            "Annualised saving",
            <span title={a.annualisedNote}>
              <Money pence={a.annualisedSavingPence} /> a year
            </span>,
          ],
          ["Energy", formatKwh(a.current.breakdown.kwh)],
          ["Data complete", `${Math.round(a.completeness.ratio * 1000) / 10} %`],
        ]}
      />
      <p class="muted">
        Annualised: {a.annualisedNote}. Amounts include standing charges, CCL where it applies, and VAT.
      </p>
      {a.current.uncoveredDays > 0 && (
        <Notice kind="warn">
          {a.current.uncoveredDays} day(s) of the window have no tariff assigned; every tariff is priced over
          the assigned days only.
        </Notice>
      )}
      {(a.completeness.missing.days > 0 || a.completeness.missing.periods > 0) && (
        <Notice kind="warn">
          {a.completeness.missing.days} day(s) and {a.completeness.missing.periods} half-hour(s) without
          readings are left out, not invented.
        </Notice>
      )}
      <div class="hbars" role="img" aria-label="Bill under each tariff">
        {bars.map((b) => (
          <div class="hbar" key={b.name}>
            <span class="hbar-label">{b.name}</span>
            <span
              class={`hbar-bar${b.current ? " hbar-bar--current" : ""}`}
              style={{ width: `${(b.pence / max) * 100}%` }}
            />
            <span class="hbar-value">
              <Money pence={b.pence} />
            </span>
          </div>
        ))}
      </div>
      <div class="table-wrap">
        <table class="table" data-testid="ranked-table">
          <thead>
            <tr>
              <th>Rank</th>
              <th>Tariff</th>
              <th>Supplier</th>
              <th class="num">Bill</th>
              <th class="num">Saving</th>
              <th class="num">Saving %</th>
              <th>
                <span class="sr-only">Breakdown</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {a.alternatives.map((x, i) => (
              <Fragment key={x.tariffId}>
                <tr>
                  <td>{i + 1}</td>
                  <td>{x.name}</td>
                  <td>{x.supplier ?? "—"}</td>
                  <td class="num">
                    <Money pence={x.totalPence} />
                  </td>
                  <td class="num">
                    <Money pence={x.savingPence} />
                  </td>
                  <td class="num">{x.savingPct === null ? "—" : `${x.savingPct} %`}</td>
                  <td>
                    <button
                      type="button"
                      class="btn btn--small"
                      aria-expanded={open === x.tariffId}
                      onClick={() => setOpen(open === x.tariffId ? null : x.tariffId)}
                    >
                      {open === x.tariffId ? "Hide" : "Breakdown"}
                    </button>
                  </td>
                </tr>
                {open === x.tariffId && (
                  <tr>
                    <td colSpan={7}>
                      <Facts
                        items={[
                          ["Units", <Money pence={x.breakdown.unitsPence} />],
                          ["Standing charges", <Money pence={x.breakdown.standingPence} />],
                          ["CCL", <Money pence={x.breakdown.cclPence} />],
                          ["VAT", <Money pence={x.breakdown.vatPence} />],
                          ...x.breakdown.byBand.map(
                            (b) =>
                              [`${b.name} (${formatKwh(b.kwh)})`, <Money pence={b.pence} />] as [
                                string,
                                preact.ComponentChildren,
                              ],
                          ),
                        ]}
                      />
                      {(x.breakdown.unpriced.periods > 0 || x.breakdown.unpriced.days > 0) && (
                        <p class="muted">
                          Unpriced: {x.breakdown.unpriced.periods} half-hour(s) without a price,{" "}
                          {x.breakdown.unpriced.days} daily-total day(s) (
                          {formatKwh(x.breakdown.unpriced.kwh)}).
                        </p>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {a.alternatives.length === 0 && (
        <p class="muted">No other active tariff of this fuel to compare with.</p>
      )}
    </Card>
  );
}

function AnalysisHistory() {
  const list = useApi("/api/analyses/switching");
  return (
    <Card title="Past analyses">
      <Async query={list} isEmpty={noRows} empty="No analyses yet.">
        {(l) => (
          <DataTable
            rows={l.data}
            columns={[
              { header: "Run", class: "nowrap", cell: (r) => formatDateTime(r.createdAt) },
              { header: "Meter or site", cell: (r) => (r.mpan ? `Meter ${r.mpan}` : r.siteName) },
              { header: "Window", class: "nowrap", cell: (r) => `${r.from} → ${r.to}` },
              { header: "Current bill", class: "num", cell: (r) => <Money pence={r.currentTotalPence} /> },
              { header: "Best", cell: (r) => (r.best ? r.best.name : "—") },
              { header: "Saving", class: "num", cell: (r) => <Money pence={r.best?.savingPence} /> },
            ]}
            actions={(r) => (
              <button
                type="button"
                class="btn btn--small"
                onClick={() => navigate(`/tariffs/switching?analysis=${r.id}`)}
              >
                Open
              </button>
            )}
          />
        )}
      </Async>
    </Card>
  );
}
