// Money as the tariff pages show it: pounds on screen, the exact pence (as the API rounded them) in the
// tooltip. The API carries pence; nothing here ever labels pence as pounds.
import { formatGbp } from "../ui/format";

const penceFormat = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "1,234.56 p". */
export const formatPence = (pence: number) => `${penceFormat.format(pence)} p`;
/** Pence as pounds: "£12.35". */
export const poundsOf = (pence: number) => formatGbp(pence / 100);

export function Money({ pence, signed }: { pence: number | null | undefined; signed?: boolean }) {
  if (pence === null || pence === undefined) return <span class="muted">—</span>;
  const text = poundsOf(pence);
  return (
    <span class="money" title={formatPence(pence)}>
      {signed && pence > 0 ? `+${text}` : text}
    </span>
  );
}

/** A bill's total, as the card's headline figure. */
export const TotalMoney = ({ pence }: { pence: number }) => (
  <p class="big-number">
    <Money pence={pence} />
  </p>
);

/** A rate: "24.50 p/kWh" (rates are pence by nature; shown as such). */
export const formatRate = (pencePerKwh: number) => `${penceFormat.format(pencePerKwh)} p/kWh`;
