// The OpenAPI document is the contract the SPA's types are generated from (npm run api:types): every
// answer it lists must have a real schema, and every error answer the one Error shape the API sends.
import { SELF } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import { JOB_STATUSES } from "../../src/enums";

type Schema = Record<string, unknown>;
type Doc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
};

let doc: Doc;
const answers: { route: string; status: number; type: string; schema: Schema }[] = [];

beforeAll(async () => {
  const res = await SELF.fetch("http://localhost/api/openapi.json");
  expect(res.status).toBe(200);
  doc = await res.json();
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      for (const [status, response] of Object.entries(op.responses))
        for (const [type, media] of Object.entries(response.content ?? {}))
          answers.push({
            route: `${method.toUpperCase()} ${path}`,
            status: Number(status),
            type,
            schema: media.schema,
          });
});

it("answers every error with the Error schema", () => {
  // The health check's 503 is its report (status "critical"), for monitors that read only the status.
  const errors = answers.filter((a) => a.status >= 400 && a.route !== "GET /api/health");
  expect(errors.length).toBeGreaterThan(100);
  const other = errors.filter(
    (a) => a.type !== "application/json" || a.schema.$ref !== "#/components/schemas/Error",
  );
  expect(other.map((a) => `${a.route} ${a.status}`)).toEqual([]);
});

it("leaves no answer untyped (a z.any() schema is {})", () => {
  const untyped = answers.filter(
    (a) => !["$ref", "type", "allOf", "anyOf", "oneOf"].some((k) => k in a.schema),
  );
  expect(untyped.map((a) => `${a.route} ${a.status}`)).toEqual([]);
});

it("takes the job statuses from the shared list", () => {
  expect(doc.components.schemas.ImportJob.properties).toMatchObject({
    status: { type: "string", enum: [...JOB_STATUSES] },
  });
});
