// Tariffs: not built yet; the page says so and what it will hold.
import { ComingSoon } from "../ui/feedback";

export function TariffsPage() {
  return (
    <ComingSoon title="Tariffs" subtitle="Supply contracts and the rates that price each half-hour.">
      <p>
        Recording each supply contract's unit rates (with time-of-use bands), standing charges and dates, and
        comparing what your consumption would cost under other tariffs, are being built and will appear here.
      </p>
    </ComingSoon>
  );
}
