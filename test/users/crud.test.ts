// Admin user management: users, their grants, and the rules that keep an admin from locking themselves
// out; a taken email is 409 naming the field, also when two creates race.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, race, seedEstate } from "../helpers";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

const newUser = (email: string) => ({ email, password: "long enough", role: "viewer" });

describe("users", () => {
  it("lists every user by email with their grants", async () => {
    const { data } = await json(await call("GET", "/api/users", undefined, { cookie: admin }));
    expect(data.map((u: { email: string }) => u.email)).toEqual([
      "admin@example.com",
      "manager@example.com",
      "nobody@example.com",
      "siteviewer@example.com",
      "viewer@example.com",
    ]);
    expect(data[1]).toMatchObject({
      id: 2,
      name: "M",
      role: "manager",
      active: true,
      grants: [{ companyId: 10, regionId: null, siteId: null }],
    });
    expect(data[2].grants).toEqual([]);
  });

  it("creates a user with no grants, and 409s a taken email", async () => {
    const res = await call("POST", "/api/users", newUser("Fresh@Example.com"), { cookie: admin });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ email: "fresh@example.com", role: "viewer", grants: [] });
    const dup = await call("POST", "/api/users", newUser("viewer@example.com"), { cookie: admin });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual({
      error: { code: "conflict", message: "a user with email viewer@example.com exists", field: "email" },
    });
  });

  it("two concurrent creates of the same email: one 201, one 409 (never 500)", async () => {
    const body = newUser("race@example.com");
    const { statuses, conflict } = await race([
      call("POST", "/api/users", body, { cookie: admin }),
      call("POST", "/api/users", body, { cookie: admin }),
    ]);
    expect(statuses).toEqual([201, 409]);
    expect(conflict).toEqual({
      error: { code: "conflict", message: "a user with email race@example.com exists", field: "email" },
    });
  });

  it("a role change ends the user's sessions; an admin cannot demote or delete themselves", async () => {
    const viewer = await login("viewer@example.com");
    const res = await call("PATCH", "/api/users/3", { role: "manager" }, { cookie: admin });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: 3, email: "viewer@example.com", role: "manager" });
    expect((await call("GET", "/api/sites", undefined, { cookie: viewer })).status).toBe(401);
    const demote = await call("PATCH", "/api/users/1", { role: "viewer" }, { cookie: admin });
    expect(demote.status).toBe(400);
    expect(await json(demote)).toEqual({
      error: { code: "invalid", message: "you cannot demote or deactivate yourself", field: "role" },
    });
    const del = await call("DELETE", "/api/users/1", undefined, { cookie: admin });
    expect(del.status).toBe(400);
    expect(await json(del)).toEqual({
      error: { code: "invalid", message: "you cannot delete yourself", field: "id" },
    });
  });

  it("grants a site, refuses one that does not exist, and removes a grant only through its user", async () => {
    const res = await call("POST", "/api/users/5/grants", { siteId: 2000 }, { cookie: admin });
    expect(res.status).toBe(201);
    const grant = await json(res);
    expect(grant).toEqual({ id: grant.id, companyId: null, regionId: null, siteId: 2000 });
    const missing = await call("POST", "/api/users/5/grants", { regionId: 999 }, { cookie: admin });
    expect(missing.status).toBe(400);
    expect(await json(missing)).toEqual({
      error: { code: "invalid", message: "region 999 does not exist", field: "regionId" },
    });
    const otherUser = await call("DELETE", `/api/users/4/grants/${grant.id}`, undefined, { cookie: admin });
    expect(otherUser.status).toBe(404);
    expect(await json(otherUser)).toEqual({ error: { code: "not_found", message: "grant not found" } });
    expect(
      (await call("DELETE", `/api/users/5/grants/${grant.id}`, undefined, { cookie: admin })).status,
    ).toBe(204);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM access_grants WHERE user_id = 5").first();
    expect(left).toEqual({ n: 0 });
  });

  it("deletes a user; an unknown user is 404 for every write", async () => {
    expect((await call("DELETE", "/api/users/5", undefined, { cookie: admin })).status).toBe(204);
    for (const [method, path, body] of [
      ["PATCH", "/api/users/5", { name: "X" }],
      ["DELETE", "/api/users/5", undefined],
      ["POST", "/api/users/5/grants", { siteId: 1000 }],
    ] as const) {
      const res = await call(method, path, body, { cookie: admin });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await json(res)).toEqual({ error: { code: "not_found", message: "user not found" } });
    }
  });
});
