// The security headers the Worker puts on the API and the docs page (the SPA's pages get theirs from the
// same middleware; test/browser/security-headers.test.mjs checks them against a running `npm start`).
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const API_POLICY =
  "default-src 'none'; form-action 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
// The hash Chromium names for the docs page's inline style when a policy without it blocks the style.
const DOCS_POLICY =
  "default-src 'none'; style-src 'sha256-eG81+D12M9PbcTfbcnAibhRkK4yD66dlH5LbCcFjMpE='; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const headersOf = (res: Response, names: string[]) =>
  Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));
const NAMES = [
  "content-security-policy",
  "x-frame-options",
  "referrer-policy",
  "x-content-type-options",
  "strict-transport-security",
  "cache-control",
];

describe("security headers", () => {
  it.each([
    ["/api/health", 200],
    ["/api/nope", 404],
    ["/api/auth/me", 401],
  ])("on %s: a policy that loads nothing, no framing, same-origin referrers", async (path, status) => {
    const res = await SELF.fetch(`http://localhost${path}`);
    expect(res.status).toBe(status);
    expect(headersOf(res, NAMES)).toEqual({
      "content-security-policy": API_POLICY,
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin",
      "x-content-type-options": "nosniff",
      "strict-transport-security": null,
      "cache-control": "no-store",
    });
  });

  it("on the docs page: its own style by hash, and no script", async () => {
    const res = await SELF.fetch("http://localhost/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(DOCS_POLICY);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(await res.text()).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it.each(["http://127.0.0.1", "http://[::1]", "http://localhost:8787"])(
    "leaves HSTS off on this machine (%s)",
    async (origin) => {
      const res = await SELF.fetch(`${origin}/api/health`);
      expect(res.headers.get("strict-transport-security")).toBeNull();
    },
  );

  it("adds HSTS on any other host", async () => {
    const res = await SELF.fetch("https://energy.example.com/api/health");
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const docs = await SELF.fetch("https://energy.example.com/api/docs");
    expect(docs.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });
});
