// Unique-constraint failures from D1 (however deeply drizzle wraps them) become 409 naming the field.
import { describe, expect, it } from "vitest";
import { uniqueViolation } from "../../src/http/errors";

describe("uniqueViolation", () => {
  it("names the column of a one-column key, camel-cased", () => {
    const d1 = new Error("D1_ERROR: UNIQUE constraint failed: meters.mpan: SQLITE_CONSTRAINT");
    const wrapped = new Error("Failed query: insert into meters …", { cause: d1 });
    expect(uniqueViolation(wrapped)).toMatchObject({ status: 409, code: "conflict", field: "mpan" });
    const token = new Error("UNIQUE constraint failed: api_tokens.token_hash");
    expect(uniqueViolation(token)?.field).toBe("tokenHash");
  });

  it("names the last column of a composite key (a site's name within its company)", () => {
    const err = new Error("UNIQUE constraint failed: sites.company_id, sites.name: SQLITE_CONSTRAINT");
    expect(uniqueViolation(err)).toMatchObject({
      status: 409,
      field: "name",
      message: "another record already has this name",
    });
  });

  it("leaves every other error alone", () => {
    expect(uniqueViolation(new Error("FOREIGN KEY constraint failed"))).toBeNull();
    expect(uniqueViolation("UNIQUE constraint failed: a.b")).toBeNull();
  });
});
