// Fuzzing every route in the OpenAPI document, as an admin session and as an admin bearer token: wrong
// types, wrong or missing Content-Type, broken JSON and multipart, garbage path and query values, huge and
// odd Unicode strings. No request may answer 5xx, and every 4xx must be {"error":{"code","message"}}.
// Bounded: a fixed seed and RUNS_PER_OPERATION requests per operation; the counts are printed at the end.
import { env, SELF } from "cloudflare:test";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "../../src/auth/crypto";
import { login, MPAN_A, MPAN_B, MPAN_C, ORIGIN, PASSWORD, seedEstate } from "../helpers";

const SEED = 20_261_201;
const RUNS_PER_OPERATION = 25;
const ADMIN_EMAIL = "admin@example.com";
const ADMIN_IP = "192.0.2.1"; // sign-ins of the fuzzer's own admin, kept apart from fuzzed sign-ins

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Parameter = { name: string; in: "path" | "query" | "header" | "cookie"; schema?: Schema };
type Operation = {
  method: string;
  path: string;
  parameters: Parameter[];
  jsonBody?: Schema;
  isPublic: boolean;
};
type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        security?: unknown[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
};

// The operations come from the served document, so a new route is fuzzed without touching this file.
const doc = (await (await SELF.fetch(`${ORIGIN}/api/openapi.json`)).json()) as Doc;
const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    parameters: op.parameters ?? [],
    jsonBody: op.requestBody?.content?.["application/json"]?.schema,
    isPublic: Array.isArray(op.security) && op.security.length === 0,
  })),
);

// ---------------------------------------------------------------------------------------------
// values

const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "\uD800", // lone high surrogate
  "\uDFFF", // lone low surrogate
  "\u202Eevil", // right-to-left override
  "\uFEFF",
  "\u200B",
  "👩‍👩‍👧‍👦",
  "𝕏𝕐",
  "ǅ",
  "İ",
  "١٢٣",
  "e\u0301",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "null",
  "true",
  "[]",
  "{}",
  "../../etc/passwd",
  "%00",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "a\r\nSet-Cookie: x=1",
];

/** Strings that are long enough to matter: up to past the 1 MB JSON limit. */
const hugeString = fc
  .tuple(fc.constantFrom("a", "é", "😀", "\u0000", ","), fc.constantFrom(5_000, 70_000, 600_000))
  .map(([unit, n]) => unit.repeat(n));

const oddString = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 3, arbitrary: fc.string({ unit: "binary" }) },
  { weight: 4, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 200, maxLength: 2000 }) },
  { weight: 1, arbitrary: hugeString },
);

const oddNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 10, 20, 100, 1000, 1001, 2000, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 0.5),
);

/** Any JSON value, weighted towards the ones validators trip on. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddString,
  oddNumber,
  fc.constantFrom(null, true, false, [], {}),
);

const resolve = (schema: Schema): Schema => {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  return doc.components?.schemas?.[name] ?? {};
};

/** A value shaped by the schema where it can be, with a wrong type now and then. */
function valueFor(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  const alternatives = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  let plausible: fc.Arbitrary<unknown>;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (alternatives) plausible = fc.oneof(...alternatives.map((s) => valueFor(s, depth + 1)));
  else if (schema.enum) plausible = fc.constantFrom(...schema.enum);
  else if (types.includes("object") || schema.properties) {
    const props = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([k, s]) => [k, valueFor(s, depth + 1)]),
    );
    plausible = fc.record(props, { requiredKeys: [] });
  } else if (types.includes("array"))
    plausible = fc.array(depth > 3 ? wrongValue : valueFor(schema.items ?? {}, depth + 1), { maxLength: 4 });
  else if (types.includes("integer") || types.includes("number")) plausible = oddNumber;
  else if (types.includes("boolean")) plausible = fc.boolean();
  else if (types.includes("string"))
    plausible = fc.oneof(
      { weight: 3, arbitrary: oddString },
      { weight: 1, arbitrary: fc.constantFrom("fuzz@example.com", "Fuzz Site", "2026-01-15", MPAN_A) },
    );
  else plausible = wrongValue;
  if (types.includes("null")) plausible = fc.oneof(plausible, fc.constant(null));
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: wrongValue });
}

// ---------------------------------------------------------------------------------------------
// path and query

const PLAUSIBLE_PARAMS: Record<string, string[]> = {
  id: ["1", "2", "3", "10", "20", "100", "1000", "1001", "2000", "999999"],
  mpan: [MPAN_A, MPAN_B, MPAN_C, "2200012767323", "1234567"],
  batchId: ["imp_20260115_0000000000000000", "imp_x"],
  sourceId: ["1", "2", "999"],
  grantId: ["1", "2", "999"],
  n: ["1", "2", "10000", "10001"],
};

const garbageParam = fc.oneof(
  // encodeURIComponent refuses lone surrogates, so they go in as U+FFFD.
  oddString.map((s) => encodeURIComponent(s.slice(0, 3000).replace(/\p{Cs}/gu, "\uFFFD"))),
  // Left unencoded on purpose: broken percent-escapes and dot segments.
  fc.constantFrom("%E0%A4%A", "%", "%zz", "..", ".", "-1", "0", "1.5", "1e3", "0x10", "99999999999999999999"),
);

