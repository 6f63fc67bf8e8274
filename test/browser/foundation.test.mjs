// The foundation in a real browser: an admin signs in, creates a site and a meter on it, sees the
// MPAN checked as it is typed, signs out; a viewer then sees no admin menu and no create buttons.
// Needs the app at BASE_URL (scripts/browser-tests.mjs starts one) with the demo users seeded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium } from "./support.mjs";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8787";
const PASSWORD = "admin123";
const WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** A random valid MPAN core: distributor 10–23, ten random digits, then the weighted check digit. */
function randomMpan() {
  const distributor = String(10 + Math.floor(Math.random() * 14));
  let first12 = distributor;
  while (first12.length < 12) first12 += String(Math.floor(Math.random() * 10));
  const sum = [...first12].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i], 0);
  return first12 + String((sum % 11) % 10);
}

let browser;
let page;

/** Each test starts signed out, in its own browser context. */
async function freshPage() {
  await page?.context().close();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

async function signIn(email) {
  await page.goto(`${BASE}/`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
}

async function signOut() {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

test("an admin creates a site and a meter, and a bad MPAN is explained as it is typed", async () => {
  await freshPage();
  await signIn("admin@eclectyc.energy");
  const nav = page.getByRole("navigation", { name: "Main" });
  assert.equal(await nav.getByRole("link", { name: "Admin" }).isVisible(), true);
  assert.equal(await nav.getByRole("link", { name: "Imports" }).isVisible(), true);

  const siteName = `Browser test site ${Date.now()}`;
  await nav.getByRole("link", { name: "Sites" }).click();
  await page.getByRole("button", { name: "New site" }).click();
  const siteDialog = page.getByRole("dialog", { name: "New site" });
  await siteDialog.getByLabel("Site name").fill(siteName);
  await siteDialog.getByLabel("Postcode").fill("SW1A 1AA");
  await siteDialog.getByRole("button", { name: "Create site" }).click();
  // Creating a site opens its page.
  await page.getByRole("heading", { name: siteName, level: 1 }).waitFor();

  const mpan = randomMpan();
  await page.getByRole("button", { name: "Add meter" }).first().click();
  const meterDialog = page.getByRole("dialog", { name: "New meter" });
  const mpanInput = meterDialog.getByLabel("MPAN or MPRN");

  // The bad MPAN first: 24 is a known distributor (IDNO), so the check digit is what fails.
  await mpanInput.fill("2499999999990");
  const reason = meterDialog.getByRole("alert").filter({ hasText: "check digit" });
  await reason.waitFor();
  assert.match(await reason.innerText(), /^check digit 0 is wrong \(expected \d\)$/);

  await mpanInput.fill(mpan);
  await meterDialog.getByText(`Valid MPAN core ${mpan}`).waitFor();
  assert.equal(await meterDialog.getByLabel("Fuel").inputValue(), "electricity");
  assert.equal(
    await meterDialog.getByLabel("Site").locator("option:checked").innerText(),
    `${siteName} (SW1A 1AA)`,
  );
  await meterDialog.getByLabel("Meter name").fill("Browser test incomer");
  await meterDialog.getByRole("button", { name: "Create meter" }).click();
  await meterDialog.waitFor({ state: "detached" });
  await page.locator(`tr[data-mpan="${mpan}"]`).waitFor();

  // And in the meter list, found by search, with a copy button beside it.
  await nav.getByRole("link", { name: "Meters" }).click();
  await page.getByLabel("Search meters").fill(mpan);
  const row = page.locator(`tr[data-mpan="${mpan}"]`);
  await row.waitFor();
  // The search has narrowed the list to this one meter.
  await page.locator("[data-testid=meters-table] tbody tr").nth(1).waitFor({ state: "detached" });
  assert.match(await row.innerText(), new RegExp(siteName));
  assert.equal(await row.getByRole("button", { name: `Copy ${mpan}` }).isVisible(), true);

  // A duplicate is refused by the API, with the message shown in the form.
  await page.getByRole("button", { name: "New meter" }).click();
  const again = page.getByRole("dialog", { name: "New meter" });
  await again.getByLabel("MPAN or MPRN").fill(mpan);
  await again.getByLabel("Site").selectOption({ label: `${siteName} (SW1A 1AA)` });
  await again.getByRole("button", { name: "Create meter" }).click();
  await again.getByRole("alert").waitFor();
  await again.getByRole("button", { name: "Cancel" }).click();

  await signOut();
});

test("a viewer sees no admin menu and no create buttons", async () => {
  await freshPage();
  await signIn("viewer@eclectyc.energy");
  const nav = page.getByRole("navigation", { name: "Main" });
  assert.equal(await nav.getByRole("link", { name: "Admin" }).count(), 0);
  assert.equal(await nav.getByRole("link", { name: "Imports" }).count(), 0);

  await nav.getByRole("link", { name: "Sites" }).click();
  await page.getByRole("heading", { name: "Sites", level: 1 }).waitFor();
  await page.locator("[data-testid=sites-table], [data-testid=empty-state]").first().waitFor();
  assert.equal(await page.getByRole("button", { name: /New site|Import CSV|Edit|Delete/ }).count(), 0);

  await nav.getByRole("link", { name: "Meters" }).click();
  await page.getByRole("heading", { name: "Meters", level: 1 }).waitFor();
  await page.locator("[data-testid=meters-table], [data-testid=empty-state]").first().waitFor();
  assert.equal(await page.getByRole("button", { name: /New meter|Add|Edit|Delete/ }).count(), 0);

  // The admin pages stay closed even by address.
  await page.goto(`${BASE}/admin/users`);
  await page.getByRole("heading", { name: "Not available with your role" }).waitFor();
  await signOut();
});

test("an admin sees a sign-in lock on the users page and clears it", async () => {
  // Five wrong passwords lock the manager's account from this client (locally every client is "local").
  const signInByApi = (password) =>
    fetch(`${BASE}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "manager@eclectyc.energy", password }),
    });
  for (let i = 0; i < 5; i++) assert.equal((await signInByApi("wrong")).status, 401);
  const locked = await signInByApi(PASSWORD);
  assert.equal(locked.status, 429);
  assert.equal(locked.headers.get("Retry-After"), "900");

  await freshPage();
  await signIn("admin@eclectyc.energy");
  await page.goto(`${BASE}/admin/users`);
  const row = page
    .getByTestId("locks-table")
    .getByRole("row", { name: /manager@eclectyc\.energy from local/ });
  await row.waitFor();
  assert.match(await row.innerText(), /5 since .*locked until/s);
  await row.getByRole("button", { name: "Clear lock on manager@eclectyc.energy from local" }).click();
  await page.getByText("No locks.", { exact: false }).waitFor();
  assert.equal((await signInByApi(PASSWORD)).status, 200);
  await signOut();
});
