import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, MPAN_A, seedEstate } from "../helpers";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

describe("meters", () => {
  it("creates a meter (201) and refuses a second one with the same MPAN (409)", async () => {
    const body = { mpan: "2200012767323", siteId: 1000, fuel: "electricity", name: "Chiller" };
    const res = await call("POST", "/api/meters", body, { cookie: admin });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({
      mpan: "2200012767323",
      fuel: "electricity",
      siteId: 1000,
      siteName: "Acme North Office",
      name: "Chiller",
      status: "active",
    });
    const again = await call("POST", "/api/meters", body, { cookie: admin });
    expect(again.status).toBe(409);
    expect(await json(again)).toEqual({
      error: { code: "conflict", message: "meter 2200012767323 already exists", field: "mpan" },
    });
  });

  it("two concurrent creates of the same MPAN: one 201, one 409 (never 500)", async () => {
    // 1200000000011: a valid core (check digit: 3·1 + 5·2 + 43·1 = 56, 56 % 11 % 10 = 1) no other test uses.
    const body = { mpan: "1200000000011", siteId: 2000, fuel: "electricity" };
    const answers = await Promise.all([
      call("POST", "/api/meters", body, { cookie: admin }),
      call("POST", "/api/meters", body, { cookie: admin }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = answers.find((r) => r.status === 409)!;
    expect(await json(loser)).toEqual({
      error: { code: "conflict", message: "meter 1200000000011 already exists", field: "mpan" },
    });
  });

  it("stores a full MPAN by its core and finds it by either", async () => {
    const res = await call(
      "POST",
      "/api/meters",
      { mpan: "008011232000006183919", siteId: 1001, fuel: "electricity" },
      { cookie: admin },
    );
    expect(res.status).toBe(201);
    expect((await json(res)).mpan).toBe("2000006183919");
    expect(
      (await call("GET", "/api/meters/008011232000006183919", undefined, { cookie: admin })).status,
    ).toBe(200);
  });

  it.each([
    ["2499999999990", "mpan: check digit 0 is wrong (expected 1)"],
    ["8699999999991", "mpan: distributor id 86 is not a UK distributor (10–23) or IDNO (24–38)"],
  ])("400 for bad MPAN %s naming the field", async (mpan, message) => {
    const res = await call(
      "POST",
      "/api/meters",
      { mpan, siteId: 1000, fuel: "electricity" },
      { cookie: admin },
    );
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ error: { code: "invalid_mpan", message, field: "mpan" } });
  });

  it("400 for a bad MPRN and for an unknown site", async () => {
    const gas = await call(
      "POST",
      "/api/meters",
      { mpan: "12345", siteId: 1000, fuel: "gas" },
      { cookie: admin },
    );
    expect(await json(gas)).toEqual({
      error: { code: "invalid_mpan", message: "mpan: an MPRN has 6 to 10 digits", field: "mpan" },
    });
    const site = await call(
      "POST",
      "/api/meters",
      { mpan: "654321", siteId: 424242, fuel: "gas" },
      { cookie: admin },
    );
    expect(site.status).toBe(400);
    expect((await json(site)).error.field).toBe("siteId");
    const fuel = await call(
      "POST",
      "/api/meters",
      { mpan: "654321", siteId: 1000, fuel: "oil" },
      { cookie: admin },
    );
    expect((await json(fuel)).error.field).toBe("fuel");
  });

  it("updates and deletes", async () => {
    const patch = await call(
      "PATCH",
      `/api/meters/${MPAN_A}`,
      { name: "Incomer", status: "inactive", siteId: 1001 },
      { cookie: admin },
    );
    expect(await json(patch)).toMatchObject({
      mpan: MPAN_A,
      name: "Incomer",
      status: "inactive",
      siteId: 1001,
    });
    const badPatch = await call(
      "PATCH",
      `/api/meters/${MPAN_A}`,
      { mpan: "1312345678907" },
      { cookie: admin },
    );
    expect(badPatch.status).toBe(400);
    expect((await call("DELETE", `/api/meters/${MPAN_A}`, undefined, { cookie: admin })).status).toBe(204);
    expect((await call("GET", `/api/meters/${MPAN_A}`, undefined, { cookie: admin })).status).toBe(404);
    expect((await call("DELETE", `/api/meters/${MPAN_A}`, undefined, { cookie: admin })).status).toBe(404);
  });

  it("searches by MPAN, name or site", async () => {
    // By now Acme Depot holds MPAN_B and the full-MPAN meter created above.
    const res = await call("GET", "/api/meters?q=Depot", undefined, { cookie: admin });
    expect((await json(res)).data.map((m: { siteName: string }) => m.siteName)).toEqual([
      "Acme Depot",
      "Acme Depot",
    ]);
    const gas = await call("GET", "/api/meters?fuel=gas", undefined, { cookie: admin });
    expect(await json(gas)).toEqual({ data: [], total: 0 });
  });
});