const pathFor = (op: Operation) => {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const values = names.map((name) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(PLAUSIBLE_PARAMS[name] ?? ["1"])) },
      { weight: 1, arbitrary: garbageParam },
    ),
  );
  return fc
    .tuple(...values)
    .map((vs) => names.reduce((p, name, i) => p.replace(`{${name}}`, vs[i]), op.path));
};

const queryFor = (op: Operation) => {
  const names = op.parameters.filter((p) => p.in === "query").map((p) => p.name);
  const entry = fc.tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...names, "page") },
      { weight: 1, arbitrary: fc.string() },
    ),
    fc.oneof(
      fc.constantFrom(
        "1",
        "2",
        "0",
        "-1",
        "50",
        "1000",
        "2026-01-15",
        "2026-13-45",
        "day",
        "hh",
        "failed",
        "",
      ),
      oddString.map((s) => s.slice(0, 3000)),
    ),
  );
  // Duplicates on purpose: ?page=1&page=2 arrives as an array.
  return fc.array(entry, { maxLength: 4 }).map((entries) => {
    const q = new URLSearchParams();
    for (const [k, v] of entries) q.append(k, v);
    const s = q.toString();
    return s ? `?${s}` : "";
  });
};

// ---------------------------------------------------------------------------------------------
// bodies

type Body = { contentType: string | null; body: string | null };

const json = (value: unknown): Body => ({
  contentType: "application/json",
  body: JSON.stringify(value) ?? "null",
});

const brokenJson = fc
  .oneof(
    fc.constantFrom(
      "",
      "not json",
      "NaN",
      "{",
      '{"name":',
      "{'name':'x'}",
      "[1,2",
      "undefined",
      "\uFEFF{}x",
      "{}{}",
    ),
    fc.jsonValue().map((v) => {
      const text = JSON.stringify(v) ?? "null";
      return text.slice(0, Math.max(0, text.length - 1)) || "{";
    }),
    oddString,
  )
  .map((body): Body => ({ contentType: "application/json", body }));

const CONTENT_TYPES = [
  null,
  "text/plain",
  "text/plain;charset=UTF-8",
  "application/xml",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "text/csv",
  "application/octet-stream",
  "application/json; charset=klingon",
  "application/jsonx",
  "APPLICATION/JSON",
  "*/*",
];

const wrongContentType = fc
  .tuple(
    fc.constantFrom(...CONTENT_TYPES),
    fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ""),
      oddString,
    ),
  )
  .map(([contentType, body]): Body => ({ contentType, body }));

const FIELD_NAMES = [
  "file",
  "upload",
  "data",
  "uploadId",
  "meter",
  "dryRun",
  "format",
  "columns",
  "tags",
  "",
];

