// Issue 11 end to end in workerd: supplier and portal files uploaded through the API, with the job's
// `detected` settings and grouped warnings, and the exact figures the readings API then returns. Each
// figure is worked out in the comment above its assertion; kWh from gas volume = m³ × 1.02264 × CV ÷ 3.6.
import { beforeAll, describe, expect, it, vi } from "vitest";
import endLabelled from "../fixtures/imports/end-labelled.csv?raw";
import gasM3 from "../fixtures/imports/gas-m3.csv?raw";
import whNoUnit from "../fixtures/imports/wh-no-unit.csv?raw";
import fifteen from "../fixtures/imports/fifteen-minute.csv?raw";
import headerless from "../fixtures/imports/headerless-wide.csv?raw";
import meterByContent from "../fixtures/imports/wide-meter-by-content.csv?raw";
import stark from "../fixtures/imports/stark-df2.txt?raw";
import footer from "../fixtures/imports/portal-footer.csv?raw";
import twoValues from "../fixtures/imports/two-value-columns.csv?raw";
import usDates from "../fixtures/imports/daily-us-dates.csv?raw";
import { call, json, login, MPAN_A, MPAN_B, ORIGIN, seedEstate } from "../helpers";
import { importCsv, readings, settle } from "./support";
import { SELF } from "cloudflare:test";

// Imports go through the real local queue; on a busy machine a job takes a few seconds.
vi.setConfig({ testTimeout: 30_000 });

const GAS = "7654321";
let admin: string;
beforeAll(async () => {
  await seedEstate();
  admin = await login("admin@example.com");
  const res = await call(
    "POST",
    "/api/meters",
    { mpan: GAS, fuel: "gas", siteId: 1000, calorificValue: 40 },
    { cookie: admin },
  );
  expect(res.status).toBe(201);
});

const dayTotals = async (mpan: string, from: string, to = from) =>
  (await readings(admin, mpan, from, to, "day")).data.map((d) => [d.date, d.kwh, d.periods]);

describe("end-labelled timestamps", () => {
  it("are detected, said on the job, and each day is stored whole", async () => {
    const job = await importCsv(admin, endLabelled);
    expect(job.status).toBe("completed");
    expect(job.detected).toMatchObject({
      layout: "narrow",
      timestampLabels: "end",
      timestampLabelsSource: "detected",
      intervalMinutes: 30,
      columns: { meter: "MPAN", timestamp: "Read Date Time", value: "kWh" },
    });
    // A: p/100 in period p of 26 Aug 2019 → (1+…+48)/100 = 11.76 over 48 half-hours; B 48 × 0.5 = 24.
    expect(await dayTotals(MPAN_A, "2019-08-26", "2019-08-27")).toEqual([["2019-08-26", 11.76, 48]]);
    expect(await dayTotals(MPAN_B, "2019-08-26", "2019-08-27")).toEqual([["2019-08-26", 24, 48]]);
  });
});

