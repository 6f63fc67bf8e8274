// Valid and invalid identifiers; check digits recomputed by hand with the prime weights 3,5,7,13,17,19,23,29,31,37,41,43
// (sum of digit × weight, mod 11, mod 10): 2499999999990 has a wrong check digit, 8699999999991 no distributor 86.
import { describe, expect, it } from "vitest";
import { mpanCheckDigit, parseMeterId, parseMpan, parseMprn } from "../../src/meters/mpan";

describe("MPAN", () => {
  it.each(["1030006718997", "2499999999991", "1312345678907", "2200012767323", "2000006183919"])(
    "accepts %s",
    (core) => {
      expect(parseMpan(core)).toEqual({ ok: true, id: core });
    },
  );

  it("computes the prime-weighted check digit: 1030006718997 sums to 1448, 1448 % 11 = 7", () => {
    expect(mpanCheckDigit("103000671899")).toBe(7);
  });

  it("rejects a bad check digit", () => {
    expect(parseMpan("2499999999990")).toEqual({ ok: false, reason: "check digit 0 is wrong (expected 1)" });
  });

  it("rejects a distributor outside 10–38", () => {
    expect(parseMpan("8699999999991")).toEqual({
      ok: false,
      reason: "distributor id 86 is not a UK distributor (10–23) or IDNO (24–38)",
    });
    expect(parseMpan("0930006718997").ok).toBe(false);
  });

  it("accepts IDNO distributors 24–38", () => {
    expect(parseMpan("2499999999991").ok).toBe(true);
  });

  it("stores a full 21-character MPAN by its core, spaces and letters in the LLFC allowed", () => {
    expect(parseMpan("00 801 A12 1030006718997")).toEqual({ ok: true, id: "1030006718997" });
    expect(parseMpan("058011231312345678907")).toEqual({ ok: true, id: "1312345678907" });
  });

  it("rejects wrong lengths and letters", () => {
    expect(parseMpan("103000671899")).toEqual({ ok: false, reason: "an MPAN core has 13 digits, got 12" });
    expect(parseMpan("10300067189X7")).toEqual({ ok: false, reason: "an MPAN core has digits only" });
  });
});

describe("MPRN", () => {
  it.each(["123456", "3212345678"])("accepts %s", (id) => expect(parseMprn(id)).toEqual({ ok: true, id }));
  it.each(["12345", "12345678901", "12AB56"])("rejects %s", (id) =>
    expect(parseMprn(id)).toEqual({ ok: false, reason: "an MPRN has 6 to 10 digits" }),
  );
  it("is chosen by fuel", () => {
    expect(parseMeterId("123456", "gas").ok).toBe(true);
    expect(parseMeterId("123456", "electricity").ok).toBe(false);
  });
});
