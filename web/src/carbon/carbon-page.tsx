// Carbon: not built yet; the page says so and what it will hold.
import { ComingSoon } from "../ui/feedback";

export function CarbonPage() {
  return (
    <ComingSoon title="Carbon" subtitle="Emissions from your electricity and gas use.">
      <p>
        Emissions per site and meter (CO₂e, from the grid's carbon intensity and UK government conversion
        factors) are being built and will appear here.
      </p>
    </ComingSoon>
  );
}