describe("gas volume", () => {
  it("converts m³ with the meter's calorific value, keeps the volume and returns it", async () => {
    const job = await importCsv(admin, gasM3, { meter: GAS });
    expect(job.status).toBe("completed");
    // CV 40: 1 m³ = 1.02264 × 40 ÷ 3.6 = 11.362667 kWh.
    expect(job.detected).toMatchObject({
      unit: "m3",
      meter: GAS,
      conversion: "kWh = m³ × 1.02264 × 40 ÷ 3.6 (calorific value 40 MJ/m³): 1 m³ = 11.362667 kWh",
    });
    const hh = await readings(admin, GAS, "2026-01-15", "2026-01-15", "hh");
    // 0.1 m³ → 1.1362666…, 0.2 m³ → 2.2725333… kWh; m³ comes back as read.
    expect(hh.data.map((r) => [r.period, Math.round(r.kwh * 1e6) / 1e6, r.m3])).toEqual([
      [1, 1.136267, 0.1],
      [2, 2.272533, 0.2],
    ]);
    const day = await call("GET", `/api/meters/${GAS}/readings?from=2026-01-15&to=2026-01-15`, undefined, {
      cookie: admin,
    });
    expect((await json(day)).data[0].m3).toBe(0.3);
    // The site's gas says its m³ too, and the kWh they cover: 0.3 m³ × 11.362667 = 3.4088 kWh.
    const site = await json(
      await call("GET", "/api/sites/1000/consumption?from=2026-01-15&to=2026-01-15", undefined, {
        cookie: admin,
      }),
    );
    expect(site.fuels.gas).toMatchObject({ kwh: 3.4088, m3: 0.3, m3Kwh: 3.4088 });
    expect(site.meters.find((m: { mpan: string }) => m.mpan === GAS)).toEqual({
      mpan: GAS,
      fuel: "gas",
      kwh: 3.4088,
      share: 1,
      m3: 0.3,
      m3Kwh: 3.4088,
    });
    expect(site.fuels.electricity?.m3).toBeUndefined();
  });

  it("takes calorificValue from the import over the meter's, and meters take it on PATCH", async () => {
    const patch = await call("PATCH", `/api/meters/${GAS}`, { calorificValue: 38 }, { cookie: admin });
    expect((await json(patch)).calorificValue).toBe(38);
    const refused = await call("PATCH", `/api/meters/${MPAN_A}`, { calorificValue: 38 }, { cookie: admin });
    expect(refused.status).toBe(400);
    const job = await importCsv(admin, gasM3.replaceAll("2026-01-15", "2026-01-16"), {
      meter: GAS,
      calorificValue: "39.5",
    });
    // 0.1 m³ × 1.02264 × 39.5 ÷ 3.6 = 1.122063; 0.2 m³ → 2.244127
    expect(job.detected!.conversion).toContain("× 39.5 ÷ 3.6");
    const hh = await readings(admin, GAS, "2026-01-16", "2026-01-16", "hh");
    expect(hh.data.map((r) => Math.round(r.kwh * 1e6) / 1e6)).toEqual([1.122063, 2.244127]);
  });
});

describe("a file in Wh", () => {
  it("is read with unit=Wh, and warned about as a unit slip without it", async () => {
    // MPAN_A holds 2019-08-26 at 11.76/48 = 0.245 kWh a half-hour (the end-labelled test above).
    const right = await importCsv(admin, whNoUnit, { meter: MPAN_A, unit: "Wh" });
    expect(right.warnings).toEqual([]);
    // 1500 and 2250 Wh → 1.5 + 2.25 = 3.75 kWh
    expect(await dayTotals(MPAN_A, "2026-01-15")).toEqual([["2026-01-15", 3.75, 2]]);
    const slip = await importCsv(admin, whNoUnit.replaceAll("2026-01-15", "2026-01-17"), { meter: MPAN_A });
    expect(slip.status).toBe("completed");
    // 3750 ÷ 2 = 1875 kWh a half-hour against the median of the stored days' half-hours (11.76 ÷ 48 =
    // 0.245 and 3.75 ÷ 2 = 1.875): 1.06, so 1875 ÷ 1.06 ≈ 1,769×.
    expect(slip.warnings).toEqual([
      {
        code: "unit_slip",
        message: `meter ${MPAN_A}: this file averages 1875 kWh a half-hour, about 1,769× more than its stored readings for other days (1.06 kWh): is the unit right? (the unit option: kWh, Wh, MWh, m3, ft3, hcf)`,
        count: 1,
        lines: [2],
      },
    ]);
  });
});

