import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, race, seedEstate } from "../helpers";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

describe("sites", () => {
  it("creates in the default company without companyId, normalising the postcode", async () => {
    const res = await call(
      "POST",
      "/api/sites",
      { name: "Leeds Yard", postcode: "ls11ba", address: "1 Dock St" },
      { cookie: admin },
    );
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({
      name: "Leeds Yard",
      postcode: "LS1 1BA",
      companyId: 1,
      companyName: "Default company",
      meterCount: 0,
    });
  });

  it("409 for a duplicate name in the same company, fine in another", async () => {
    const dup = await call("POST", "/api/sites", { name: "Acme Depot", companyId: 10 }, { cookie: admin });
    expect(dup.status).toBe(409);
    expect((await json(dup)).error.field).toBe("name");
    expect(
      (await call("POST", "/api/sites", { name: "Acme Depot", companyId: 20 }, { cookie: admin })).status,
    ).toBe(201);
  });

  it("two concurrent creates of the same name in a company: one 201, one 409 (never 500)", async () => {
    const body = { name: "Race Yard", companyId: 20 };
    const { statuses, conflict } = await race([
      call("POST", "/api/sites", body, { cookie: admin }),
      call("POST", "/api/sites", body, { cookie: admin }),
    ]);
    expect(statuses).toEqual([201, 409]);
    expect(conflict).toEqual({
      error: { code: "conflict", message: 'the company already has a site named "Race Yard"', field: "name" },
    });
  });

  it("two sites renamed to the same name at once: one 200, one 409", async () => {
    const a = await json(
      await call("POST", "/api/sites", { name: "Rename A", companyId: 20 }, { cookie: admin }),
    );
    const b = await json(
      await call("POST", "/api/sites", { name: "Rename B", companyId: 20 }, { cookie: admin }),
    );
    const { statuses, conflict } = await race([
      call("PATCH", `/api/sites/${a.id}`, { name: "Renamed" }, { cookie: admin }),
      call("PATCH", `/api/sites/${b.id}`, { name: "Renamed" }, { cookie: admin }),
    ]);
    expect(statuses).toEqual([200, 409]);
    expect(conflict).toEqual({
      error: { code: "conflict", message: 'the company already has a site named "Renamed"', field: "name" },
    });
  });

  it("a rename to a name the company already has is 409; keeping its own name is fine", async () => {
    const dup = await call("PATCH", "/api/sites/1001", { name: "Acme North Office" }, { cookie: admin });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual({
      error: {
        code: "conflict",
        message: 'the company already has a site named "Acme North Office"',
        field: "name",
      },
    });
    const same = await call("PATCH", "/api/sites/1001", { name: "Acme Depot" }, { cookie: admin });
    expect(same.status).toBe(200);
  });

  it("400s name the field", async () => {
    const cases: [unknown, string][] = [
      [{ name: "" }, "name"],
      [{ name: "X", postcode: "NOT A PC" }, "postcode"],
      [{ name: "X", floorAreaM2: -5 }, "floorAreaM2"],
      [{ name: "X", companyId: 9999 }, "companyId"],
      [{ name: "X", companyId: 20, regionId: 100 }, "regionId"],
    ];
    for (const [body, field] of cases) {
      const res = await call("POST", "/api/sites", body, { cookie: admin });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error.field).toBe(field);
    }
  });

  it("updates, refuses to delete a site with meters (409), deletes an empty one", async () => {
    const patch = await call(
      "PATCH",
      "/api/sites/1001",
      { floorAreaM2: 1200, siteType: "warehouse" },
      { cookie: admin },
    );
    expect(await json(patch)).toMatchObject({ id: 1001, floorAreaM2: 1200, siteType: "warehouse" });
    const del = await call("DELETE", "/api/sites/1001", undefined, { cookie: admin });
    expect(del.status).toBe(409);
    expect((await json(del)).error.message).toBe("the site still has 1 meter; move or delete them first");
    const created = await json(await call("POST", "/api/sites", { name: "Temp" }, { cookie: admin }));
    expect((await call("DELETE", `/api/sites/${created.id}`, undefined, { cookie: admin })).status).toBe(204);
    expect((await call("GET", `/api/sites/${created.id}`, undefined, { cookie: admin })).status).toBe(404);
  });

  it("404s are JSON", async () => {
    const res = await call("GET", "/api/sites/77777", undefined, { cookie: admin });
    expect(await json(res)).toEqual({ error: { code: "not_found", message: "site not found" } });
    const nope = await call("GET", "/api/nope", undefined, { cookie: admin });
    expect(nope.status).toBe(404);
  });
});

describe("bulk CSV import of sites and meters", () => {
  it("creates the good rows and reports each bad one with its line and reason", async () => {
    const csv = [
      "name,company,region,postcode,type,floor_area,mpan,fuel,meter_name",
      "Bulk One,Bulk Co,East,CB1 1AA,office,1500,2200012767323,electricity,Main",
      "Bulk One,Bulk Co,East,CB1 1AA,office,1500,123456,gas,Boiler",
      ",Bulk Co,,,,,,,",
      "",
      "Bulk Two,Bulk Co,,XX,office,,,,",
      "Bulk Three,Bulk Co,,,,,2499999999990,electricity,",
      "Bulk Four,Bulk Co,,,,-3,,,",
      "Bulk Five,,,,,,1030006718997,,",
      "Bulk Six,,,,spaceship,,,,",
    ].join("\n");
    const form = new FormData();
    form.append("file", new File([csv], "sites.csv", { type: "text/csv" }));
    const res = await call("POST", "/api/sites/import", form, { cookie: admin });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      sitesCreated: 1,
      metersCreated: 2,
      companiesCreated: 1,
      suppliersCreated: 0,
      errors: [
        { line: 4, field: "name", message: "site name is empty" },
        { line: 6, field: "postcode", message: '"XX" is not a UK postcode' },
        { line: 7, field: "mpan", message: "MPAN 2499999999990: check digit 0 is wrong (expected 1)" },
        { line: 8, field: "floor_area", message: 'floor area "-3" is not a positive number' },
        { line: 9, field: "mpan", message: "meter 1030006718997 already exists" },
        {
          line: 10,
          field: "type",
          message:
            'site type "spaceship" is not one of office, retail, industrial, warehouse, construction, school, healthcare, residential, other',
        },
      ],
    });
    const sites = await json(await call("GET", "/api/sites?q=Bulk", undefined, { cookie: admin }));
    expect(sites.data).toEqual([
      expect.objectContaining({
        name: "Bulk One",
        companyName: "Bulk Co",
        regionName: "East",
        meterCount: 2,
      }),
    ]);
  });

  it("415 for a binary upload and 400 for a file without a name column", async () => {
    const form = new FormData();
    form.append("file", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])], "x.png"));
    expect((await call("POST", "/api/sites/import", form, { cookie: admin })).status).toBe(415);
    const res = await SELF.fetch("http://localhost/api/sites/import", {
      method: "POST",
      headers: { Cookie: admin, "Content-Type": "text/csv" },
      body: "foo,bar\n1,2\n",
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: {
        code: "invalid",
        message: 'no site name column: headers seen were foo, bar; expected "name"',
        field: "file",
      },
    });
  });
});
