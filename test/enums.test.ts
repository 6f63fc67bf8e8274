// The shared enumerations: the role ranking every check uses (API, web and the role matrix), and the
// lists the database columns, the API schemas and the SPA all read.
import { describe, expect, it } from "vitest";
import { importJobs, meters, users } from "../src/db/schema";
import {
  FUELS,
  isOneOf,
  isTerminalJobStatus,
  JOB_STATUSES,
  lowerRole,
  METER_STATUSES,
  ROLES,
  roleAtLeast,
} from "../src/enums";
import { MeterSchema } from "../src/meters/routes";

describe("roles", () => {
  it("rank viewer < manager < admin", () => {
    expect(ROLES).toEqual(["viewer", "manager", "admin"]);
    const allowed = ROLES.flatMap((role) =>
      ROLES.filter((min) => roleAtLeast(role, min)).map((min) => `${role}≥${min}`),
    );
    expect(allowed).toEqual([
      "viewer≥viewer",
      "manager≥viewer",
      "manager≥manager",
      "admin≥viewer",
      "admin≥manager",
      "admin≥admin",
    ]);
  });

  it("take the lower of two roles for a token", () => {
    expect(lowerRole("admin", "manager")).toBe("manager");
    expect(lowerRole("viewer", "admin")).toBe("viewer");
    expect(lowerRole("manager", "manager")).toBe("manager");
  });
});

describe("job statuses", () => {
  it("are terminal once finished, failed or cancelled", () => {
    expect(JOB_STATUSES.filter(isTerminalJobStatus)).toEqual([
      "completed",
      "completed_with_errors",
      "failed",
      "cancelled",
    ]);
  });
});

it("recognises a listed value in text from outside", () => {
  expect(isOneOf(FUELS, "gas")).toBe(true);
  expect(isOneOf(FUELS, "Gas")).toBe(false);
  expect(isOneOf(FUELS, "")).toBe(false);
});

it("gives the database columns and the API schemas the same lists", () => {
  expect(importJobs.status.enumValues).toEqual([...JOB_STATUSES]);
  expect(users.role.enumValues).toEqual([...ROLES]);
  expect(meters.fuel.enumValues).toEqual([...FUELS]);
  expect(MeterSchema.shape.fuel.options).toEqual([...FUELS]);
  expect(MeterSchema.shape.status.options).toEqual([...METER_STATUSES]);
});