describe("date order", () => {
  it("is month-first when a date proves it", async () => {
    const job = await importCsv(admin, usDates);
    expect(job.detected).toMatchObject({ dateOrder: "mdy", dateOrderSource: "file", layout: "daily" });
    expect(await dayTotals(MPAN_A, "2012-10-13", "2012-11-02")).toEqual([
      ["2012-10-13", 12.5, null],
      ["2012-11-01", 7, null],
      ["2012-11-02", 8, null],
    ]);
  });

  it("is decided from the whole file, past its head, before any row is stored", async () => {
    // 24 rows of dates that could be either (day and month ≤ 12), each with 3 KB of notes so the head
    // (64 KB) holds no proof, then 12/13/2013: month-first.
    const notes = "x".repeat(3000);
    const rows = Array.from(
      { length: 24 },
      (_, i) => `${MPAN_B},${(i % 12) + 1}/${(i % 9) + 1}/2013,1,${notes}`,
    );
    const csv = ["MPAN,Date,kWh,Notes", ...rows, `${MPAN_B},12/13/2013,5,`].join("\n");
    const job = await importCsv(admin, csv);
    expect(job.status).toBe("completed");
    expect(job.detected).toMatchObject({ dateOrder: "mdy", dateOrderSource: "file" });
    expect(job.warnings).toEqual([]);
    // Row 1 is 1/1/2013; row 2 is 2/2, row 10 is 10/1/2013: 1 October month-first (10 January day-first).
    expect(await dayTotals(MPAN_B, "2013-10-01")).toEqual([["2013-10-01", 1, null]]);
    expect(await dayTotals(MPAN_B, "2013-01-10")).toEqual([]);
    expect(await dayTotals(MPAN_B, "2013-12-13")).toEqual([["2013-12-13", 5, null]]);
  });

  it("defaults to day-first with a warning when no date tells", async () => {
    const job = await importCsv(admin, `MPAN,Date,kWh\n${MPAN_B},03/04/2014,9\n`);
    expect(job.warnings.map((w) => [w.code, w.count, w.lines])).toEqual([["date_order_assumed", 1, []]]);
    expect(await dayTotals(MPAN_B, "2014-04-03")).toEqual([["2014-04-03", 9, null]]);
  });
});

describe("15-minute data", () => {
  it("is summed into complete half-hours, with a warning for the incomplete one", async () => {
    const job = await importCsv(admin, fifteen, { meter: MPAN_B });
    expect(job.detected).toMatchObject({
      intervalMinutes: 15,
      columns: { value: "reading", start: "start time", end: "end time" },
    });
    // 0.1 + 0.2 = 0.3 (period 1) and 0.4 + 0.5 = 0.9 (period 3); period 2 has one of two readings.
    expect(await dayTotals(MPAN_B, "2026-01-15")).toEqual([["2026-01-15", 1.2, 2]]);
    expect(job.warnings).toEqual([
      {
        code: "incomplete_half_hour",
        message: `meter ${MPAN_B}: period 2 of 2026-01-15 has 1 of its 2 readings, so it is left out`,
        count: 1,
        lines: [2],
      },
    ]);
  });
});

describe("headerless files", () => {
  it("are read by content, and by column numbers", async () => {
    const job = await importCsv(admin, headerless.replaceAll("15/01/26", "20/01/26"));
    expect(job.status).toBe("completed");
    expect(job.detected).toMatchObject({
      layout: "wide",
      headerLine: 0,
      columns: { meter: 1, date: 3, firstValue: 4 },
    });
    // A 48 × 0.5 = 24; B 48 × 1 = 48
    expect(await dayTotals(MPAN_A, "2026-01-20")).toEqual([["2026-01-20", 24, 48]]);
    expect(await dayTotals(MPAN_B, "2026-01-20")).toEqual([["2026-01-20", 48, 48]]);
    const numbered = await importCsv(admin, headerless.replaceAll("15/01/26", "21/01/26"), {
      columns: '{"meter":1,"date":3,"firstValue":4}',
    });
    expect(numbered.rowsImported).toBe(2);
    expect(await dayTotals(MPAN_A, "2026-01-21")).toEqual([["2026-01-21", 24, 48]]);
  });
});

