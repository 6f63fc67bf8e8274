// Malformed requests answer 4xx with the error shape, never 500: wrong or missing Content-Type on JSON
// routes (415), bodies that are not JSON (400 invalid_json), PATCH bodies that change nothing (400),
// and multipart bodies that cannot be read (400).
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, ORIGIN, seedEstate } from "../helpers";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

/** A request with exactly the Content-Type given (none when null) and a raw body. */
function send(
  method: string,
  path: string,
  contentType: string | null,
  body: BodyInit | null,
  cookie: string | null = admin,
) {
  const headers = new Headers({ Origin: ORIGIN });
  if (cookie) headers.set("Cookie", cookie);
  if (contentType !== null) headers.set("Content-Type", contentType);
  return SELF.fetch(`${ORIGIN}${path}`, { method, headers, body });
}

const bytes = (text: string) => new TextEncoder().encode(text);

const UNSUPPORTED = {
  error: {
    code: "unsupported_media_type",
    message: "send the body as JSON with Content-Type: application/json",
  },
};

describe("Content-Type on JSON routes", () => {
  it("415 for text/plain, form and multipart bodies", async () => {
    const cases: [string, string, string][] = [
      ["POST", "/api/suppliers", "text/plain"],
      ["POST", "/api/suppliers", "text/plain;charset=UTF-8"],
      ["POST", "/api/suppliers", "application/x-www-form-urlencoded"],
      ["POST", "/api/suppliers", "multipart/form-data; boundary=x"],
      ["POST", "/api/tokens", "application/xml"],
      ["PATCH", "/api/sites/1001", "text/json"],
      ["POST", "/api/auth/login", "text/plain"],
    ];
    for (const [method, path, type] of cases) {
      const res = await send(method, path, type, '{"name":"Octopus"}');
      expect(res.status, `${method} ${path} ${type}`).toBe(415);
      expect(await json(res)).toEqual(UNSUPPORTED);
    }
  });

  it("415 without a Content-Type, with a body or without one", async () => {
    const withBody = await send("POST", "/api/suppliers", null, bytes('{"name":"Octopus"}'));
    expect(withBody.status).toBe(415);
    expect(await json(withBody)).toEqual(UNSUPPORTED);
    const empty = await send("POST", "/api/suppliers", null, null);
    expect(empty.status).toBe(415);
    expect(await json(empty)).toEqual(UNSUPPORTED);
  });

  it("accepts application/json with parameters and +json types", async () => {
    const plain = await send(
      "POST",
      "/api/suppliers",
      "application/json; charset=utf-8",
      '{"name":"Octopus"}',
    );
    expect(plain.status).toBe(201);
    const vendor = await send("POST", "/api/suppliers", "application/merge-patch+json", '{"name":"EDF"}');
    expect(vendor.status).toBe(201);
  });

  it("asks who you are before it looks at the body", async () => {
    const res = await send("POST", "/api/suppliers", "text/plain", "x", null);
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe("unauthenticated");
  });
});

describe("bodies that are not JSON", () => {
  it("400 invalid_json for text, truncated, empty and NaN bodies", async () => {
    for (const body of ["not json", '{"name":', "", "NaN", "{'name': 'x'}", "\uFEFF{}x"]) {
      const res = await send("POST", "/api/tokens", "application/json", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await json(res)).toEqual({
        error: { code: "invalid_json", message: "the body is not valid JSON" },
      });
    }
  });

  it("the same on the public sign-in route", async () => {
    const res = await send("POST", "/api/auth/login", "application/json", "{", null);
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe("invalid_json");
  });

  it("413 for a JSON body over 1 MB, before it is parsed", async () => {
    const huge = JSON.stringify({ name: "x".repeat(1024 * 1024) });
    const res = await send("POST", "/api/suppliers", "application/json", huge);
    expect(res.status).toBe(413);
    expect(await json(res)).toEqual({
      error: { code: "payload_too_large", message: "a JSON body is limited to 1 MB" },
    });
  });

  it("400 invalid for JSON of the wrong type", async () => {
    for (const body of ["null", "[]", '"x"', "42", "true"]) {
      const res = await send("POST", "/api/suppliers", "application/json", body);
      expect(res.status, body).toBe(400);
      expect((await json(res)).error.code).toBe("invalid");
    }
  });
});

describe("PATCH with nothing to change", () => {
  const routes = ["/api/suppliers/900", "/api/users/2", "/api/sites/1001", "/api/meters/1030006718997"];

  beforeAll(async () => {
    await env.DB.prepare("INSERT INTO suppliers (id, name) VALUES (900, 'British Gas')").run();
  });

  it("400 invalid on every PATCH route for {}", async () => {
    for (const path of routes) {
      const res = await call("PATCH", path, {}, { cookie: admin });
      expect(res.status, path).toBe(400);
      expect(await json(res)).toEqual({ error: { code: "invalid", message: "nothing to change" } });
    }
  });

  it("400 for fields the route does not know: dropped (nothing left) or refused by a strict schema", async () => {
    const expected: Record<string, string> = {
      "/api/suppliers/900": "nothing to change",
      "/api/users/2": 'Unrecognized key: "unknown"',
      "/api/sites/1001": 'Unrecognized key: "unknown"',
      "/api/meters/1030006718997": 'Unrecognized key: "unknown"',
    };
    for (const path of routes) {
      const res = await call("PATCH", path, { unknown: 1 }, { cookie: admin });
      expect(res.status, path).toBe(400);
      expect(await json(res)).toEqual({ error: { code: "invalid", message: expected[path] } });
    }
  });

  it("a PATCH that changes one field still works", async () => {
    const res = await call("PATCH", "/api/users/2", { name: "Manager M" }, { cookie: admin });
    expect(res.status).toBe(200);
    expect((await json(res)).name).toBe("Manager M");
  });
});

describe("multipart bodies that cannot be read", () => {
  it("400 for multipart without a boundary on /api/sites/import", async () => {
    for (const type of ["multipart/form-data", "multipart/form-data; boundary="]) {
      const res = await send("POST", "/api/sites/import", type, "name\nLeeds Yard\n");
      expect(res.status, type).toBe(400);
      expect(await json(res)).toEqual({
        error: {
          code: "invalid",
          message: "the multipart body could not be read (is its boundary missing?)",
          field: "file",
        },
      });
    }
  });

  it("400 for a body that does not match its boundary", async () => {
    const res = await send("POST", "/api/sites/import", "multipart/form-data; boundary=abc", "name\nX\n");
    expect(res.status).toBe(400);
    expect((await json(res)).error.field).toBe("file");
  });

  it("400 for multipart without a boundary on /api/import/jobs", async () => {
    const res = await send("POST", "/api/import/jobs", "multipart/form-data", "MPAN,Date,kWh\n");
    expect(res.status).toBe(400);
    expect((await json(res)).error).toEqual({
      code: "invalid",
      message: "multipart body without a boundary",
      field: "file",
    });
  });
});
