// The README shows the CCL table the calculator uses: this keeps the two the same.
import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { CCL_RATES } from "../../src/tariffs/ccl";

describe("the README's Climate Change Levy table", () => {
  it("is CCL_RATES, row for row", () => {
    const rows = [...readme.matchAll(/^\| (electricity|gas) \| (\d{4}-\d{2}-\d{2}) \| ([\d.]+) \|$/gm)].map(
      ([, fuel, from, rate]) => ({ fuel, from, pencePerKwh: Number(rate) }),
    );
    expect(rows).toEqual(CCL_RATES);
  });
});
