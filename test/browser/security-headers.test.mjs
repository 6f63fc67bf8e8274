// Security headers as `npm start` serves them, and the pages still working under their policy in a real
// browser: the SPA (with its uPlot charts) and the API docs page, with no Content-Security-Policy report.
// Needs the app at BASE_URL on 127.0.0.1 (scripts/browser-tests.mjs starts one) with the demo data seeded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium } from "./support.mjs";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";

const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const API_POLICY =
  "default-src 'none'; form-action 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
// The docs page's style, hashed: src/docs/page.ts (a change to the style changes it).
const DOCS_POLICY =
  "default-src 'none'; style-src 'sha256-eG81+D12M9PbcTfbcnAibhRkK4yD66dlH5LbCcFjMpE='; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

test("pages, client-side routes, the docs and the API carry the security headers", async () => {
  for (const [path, policy, status] of [
    ["/", PAGE_POLICY, 200],
    ["/some/spa/route", PAGE_POLICY, 200],
    ["/api/docs", DOCS_POLICY, 200],
    ["/api/health", API_POLICY, 200],
    ["/api/nope", API_POLICY, 404],
  ]) {
    const res = await fetch(BASE + path);
    assert.equal(res.status, status, path);
    assert.equal(res.headers.get("content-security-policy"), policy, path);
    assert.equal(res.headers.get("x-frame-options"), "DENY", path);
    assert.equal(res.headers.get("referrer-policy"), "same-origin", path);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
    // HSTS is for real hosts: this one is plain http on 127.0.0.1.
    assert.equal(res.headers.get("strict-transport-security"), null, path);
  }
});

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** A page that records every CSP complaint and script error Chromium reports. */
async function watchedPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (err) => problems.push(String(err)));
  return { page, problems, close: () => context.close() };
}

test("the SPA works under its policy: sign-in, the dashboard chart, a meter's chart", async () => {
  const { page, problems, close } = await watchedPage();
  try {
    await page.goto(`${BASE}/`);
    await page.getByLabel("Email").fill("admin@eclectyc.energy");
    await page.getByLabel("Password").fill("admin123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await page.locator(".uplot canvas").first().waitFor();
    await page.goto(`${BASE}/meters/1200000000011`);
    await page.locator(".uplot canvas").first().waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("the API docs page is styled under its policy", async () => {
  const { page, problems, close } = await watchedPage();
  try {
    await page.goto(`${BASE}/api/docs`);
    await page.getByRole("heading", { name: /Eclectyc Energy API/, level: 1 }).waitFor();
    // The inline style applied: the body is capped at 1000 px wide.
    assert.equal(
      await page
        .locator("body")
        .evaluate((body) => body.ownerDocument.defaultView.getComputedStyle(body).maxWidth),
      "1000px",
    );
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
