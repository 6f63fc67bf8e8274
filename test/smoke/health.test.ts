import { SELF } from "cloudflare:test";
import { expect, it } from "vitest";

it("answers", async () => {
  const res = await SELF.fetch("http://localhost/api/health");
  expect(res.status).toBe(200);
});
