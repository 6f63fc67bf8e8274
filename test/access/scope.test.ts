// Company/region/site scoping: a user sees the union of their grants and nothing else, whatever ids they guess.
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, MPAN_A, MPAN_B, MPAN_C, seedEstate, type Estate } from "../helpers";

let estate: Estate;
const cookie = {} as Record<"admin" | "manager" | "viewer" | "siteViewer" | "nobody", string>;

beforeAll(async () => {
  estate = await seedEstate();
  cookie.admin = await login("admin@example.com");
  cookie.manager = await login("manager@example.com");
  cookie.viewer = await login("viewer@example.com");
  cookie.siteViewer = await login("siteviewer@example.com");
  cookie.nobody = await login("nobody@example.com");
});

const siteNames = async (who: keyof typeof cookie) =>
  (await json(await call("GET", "/api/sites", undefined, { cookie: cookie[who] }))).data.map(
    (s: { name: string }) => s.name,
  );
const meterIds = async (who: keyof typeof cookie) =>
  (await json(await call("GET", "/api/meters", undefined, { cookie: cookie[who] }))).data.map(
    (m: { mpan: string }) => m.mpan,
  );

describe("lists are filtered by grants", () => {
  it("admin sees every site and meter", async () => {
    expect(await siteNames("admin")).toEqual(["Acme Depot", "Acme North Office", "Bravo Tower"]);
    expect(await meterIds("admin")).toEqual([MPAN_B, MPAN_A, MPAN_C]);
  });
  it("a company grant shows the company's sites", async () => {
    expect(await siteNames("manager")).toEqual(["Acme Depot", "Acme North Office"]);
    expect(await meterIds("manager")).toEqual([MPAN_B, MPAN_A]);
  });
  it("a region grant shows the region's sites only", async () => {
    expect(await siteNames("viewer")).toEqual(["Acme North Office"]);
    expect(await meterIds("viewer")).toEqual([MPAN_A]);
  });
  it("a site grant shows that site only", async () => {
    expect(await siteNames("siteViewer")).toEqual(["Acme Depot"]);
    expect(await meterIds("siteViewer")).toEqual([MPAN_B]);
  });
  it("no grant shows nothing, never everything", async () => {
    expect(await siteNames("nobody")).toEqual([]);
    expect(await meterIds("nobody")).toEqual([]);
    const companies = await json(await call("GET", "/api/companies", undefined, { cookie: cookie.nobody }));
    expect(companies.data).toEqual([]);
  });
  it("companies and regions follow the grants", async () => {
    const names = async (who: keyof typeof cookie, path: string) =>
      (await json(await call("GET", path, undefined, { cookie: cookie[who] }))).data.map(
        (c: { name: string }) => c.name,
      );
    expect(await names("manager", "/api/companies")).toEqual(["Acme Estates"]);
    expect(await names("siteViewer", "/api/companies")).toEqual(["Acme Estates"]);
    expect(await names("viewer", "/api/regions")).toEqual(["North"]);
    expect(await names("siteViewer", "/api/regions")).toEqual([]);
  });
});

describe("guessing ids reveals nothing", () => {
  it.each([
    ["manager", "/api/sites/2000"],
    ["manager", `/api/meters/${MPAN_C}`],
    ["viewer", "/api/sites/1001"],
    ["viewer", `/api/meters/${MPAN_B}`],
    ["siteViewer", "/api/sites/1000"],
    ["siteViewer", `/api/meters/${MPAN_A}`],
    ["nobody", "/api/sites/1000"],
    ["nobody", `/api/meters/${MPAN_A}`],
  ] as const)("%s GET %s → 404", async (who, path) => {
    const res = await call("GET", path, undefined, { cookie: cookie[who] });
    expect(res.status).toBe(404);
  });

  it("a filter on another company's id returns nothing", async () => {
    const res = await call("GET", `/api/sites?companyId=${estate.companyB}`, undefined, {
      cookie: cookie.manager,
    });
    expect(await json(res)).toEqual({ data: [], total: 0 });
    const meters = await call("GET", `/api/meters?siteId=${estate.siteB1}`, undefined, {
      cookie: cookie.manager,
    });
    expect(await json(meters)).toEqual({ data: [], total: 0 });
  });

  it("granted ids are readable", async () => {
    const res = await call("GET", `/api/sites/${estate.siteA1}`, undefined, { cookie: cookie.viewer });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      id: 1000,
      name: "Acme North Office",
      companyName: "Acme Estates",
      regionName: "North",
      meterCount: 1,
    });
  });
});

describe("company-scoped API tokens", () => {
  it("see only their company", async () => {
    const created = await json(
      await call(
        "POST",
        "/api/tokens",
        { name: "bravo feed", role: "viewer", companyId: estate.companyB },
        { cookie: cookie.admin },
      ),
    );
    const res = await call("GET", "/api/sites", undefined, { token: created.token });
    expect((await json(res)).data.map((s: { name: string }) => s.name)).toEqual(["Bravo Tower"]);
    expect((await call("GET", `/api/meters/${MPAN_A}`, undefined, { token: created.token })).status).toBe(
      404,
    );
  });
});
