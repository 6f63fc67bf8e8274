// Reports: not built yet; the page says so and what it will hold.
import { ComingSoon } from "../ui/feedback";

export function ReportsPage() {
  return (
    <ComingSoon title="Reports" subtitle="Consumption and cost reports for your sites, ready to export.">
      <p>
        Monthly consumption by site and meter, cost analyses against your tariffs and CSV exports are being
        built and will appear here.
      </p>
    </ComingSoon>
  );
}
