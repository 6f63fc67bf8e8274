// The tariff pages' own navigation: tariffs, the switching analyser and the cost report.
import { Tabs } from "../ui/tabs";

const TABS = [
  ["/tariffs", "Tariffs"],
  ["/tariffs/switching", "Switching analysis"],
  ["/tariffs/costs", "Cost report"],
] as const;

export const TariffTabs = () => <Tabs label="Tariffs" tabs={TABS} />;
