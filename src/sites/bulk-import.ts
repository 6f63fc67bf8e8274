// Bulk onboarding: a CSV of sites (and optionally one meter per row) validated row by row.
// Bad rows come back with their line and reason; every good row is created.
import { and, eq, sql } from "drizzle-orm";
import { visibleCompanies } from "../access/scope";
import Papa from "papaparse";
import { audit } from "../audit/log";
import { isScoped, type Principal } from "../auth/principal";
import { database, type Db } from "../db/client";
import { companies, meters, regions, sites, suppliers } from "../db/schema";
import { isOneOf, SITE_TYPES, type Fuel, type SiteType } from "../enums";
import { ApiError, badRequest } from "../http/errors";
import { defineRoute, jsonResponse, router, z } from "../http/openapi";
import { guessFuel, parseMeterId } from "../meters/mpan";
import { normalisePostcode } from "./domain";
import { defaultCompanyId } from "./store";

export const BULK_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

const HEADER_ALIASES: Record<string, string[]> = {
  name: ["name", "site", "site name", "sitename"],
  company: ["company", "client", "company name", "customer"],
  region: ["region", "area"],
  postcode: ["postcode", "post code", "postal code", "zip"],
  address: ["address", "site address"],
  type: ["type", "site type", "sitetype"],
  floorArea: ["floor area", "floor_area", "floor area m2", "floorarea", "gia", "floor area (m2)"],
  mpan: ["mpan", "mprn", "mpan core", "meter", "meter id", "mpan/mprn"],
  fuel: ["fuel", "utility"],
  meterName: ["meter name", "meter_name", "metername"],
  supplier: ["supplier"],
  serial: ["serial", "meter serial", "msn"],
};

type Column = keyof typeof HEADER_ALIASES;
export type BulkRowError = { line: number; field?: string; message: string };

function mapHeaders(header: string[]): Partial<Record<Column, number>> {
  const normalised = header.map((h) => h.trim().toLowerCase().replace(/[_-]+/g, " ").replace(/\s+/g, " "));
  const found: Partial<Record<Column, number>> = {};
  for (const [column, aliases] of Object.entries(HEADER_ALIASES) as [Column, string[]][]) {
    const index = normalised.findIndex((h) => aliases.includes(h) || aliases.includes(h.replace(/ /g, "_")));
    if (index >= 0) found[column] = index;
  }
  return found;
}

/** Finds or creates by name, remembering answers so a file of 5,000 rows asks D1 once per name. */
function namedCache<T>(lookup: (name: string) => Promise<T>) {
  const cache = new Map<string, Promise<T>>();
  return (name: string) => {
    const key = name.toLowerCase();
    if (!cache.has(key)) cache.set(key, lookup(name));
    return cache.get(key)!;
  };
}

/**
 * A scoped principal (a company-scoped token) imports into its own company only: rows naming another
 * company, or a company or supplier that would have to be created, are refused with their line.
 */
