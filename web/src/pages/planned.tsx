// Reports, tariffs and carbon: not built yet. Each page says what will appear and what to do first,
// and shows no invented figures.
import { Link } from "../router";
import { useCan } from "../session";
import { EmptyState, PageHeader } from "../ui/feedback";

function FirstSteps() {
  const isAdmin = useCan("admin");
  return isAdmin ? (
    <>
      <Link href="/sites" class="btn">
        Add sites and meters
      </Link>
      <Link href="/imports" class="btn btn--primary">
        Import readings
      </Link>
    </>
  ) : (
    <Link href="/meters" class="btn">
      See your meters
    </Link>
  );
}

export function ReportsPage() {
  return (
    <>
      <PageHeader title="Reports" subtitle="Consumption and cost reports for your sites, ready to export." />
      <EmptyState title="Reports are not available yet" action={<FirstSteps />}>
        <p>
          Monthly consumption by site and meter, cost analyses against your tariffs and CSV exports will
          appear here. They are built from imported half-hourly readings, so import readings first.
        </p>
      </EmptyState>
    </>
  );
}

export function TariffsPage() {
  return (
    <>
      <PageHeader title="Tariffs" subtitle="Supply contracts and the rates that price each half-hour." />
      <EmptyState title="No tariffs yet" action={<FirstSteps />}>
        <p>
          Here you will record each supply contract's unit rates (with time-of-use bands), standing charges
          and dates, and compare what your consumption would cost under alternative tariffs. Comparisons need
          imported readings.
        </p>
      </EmptyState>
    </>
  );
}

export function CarbonPage() {
  return (
    <>
      <PageHeader title="Carbon" subtitle="Emissions from your electricity and gas use." />
      <EmptyState title="No carbon figures yet" action={<FirstSteps />}>
        <p>
          Emissions per site and meter (kg CO₂e, using UK government conversion factors for each fuel) will
          appear here once readings have been imported.
        </p>
      </EmptyState>
    </>
  );
}
