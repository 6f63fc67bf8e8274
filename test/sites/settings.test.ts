// A site's consumption settings: named normalisers and working hours, through PATCH /api/sites/:id.
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, seedEstate } from "../helpers";

let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
});

const patch = (body: unknown) => call("PATCH", "/api/sites/1000", body, { cookie: admin });

describe("site settings", () => {
  it("start with no normalisers and the default hours, Monday–Friday 08:00–18:00", async () => {
    const site = await json(await call("GET", "/api/sites/1000", undefined, { cookie: admin }));
    expect(site.normalisers).toEqual([]);
    expect(site.workingHours).toEqual({ weekday: { open: "08:00", close: "18:00" }, weekend: null });
  });

  it("keep normalisers and hours, and null restores the default hours", async () => {
    const hours = { weekday: { open: "07:30", close: "24:00" }, weekend: null };
    const res = await patch({ normalisers: [{ name: "beds", value: 120 }], workingHours: hours });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      normalisers: [{ name: "beds", value: 120 }],
      workingHours: hours,
    });
    const reset = await json(await patch({ workingHours: null }));
    expect(reset.workingHours).toEqual({ weekday: { open: "08:00", close: "18:00" }, weekend: null });
    expect(reset.normalisers).toEqual([{ name: "beds", value: 120 }]);
  });

  it.each([
    [{ normalisers: [{ name: "beds", value: 0 }] }, "normalisers.0.value"],
    [{ normalisers: [{ name: "floorArea", value: 3 }] }, "normalisers.0.name"],
    [
      {
        normalisers: [
          { name: "a", value: 1 },
          { name: "a", value: 2 },
        ],
      },
      "normalisers",
    ],
    [
      { workingHours: { weekday: { open: "08:15", close: "18:00" }, weekend: null } },
      "workingHours.weekday.open",
    ],
    [
      { workingHours: { weekday: { open: "18:00", close: "08:00" }, weekend: null } },
      "workingHours.weekday.close",
    ],
    [{ workingHours: { weekday: null } }, "workingHours.weekend"],
  ])("refuse %j with 400 naming %s", async (body, field) => {
    const res = await patch(body);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: "invalid", field });
  });
});
