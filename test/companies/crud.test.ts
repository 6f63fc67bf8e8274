// Companies and their regions: creating, listing within the caller's view, deleting an empty company;
// a taken name is 409 naming the field, also when two creates race.
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, race, seedEstate } from "../helpers";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

describe("companies", () => {
  it("creates a company and 409s a taken name", async () => {
    const res = await call("POST", "/api/companies", { name: "Charlie Group" }, { cookie: admin });
    expect(res.status).toBe(201);
    expect(await json(res)).toEqual({ id: expect.any(Number), name: "Charlie Group", isDefault: false });
    const dup = await call("POST", "/api/companies", { name: "Acme Estates" }, { cookie: admin });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual({
      error: { code: "conflict", message: 'a company named "Acme Estates" exists', field: "name" },
    });
  });

  it("two concurrent creates of the same name: one 201, one 409 (never 500)", async () => {
    const { statuses, conflict } = await race([
      call("POST", "/api/companies", { name: "Race Co" }, { cookie: admin }),
      call("POST", "/api/companies", { name: "Race Co" }, { cookie: admin }),
    ]);
    expect(statuses).toEqual([201, 409]);
    expect(conflict).toEqual({
      error: { code: "conflict", message: 'a company named "Race Co" exists', field: "name" },
    });
  });

  it("deletes only an empty company that is not the default", async () => {
    const withSites = await call("DELETE", "/api/companies/10", undefined, { cookie: admin });
    expect(withSites.status).toBe(409);
    expect(await json(withSites)).toEqual({
      error: { code: "conflict", message: "the company still has 2 sites; move or delete them first" },
    });
    const fallback = await call("DELETE", "/api/companies/1", undefined, { cookie: admin });
    expect(fallback.status).toBe(409);
    expect(await json(fallback)).toEqual({
      error: { code: "conflict", message: "the default company cannot be deleted" },
    });
    const empty = await json(
      await call("POST", "/api/companies", { name: "Short Lived" }, { cookie: admin }),
    );
    expect((await call("DELETE", `/api/companies/${empty.id}`, undefined, { cookie: admin })).status).toBe(
      204,
    );
    const gone = await call("DELETE", `/api/companies/${empty.id}`, undefined, { cookie: admin });
    expect(await json(gone)).toEqual({ error: { code: "not_found", message: "company not found" } });
  });
});

describe("regions", () => {
  it("creates a region in a company and lists them by company", async () => {
    const res = await call("POST", "/api/regions", { name: "South", companyId: 10 }, { cookie: admin });
    expect(res.status).toBe(201);
    const south = await json(res);
    expect(south).toEqual({ id: expect.any(Number), companyId: 10, name: "South" });
    await call("POST", "/api/regions", { name: "Central", companyId: 20 }, { cookie: admin });
    const acme = await json(await call("GET", "/api/regions?companyId=10", undefined, { cookie: admin }));
    expect(acme.data).toEqual([
      { id: 100, companyId: 10, name: "North" },
      { id: south.id, companyId: 10, name: "South" },
    ]);
  });

  it("409s a name the company already has, 404s a company the caller cannot see", async () => {
    const dup = await call("POST", "/api/regions", { name: "North", companyId: 10 }, { cookie: admin });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual({
      error: { code: "conflict", message: 'the company already has a region named "North"', field: "name" },
    });
    expect(
      (await call("POST", "/api/regions", { name: "North", companyId: 20 }, { cookie: admin })).status,
    ).toBe(201);
    const missing = await call("POST", "/api/regions", { name: "X", companyId: 999 }, { cookie: admin });
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual({ error: { code: "not_found", message: "company not found" } });
  });

  it("two concurrent creates of the same name in a company: one 201, one 409 (never 500)", async () => {
    const body = { name: "Race Region", companyId: 20 };
    const { statuses, conflict } = await race([
      call("POST", "/api/regions", body, { cookie: admin }),
      call("POST", "/api/regions", body, { cookie: admin }),
    ]);
    expect(statuses).toEqual([201, 409]);
    expect(conflict).toEqual({
      error: {
        code: "conflict",
        message: 'the company already has a region named "Race Region"',
        field: "name",
      },
    });
  });
});
