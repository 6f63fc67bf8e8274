// Suppliers: add, rename, remove (their meters keep no supplier); a taken name is 409 naming the field,
// also when two writers race for it.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, MPAN_A, race, seedEstate } from "../helpers";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

const add = async (name: string) => json(await call("POST", "/api/suppliers", { name }, { cookie: admin }));

describe("suppliers", () => {
  it("adds, lists by name and 409s a taken name", async () => {
    const res = await call(
      "POST",
      "/api/suppliers",
      { name: "Octopus", contactEmail: "ops@octopus.example" },
      { cookie: admin },
    );
    expect(res.status).toBe(201);
    const octopus = await json(res);
    expect(octopus).toEqual({ id: octopus.id, name: "Octopus", contactEmail: "ops@octopus.example" });
    const edf = await add("EDF");
    const { data } = await json(await call("GET", "/api/suppliers", undefined, { cookie: admin }));
    expect(data).toEqual([{ id: edf.id, name: "EDF", contactEmail: null }, octopus]);
    const dup = await call("POST", "/api/suppliers", { name: "Octopus" }, { cookie: admin });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual({
      error: { code: "conflict", message: 'supplier "Octopus" exists', field: "name" },
    });
  });

  it("renames, 409s a rename to another supplier's name, keeps its own", async () => {
    const a = await add("Rename Me");
    await add("Taken Name");
    const taken = await call("PATCH", `/api/suppliers/${a.id}`, { name: "Taken Name" }, { cookie: admin });
    expect(taken.status).toBe(409);
    expect(await json(taken)).toEqual({
      error: { code: "conflict", message: 'supplier "Taken Name" exists', field: "name" },
    });
    const own = await call("PATCH", `/api/suppliers/${a.id}`, { name: "Rename Me" }, { cookie: admin });
    expect(own.status).toBe(200);
    const renamed = await call("PATCH", `/api/suppliers/${a.id}`, { name: "Renamed" }, { cookie: admin });
    expect(await json(renamed)).toEqual({ id: a.id, name: "Renamed", contactEmail: null });
  });

  it("two concurrent creates of the same name: one 201, one 409 (never 500)", async () => {
    const { statuses, conflict } = await race([
      call("POST", "/api/suppliers", { name: "Race Power" }, { cookie: admin }),
      call("POST", "/api/suppliers", { name: "Race Power" }, { cookie: admin }),
    ]);
    expect(statuses).toEqual([201, 409]);
    expect(conflict).toEqual({
      error: { code: "conflict", message: 'supplier "Race Power" exists', field: "name" },
    });
  });

  it("two suppliers renamed to the same name at once: one 200, one 409", async () => {
    const a = await add("Left Power");
    const b = await add("Right Power");
    const { statuses, conflict } = await race([
      call("PATCH", `/api/suppliers/${a.id}`, { name: "Merged Power" }, { cookie: admin }),
      call("PATCH", `/api/suppliers/${b.id}`, { name: "Merged Power" }, { cookie: admin }),
    ]);
    expect(statuses).toEqual([200, 409]);
    expect(conflict).toEqual({
      error: { code: "conflict", message: 'supplier "Merged Power" exists', field: "name" },
    });
  });

  it("removing a supplier leaves its meters without one; an unknown supplier is 404", async () => {
    const gone = await add("Gone Energy");
    await env.DB.prepare("UPDATE meters SET supplier_id = ? WHERE mpan = ?").bind(gone.id, MPAN_A).run();
    expect((await call("DELETE", `/api/suppliers/${gone.id}`, undefined, { cookie: admin })).status).toBe(
      204,
    );
    const meter = await env.DB.prepare("SELECT supplier_id FROM meters WHERE mpan = ?").bind(MPAN_A).first();
    expect(meter).toEqual({ supplier_id: null });
    const again = await call("DELETE", `/api/suppliers/${gone.id}`, undefined, { cookie: admin });
    expect(again.status).toBe(404);
    expect(await json(again)).toEqual({ error: { code: "not_found", message: "supplier not found" } });
  });
});