export async function importSitesCsv(db: Db, text: string, principal: Principal) {
  const scoped = isScoped(principal);
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: false });
  const rows = parsed.data;
  if (rows.length === 0 || rows[0].every((h) => h.trim() === ""))
    throw badRequest("the file is empty", "file");
  const cols = mapHeaders(rows[0]);
  if (cols.name === undefined) {
    throw badRequest(`no site name column: headers seen were ${rows[0].join(", ")}; expected "name"`, "file");
  }
  const errors: BulkRowError[] = [];
  const created = { companies: 0, sites: 0, meters: 0, suppliers: 0 };
  const defaultCompany = principal.scope.companyId ?? (await defaultCompanyId(db));
  const companyId = namedCache(async (name): Promise<number | null> => {
    const visible = visibleCompanies(principal, sql`${companies.id}`);
    const row = await db
      .select()
      .from(companies)
      .where(and(eq(companies.name, name), visible))
      .get();
    if (row) return row.id;
    if (scoped) return null;
    created.companies++;
    return (await db.insert(companies).values({ name }).returning().get()).id;
  });
  const supplierId = namedCache(async (name): Promise<number | null> => {
    const row = await db.select().from(suppliers).where(eq(suppliers.name, name)).get();
    if (row) return row.id;
    if (scoped) return null;
    created.suppliers++;
    return (await db.insert(suppliers).values({ name }).returning().get()).id;
  });
  const seenMeters = new Map<string, number>();

  for (let i = 1; i < rows.length; i++) {
    const line = i + 1;
    const row = rows[i];
    if (row.every((cell) => cell.trim() === "")) continue;
    const cell = (c: Column) => (cols[c] === undefined ? "" : (row[cols[c]!] ?? "").trim());
    const fail = (field: string, message: string) => errors.push({ line, field, message });

    const name = cell("name");
    if (!name) {
      fail("name", "site name is empty");
      continue;
    }
    let postcode: string | null = null;
    if (cell("postcode")) {
      postcode = normalisePostcode(cell("postcode"));
      if (!postcode) {
        fail("postcode", `"${cell("postcode")}" is not a UK postcode`);
        continue;
      }
    }
    const typeText = cell("type").toLowerCase();
    let type: SiteType | null = null;
    if (typeText) {
      if (!isOneOf(SITE_TYPES, typeText)) {
        fail("type", `site type "${typeText}" is not one of ${SITE_TYPES.join(", ")}`);
        continue;
      }
      type = typeText;
    }
    let floorArea: number | null = null;
    if (cell("floorArea")) {
      floorArea = Number(cell("floorArea").replace(/,/g, ""));
      if (!Number.isFinite(floorArea) || floorArea <= 0) {
        fail("floor_area", `floor area "${cell("floorArea")}" is not a positive number`);
        continue;
      }
    }
    let meter: { id: string; fuel: Fuel } | null = null;
    if (cell("mpan")) {
      const fuelText = cell("fuel").toLowerCase();
      const fuel: Fuel | null = !fuelText
        ? guessFuel(cell("mpan"))
        : fuelText.startsWith("elec")
          ? "electricity"
          : fuelText === "gas"
            ? "gas"
            : null;
      if (!fuel) {
        fail("fuel", `fuel "${fuelText}" is not electricity or gas`);
        continue;
      }
      const id = parseMeterId(cell("mpan"), fuel);
      if (!id.ok) {
        fail("mpan", `${fuel === "gas" ? "MPRN" : "MPAN"} ${cell("mpan")}: ${id.reason}`);
        continue;
      }
      if (seenMeters.has(id.id)) {
        fail("mpan", `meter ${id.id} appears twice in the file (first on line ${seenMeters.get(id.id)})`);
        continue;
      }
      if (await db.select({ id: meters.id }).from(meters).where(eq(meters.mpan, id.id)).get()) {
        fail("mpan", `meter ${id.id} already exists`);
        continue;
      }
      seenMeters.set(id.id, line);
      meter = { id: id.id, fuel };
    }

    const company = cell("company") ? await companyId(cell("company")) : defaultCompany;
    if (company === null) {
      fail("company", `company "${cell("company")}" does not exist or is outside your scope`);
      continue;
    }
    const supplier = meter && cell("supplier") ? await supplierId(cell("supplier")) : null;
    if (meter && cell("supplier") && supplier === null) {
      fail("supplier", `supplier "${cell("supplier")}" does not exist (a scoped token cannot create one)`);
      continue;
    }
    let regionId: number | null = null;
    if (cell("region")) {
      const region = await db
        .select()
        .from(regions)
        .where(and(eq(regions.companyId, company), eq(regions.name, cell("region"))))
        .get();
      regionId =
        region?.id ??
        (
          await db
            .insert(regions)
            .values({ companyId: company, name: cell("region") })
            .returning()
            .get()
        ).id;
    }
    let site = await db
      .select({ id: sites.id })
      .from(sites)
      .where(and(eq(sites.companyId, company), eq(sites.name, name)))
      .get();
    if (!site) {
      site = await db
        .insert(sites)
        .values({
          companyId: company,
          regionId,
          name,
          postcode,
          address: cell("address") || null,
          siteType: type,
          floorAreaM2: floorArea,
        })
        .returning({ id: sites.id })
        .get();
      created.sites++;
    }
    if (meter) {
      await db.insert(meters).values({
        mpan: meter.id,
        fuel: meter.fuel,
        siteId: site.id,
        name: cell("meterName") || null,
        serial: cell("serial") || null,
        supplierId: supplier,
      });
      created.meters++;
    }
  }
  return {
    sitesCreated: created.sites,
    metersCreated: created.meters,
    companiesCreated: created.companies,
    suppliersCreated: created.suppliers,
    errors,
  };
}

const ResultSchema = z
  .object({
    sitesCreated: z.number().int(),
    metersCreated: z.number().int(),
    companiesCreated: z.number().int(),
    suppliersCreated: z.number().int(),
    errors: z.array(z.object({ line: z.number().int(), field: z.string().optional(), message: z.string() })),
  })
  .openapi("SiteImportResult");

export const siteImportRoutes = router().openapi(
  defineRoute({
    method: "post",
    path: "/api/sites/import",
    role: "admin",
    scope: "filtered",
    tags: ["sites"],
    summary: "Bulk-create sites and meters from a CSV (multipart `file`, or a text/csv body)",
    description:
      "Columns (any order, header row first): name, company, region, postcode, address, type, floor_area, mpan, fuel, meter_name, supplier, serial.",
    responses: {
      200: jsonResponse(ResultSchema, "what was created, and each bad row with its line and reason"),
    },
  }),
  async (c) => {
    const type = c.req.header("Content-Type") ?? "";
    const length = Number(c.req.header("Content-Length") ?? 0);
    if (length > BULK_IMPORT_MAX_BYTES) {
      throw new ApiError(413, "too_large", `the file is over ${BULK_IMPORT_MAX_BYTES / 1024 / 1024} MB`);
    }
    let text: string;
    if (type.startsWith("multipart/form-data")) {
      // workerd throws a TypeError for a body it cannot split (no boundary, or a body that does not match it).
      const form = await c.req.formData().catch(() => {
        throw badRequest("the multipart body could not be read (is its boundary missing?)", "file");
      });
      const file = form.get("file");
      if (!file || typeof file === "string") throw badRequest("attach the CSV as the `file` field", "file");
      if (file.size > BULK_IMPORT_MAX_BYTES) throw new ApiError(413, "too_large", "the file is over 5 MB");
      text = await file.text();
    } else if (type.startsWith("text/csv") || type.startsWith("text/plain")) {
      text = await c.req.text();
    } else {
      throw new ApiError(
        415,
        "unsupported_media_type",
        "send multipart/form-data with a `file`, or text/csv",
      );
    }
    if (text.includes("\u0000")) throw new ApiError(415, "not_text", "the file is not a text CSV");
    const result = await importSitesCsv(database(c.env), text, c.get("principal"));
    await audit(c, "site.bulk_import", {
      entity: "site",
      detail: { ...result, errors: result.errors.length },
    });
    return c.json(result, 200);
  },
);
