// How figures read on screen: one formatter each for energy, money, carbon and shares (en-GB).
import { describe, expect, it } from "vitest";
import { formatCo2, formatDay, formatGbp, formatKwh, formatPercent } from "../../web/src/ui/format";

describe("number formats", () => {
  it("give kWh two decimals when small, one up to 1,000, none above", () => {
    expect(formatKwh(0)).toBe("0 kWh");
    expect(formatKwh(0.25)).toBe("0.25 kWh");
    expect(formatKwh(24)).toBe("24 kWh");
    expect(formatKwh(123.44)).toBe("123.4 kWh");
    expect(formatKwh(12345.6)).toBe("12,346 kWh");
  });

  it("show pounds with pence", () => {
    expect(formatGbp(1234.5)).toBe("£1,234.50");
    expect(formatGbp(0.07)).toBe("£0.07");
  });

  it("scale grams of CO₂e to kilograms and tonnes", () => {
    expect(formatCo2(950)).toBe("950 gCO₂e");
    expect(formatCo2(1234)).toBe("1.23 kgCO₂e");
    expect(formatCo2(2_500_000)).toBe("2.5 tCO₂e");
  });

  it("show a fraction as a percentage with at most one decimal", () => {
    expect(formatPercent(0.125)).toBe("12.5%");
    expect(formatPercent(1)).toBe("100%");
  });

  it("write a settlement day with its weekday", () => {
    expect(formatDay("2026-10-25")).toBe("Sun 25 Oct 2026");
  });
});
