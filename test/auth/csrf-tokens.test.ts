import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, seedEstate } from "../helpers";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

describe("CSRF protection of cookie-authenticated writes", () => {
  it("refuses a write whose Origin is another site", async () => {
    const res = await call(
      "POST",
      "/api/sites",
      { name: "Evil" },
      { cookie: admin, origin: "https://evil.example" },
    );
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe("csrf");
  });

  it("refuses a write marked cross-site by the browser", async () => {
    const res = await call("POST", "/api/sites", { name: "Evil" }, { cookie: admin, origin: null });
    expect(res.status).toBe(201); // no browser headers at all: not a browser page, so no CSRF
    const headers = { Cookie: admin, "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json" };
    const { SELF } = await import("cloudflare:test");
    const cross = await SELF.fetch("http://localhost/api/sites", {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Evil 2" }),
    });
    expect(cross.status).toBe(403);
  });

  it("allows same-origin writes and cross-origin reads", async () => {
    expect((await call("POST", "/api/sites", { name: "Good" }, { cookie: admin })).status).toBe(201);
    const { SELF } = await import("cloudflare:test");
    const read = await SELF.fetch("http://localhost/api/sites", {
      headers: { Cookie: admin, Origin: "https://evil.example" },
    });
    expect(read.status).toBe(200);
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, carry their role and can be revoked", async () => {
    const res = await call("POST", "/api/tokens", { name: "dashboard", role: "manager" }, { cookie: admin });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toMatchObject({ name: "dashboard", role: "manager" });
    expect(created.token).toMatch(/^eet_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 10));

    const stored = await env.DB.prepare("SELECT token_hash FROM api_tokens WHERE id = ?")
      .bind(created.id)
      .first<{ token_hash: string }>();
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      JSON.stringify(await json(await call("GET", "/api/tokens", undefined, { cookie: admin }))),
    ).not.toContain(created.token);

    const me = await call("GET", "/api/auth/me", undefined, { token: created.token });
    expect(await json(me)).toEqual({ id: created.id, email: null, role: "manager", name: "dashboard" });
    // A manager token cannot do admin work, and needs no CSRF header.
    expect(
      (
        await call(
          "POST",
          "/api/sites",
          { name: "T" },
          { token: created.token, origin: "https://evil.example" },
        )
      ).status,
    ).toBe(403);

    expect((await call("DELETE", `/api/tokens/${created.id}`, undefined, { cookie: admin })).status).toBe(
      204,
    );
    const after = await call("GET", "/api/auth/me", undefined, { token: created.token });
    expect(after.status).toBe(401);
    expect((await json(after)).error.code).toBe("invalid_token");
    expect((await call("DELETE", `/api/tokens/${created.id}`, undefined, { cookie: admin })).status).toBe(
      404,
    );
  });

  it("an admin token can write without a cookie", async () => {
    const { token } = await json(
      await call("POST", "/api/tokens", { name: "ops", role: "admin" }, { cookie: admin }),
    );
    const res = await call("POST", "/api/sites", { name: "Token Site" }, { token, origin: null });
    expect(res.status).toBe(201);
  });

  it("rejects a made-up token", async () => {
    expect((await call("GET", "/api/sites", undefined, { token: "eet_madeup" })).status).toBe(401);
  });

  it("rejects an unknown role", async () => {
    const res = await call("POST", "/api/tokens", { name: "x", role: "owner" }, { cookie: admin });
    expect(res.status).toBe(400);
    expect((await json(res)).error.field).toBe("role");
  });
});

describe("audit log", () => {
  it("records every write with its actor", async () => {
    await call("POST", "/api/suppliers", { name: "Audited Power" }, { cookie: admin });
    const entries = (await json(await call("GET", "/api/audit", undefined, { cookie: admin }))).data;
    expect(entries[0]).toMatchObject({
      action: "supplier.create",
      actorEmail: "admin@example.com",
      entity: "supplier",
    });
  });
});