/** A multipart body written by hand, so it can be broken: wrong boundary, missing end, odd names. */
const multipart = fc
  .record({
    boundary: fc.constantFrom("fuzzBoundary", "----x", "a b", ""),
    declared: fc.constantFrom("match", "other", "none", "quoted"),
    parts: fc.array(
      fc.record({
        name: fc.oneof(
          fc.constantFrom(...FIELD_NAMES),
          oddString.map((s) => s.slice(0, 200)),
        ),
        filename: fc.option(fc.oneof(fc.constantFrom("readings.csv", "sites.csv", ""), oddString), {
          nil: null,
        }),
        content: fc.oneof(
          fc.constantFrom(
            `MPAN,ReadDateTime,kWh\n${MPAN_A},2026-01-15T00:00:00Z,1.5\n`,
            "name,postcode\nFuzz Site,M1 1AA\n",
            "\u0000\u0001\u0002binary",
          ),
          oddString,
        ),
      }),
      { maxLength: 3 },
    ),
    truncate: fc.boolean(),
  })
  .map(({ boundary, declared, parts, truncate }): Body => {
    let body = parts
      .map(
        (p) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename === null ? "" : `; filename="${p.filename}"`}\r\n\r\n${p.content}\r\n`,
      )
      .join("");
    body += `--${boundary}--\r\n`;
    if (truncate) body = body.slice(0, Math.floor(body.length / 2));
    const header =
      declared === "match"
        ? `multipart/form-data; boundary=${boundary}`
        : declared === "quoted"
          ? `multipart/form-data; boundary="${boundary}"`
          : declared === "other"
            ? "multipart/form-data; boundary=somethingElse"
            : "multipart/form-data";
    return { contentType: header, body };
  });

function bodyFor(op: Operation): fc.Arbitrary<Body> {
  if (op.method === "GET" || op.method === "HEAD") return fc.constant({ contentType: null, body: null });
  const none = fc.constant<Body>({ contentType: null, body: null });
  if (op.jsonBody) {
    return fc.oneof(
      { weight: 6, arbitrary: valueFor(op.jsonBody).map(json) },
      { weight: 2, arbitrary: wrongValue.map(json) },
      { weight: 3, arbitrary: brokenJson },
      { weight: 3, arbitrary: wrongContentType },
      { weight: 2, arbitrary: multipart },
      { weight: 1, arbitrary: none },
    );
  }
  return fc.oneof(
    { weight: 4, arbitrary: multipart },
    { weight: 2, arbitrary: wrongContentType },
    { weight: 2, arbitrary: wrongValue.map(json) },
    { weight: 1, arbitrary: brokenJson },
    { weight: 2, arbitrary: none },
  );
}

// ---------------------------------------------------------------------------------------------
// the fuzzer's own admin: restored whenever a fuzzed request signs it out, demotes it or revokes its token

let cookie = "";
let token = "";
let hash = "";
let restores = 0;

async function restoreSession() {
  restores++;
  await env.DB.batch([
    env.DB.prepare("DELETE FROM users WHERE email = ?1 AND id != 1").bind(ADMIN_EMAIL),
    env.DB.prepare(
      `INSERT INTO users (id, email, name, password_hash, role, active) VALUES (1, ?1, 'A', ?2, 'admin', 1)
       ON CONFLICT(id) DO UPDATE SET email = ?1, password_hash = ?2, role = 'admin', active = 1`,
    ).bind(ADMIN_EMAIL, hash),
    env.DB.prepare("DELETE FROM login_attempts"),
  ]);
  cookie = await login(ADMIN_EMAIL, PASSWORD, ADMIN_IP);
}

async function restoreToken() {
  restores++;
  let res = await createToken();
  if (res.status === 401) {
    await restoreSession();
    res = await createToken();
  }
  if (res.status !== 201) throw new Error(`token → ${res.status} ${await res.text()}`);
  token = ((await res.json()) as { token: string }).token;
}

const createToken = () =>
  SELF.fetch(`${ORIGIN}/api/tokens`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "fuzz", role: "admin" }),
  });

// ---------------------------------------------------------------------------------------------
// the run

const counts = { requests: 0, session: 0, bearer: 0, s2xx: 0, s4xx: 0, s5xx: 0, other: 0 };
let started = 0;

beforeAll(async () => {
  // The carbon refresh polls the Carbon Intensity API: an empty stand-in answers (tests never touch the network).
  vi.stubGlobal("fetch", async () => Response.json({ data: [] }));
  await seedEstate();
  hash = await hashPassword(PASSWORD, 1000);
  cookie = await login(ADMIN_EMAIL, PASSWORD, ADMIN_IP);
  await restoreToken();
  restores = 0;
  started = Date.now();
});

afterAll(() => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `fuzz summary: ${counts.requests} requests to ${operations.length} operations ` +
      `(${counts.session} as an admin session, ${counts.bearer} with an admin bearer token), ` +
      `2xx ${counts.s2xx}, 4xx ${counts.s4xx}, 5xx ${counts.s5xx}, other ${counts.other}; ` +
      `${restores} restores of the fuzzer's admin; ${seconds} s; seed ${SEED}`,
  );
});

describe("fuzzing every route in the OpenAPI document", () => {
  it("finds the routes in the document", () => {
    expect(operations.length).toBeGreaterThanOrEqual(49);
  });

  operations.forEach((op, index) => {
    it(`${op.method} ${op.path}: never 5xx, every 4xx in the error shape`, async () => {
      const request = fc.record({
        auth: fc.constantFrom("session" as const, "bearer" as const),
        path: pathFor(op),
        query: queryFor(op),
        body: bodyFor(op),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ auth, path, query, body }) => {
          const headers = new Headers({ Origin: ORIGIN });
          if (auth === "session") headers.set("Cookie", cookie);
          else headers.set("Authorization", `Bearer ${token}`);
          if (body.contentType !== null) headers.set("Content-Type", body.contentType);
          const res = await SELF.fetch(`${ORIGIN}${path}${query}`, {
            method: op.method,
            headers,
            body: body.body,
          });
          const text = await res.text();
          counts.requests++;
          counts[auth]++;
          if (res.status >= 500) counts.s5xx++;
          else if (res.status >= 400) counts.s4xx++;
          else if (res.status >= 200 && res.status < 300) counts.s2xx++;
          else counts.other++;

          const what = `${op.method} ${path}${query} (${auth}, ${body.contentType}) → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) {
            const parsed = JSON.parse(text) as {
              error?: { code?: unknown; message?: unknown; field?: unknown };
            };
            expect(typeof parsed.error?.code, what).toBe("string");
            expect(typeof parsed.error?.message, what).toBe("string");
            if (parsed.error?.field !== undefined) expect(typeof parsed.error.field, what).toBe("string");
          }
          // A fuzzed request may sign the fuzzer out (logout, a new password, deactivation, a revoked
          // token): put its admin back so the rest of the run is not all 401s.
          if (res.status === 401 && !op.isPublic) {
            if (auth === "session") await restoreSession();
            else await restoreToken();
          }
        }),
        { seed: SEED + index, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    });
  });
});