describe("a meter column named M1_Code1", () => {
  it("is found by its MPAN values", async () => {
    const job = await importCsv(admin, meterByContent.replaceAll("15/01/2026", "22/01/2026"));
    expect(job.detected!.columns.meter).toBe("M1_Code1");
    // A 48 × 0.25 = 12; B 48 × 2 = 96
    expect(await dayTotals(MPAN_A, "2026-01-22")).toEqual([["2026-01-22", 12, 48]]);
    expect(await dayTotals(MPAN_B, "2026-01-22")).toEqual([["2026-01-22", 96, 48]]);
  });
});

describe("UTF-16 and Windows-1252 files", () => {
  const csv = `MPAN,Date,Cost (£),Consumption (m³)\n${GAS},2026-02-01,£3.00,1\n`;
  const utf16 = (text: string, little: boolean) => {
    const bytes = little ? [0xff, 0xfe] : [0xfe, 0xff];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      bytes.push(...(little ? [c & 255, c >> 8] : [c >> 8, c & 255]));
    }
    return new Uint8Array(bytes);
  };
  it.each([
    ["UTF-16 LE", utf16(csv, true), "utf-16le", "2026-02-01"],
    ["UTF-16 BE", utf16(csv.replace("2026-02-01", "2026-02-02"), false), "utf-16be", "2026-02-02"],
    [
      "Windows-1252",
      new Uint8Array(
        [...csv.replace("2026-02-01", "2026-02-03")].map((ch) =>
          ch === "£" ? 0xa3 : ch === "³" ? 0xb3 : ch.charCodeAt(0),
        ),
      ),
      "windows-1252",
      "2026-02-03",
    ],
  ])("imports %s", async (_, bytes, encoding, date) => {
    const job = await importCsv(admin, bytes as Uint8Array);
    expect(job.status).toBe("completed");
    expect(job.detected).toMatchObject({ encoding, unit: "m3" });
    // 1 m³ at the meter's CV 38 (set above): 1.02264 × 38 ÷ 3.6 = 10.794533 kWh
    const [[, kwh]] = await dayTotals(GAS, date as string);
    expect(Math.round(kwh * 1e6) / 1e6).toBe(10.794533);
  });

  it("still refuses real binary with 415", async () => {
    const form = new FormData();
    form.append(
      "file",
      new File([new Uint8Array([0x50, 0x4b, 3, 4, 0x14, 0, 0, 8, 8, 0, 0x9c, 0])], "x.xlsx"),
    );
    const res = await SELF.fetch(`${ORIGIN}/api/import/jobs`, {
      method: "POST",
      headers: { Cookie: admin, Origin: ORIGIN },
      body: form,
    });
    expect(res.status).toBe(415);
  });
});

describe("Stark DF2", () => {
  it("is imported meter by meter, end-labelled", async () => {
    const job = await importCsv(
      admin,
      stark.replaceAll("15/01/2026", "23/01/2026").replace("16/01/2026", "24/01/2026"),
      {},
      "hh.df2",
    );
    expect(job.status).toBe("completed");
    expect(job.detected).toMatchObject({ source: "stark-df2", timestampLabels: "end", layout: "narrow" });
    // A: 1.5 + 2.5 + 45 × 0 + 0.5 = 4.5 over 48 half-hours; B: 4 in period 1. Sensor 3's row skipped.
    expect(await dayTotals(MPAN_A, "2026-01-23", "2026-01-24")).toEqual([["2026-01-23", 4.5, 48]]);
    expect(await dayTotals(MPAN_B, "2026-01-23")).toEqual([["2026-01-23", 4, 1]]);
    expect(job.warnings.map((w) => [w.code, w.lines])).toEqual([["sensor_skipped", [52]]]);
  });
});

describe("a portal report's footer", () => {
  it("is skipped with one warning, and the job completes", async () => {
    const job = await importCsv(admin, footer.replaceAll("2026-01-1", "2026-03-1"));
    expect(job).toMatchObject({ status: "completed", rowsProcessed: 2, rowsImported: 2, rowsFailed: 0 });
    expect(job.warnings.map((w) => [w.code, w.count, w.lines])).toEqual([["footer_skipped", 2, [5, 6]]]);
    expect(job.warnings[0].message).toBe(
      "not a reading (a footer after the last one), skipped: Report Time Zone: Europe/London is neither an MPAN (13 or 21 characters) nor an MPRN (6–10 digits)",
    );
    expect(await dayTotals(MPAN_A, "2026-03-15", "2026-03-16")).toEqual([
      ["2026-03-15", 10, null],
      ["2026-03-16", 11, null],
    ]);
  });
});

describe("two value columns", () => {
  it("fail naming both candidates", async () => {
    const job = await importCsv(admin, twoValues);
    expect(job.status).toBe("failed");
    expect(job.error).toBe(
      '2 columns could hold the readings: "gas_usage_kwh", "elec_usage_kwh"; choose one with the columns option, e.g. {"value":"gas_usage_kwh"}',
    );
  });
});

describe("preview and re-run", () => {
  it("previews the detected settings and the first readings from the head", async () => {
    const form = new FormData();
    form.append("meter", GAS);
    form.append("file", new File([gasM3], "gas.csv"));
    const res = await call("POST", "/api/import/preview", form, { cookie: admin });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.detected).toMatchObject({ layout: "narrow", unit: "m3", meter: GAS, intervalMinutes: 30 });
    // CV 38: 0.1 m³ → 1.079453 kWh (1.02264 × 38 ÷ 3.6 ÷ 10)
    expect(
      body.readings.map((r: any) => [r.meter, r.date, r.period, r.start, Math.round(r.kwh * 1e6) / 1e6]),
    ).toEqual([
      [GAS, "2026-01-15", 1, "2026-01-15T00:00:00.000Z", 1.079453],
      [GAS, "2026-01-15", 2, "2026-01-15T00:30:00.000Z", 2.158907],
    ]);
    expect(body.unknownMeters).toEqual([]);
    const refused = await call(
      "POST",
      "/api/import/preview",
      (() => {
        const f = new FormData();
        f.append("file", new File([twoValues], "two.csv"));
        return f;
      })(),
      { cookie: admin },
    );
    expect(refused.status).toBe(422);
    expect((await json(refused)).error.code).toBe("ambiguous_value_column");
  });

  it("re-runs a job on its stored file with other options, removing what the first run wrote", async () => {
    const first = await importCsv(admin, `MPAN,Date,kWh\n${MPAN_B},05/06/2015,9\n`);
    expect(await dayTotals(MPAN_B, "2015-06-05")).toEqual([["2015-06-05", 9, null]]);
    const res = await call(
      "POST",
      `/api/import/jobs/${first.batchId}/rerun`,
      { dateOrder: "mdy", unit: "MWh" },
      { cookie: admin },
    );
    expect(res.status).toBe(202);
    const again = await settle(admin, first.batchId);
    expect(again).toMatchObject({ status: "completed", rowsImported: 1 });
    expect(again.detected).toMatchObject({ dateOrder: "mdy", dateOrderSource: "option", unit: "MWh" });
    // 05/06/2015 month-first is 6 May; 9 MWh = 9000 kWh. The 5 June day of the first run is gone.
    expect(await dayTotals(MPAN_B, "2015-05-06")).toEqual([["2015-05-06", 9000, null]]);
    expect(await dayTotals(MPAN_B, "2015-06-05")).toEqual([]);
    const bad = await call(
      "POST",
      `/api/import/jobs/${first.batchId}/rerun`,
      { unit: "litres" },
      { cookie: admin },
    );
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.field).toBe("unit");
  });
});
