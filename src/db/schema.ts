// The D1 schema, one place: drizzle-kit generates migrations/ from this file.
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

export const companies = sqliteTable("companies", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
});

export const regions = sqliteTable(
  "regions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("regions_company_name").on(t.companyId, t.name)],
);

export const sites = sqliteTable(
  "sites",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id),
    regionId: integer("region_id").references(() => regions.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    address: text("address"),
    postcode: text("postcode"),
    siteType: text("site_type"),
    floorAreaM2: real("floor_area_m2"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [
    index("sites_company").on(t.companyId),
    index("sites_region").on(t.regionId),
    uniqueIndex("sites_company_name").on(t.companyId, t.name),
  ],
);

export const suppliers = sqliteTable("suppliers", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  contactEmail: text("contact_email"),
  createdAt: createdAt(),
});

export const meters = sqliteTable(
  "meters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** MPAN core (13 digits) for electricity, MPRN (6–10 digits) for gas. */
    mpan: text("mpan").notNull().unique(),
    fuel: text("fuel", { enum: ["electricity", "gas"] }).notNull(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    supplierId: integer("supplier_id").references(() => suppliers.id, { onDelete: "set null" }),
    serial: text("serial"),
    name: text("name"),
    status: text("status", { enum: ["active", "inactive"] })
      .notNull()
      .default("active"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [index("meters_site").on(t.siteId)],
);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name"),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["admin", "manager", "viewer"] }).notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

/** What a non-admin user may see: the union of the companies, regions and sites granted. */
export const accessGrants = sqliteTable(
  "access_grants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    companyId: integer("company_id").references(() => companies.id, { onDelete: "cascade" }),
    regionId: integer("region_id").references(() => regions.id, { onDelete: "cascade" }),
    siteId: integer("site_id").references(() => sites.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [index("access_grants_user").on(t.userId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the cookie value: a leaked table cannot be replayed. */
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
    createdAt: createdAt(),
    ip: text("ip"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const apiTokens = sqliteTable("api_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  role: text("role", { enum: ["admin", "manager", "viewer"] }).notNull(),
  /** When set, the token sees only this company's data. */
  companyId: integer("company_id").references(() => companies.id, { onDelete: "cascade" }),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  lastUsedAt: text("last_used_at"),
  revokedAt: text("revoked_at"),
  createdAt: createdAt(),
});

/** Failed sign-ins per account and per IP, for temporary locks. */
export const loginAttempts = sqliteTable("login_attempts", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: integer("window_start").notNull(),
  lockedUntil: integer("locked_until"),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: createdAt(),
    actorUserId: integer("actor_user_id"),
    actorTokenId: integer("actor_token_id"),
    action: text("action").notNull(),
    entity: text("entity"),
    entityId: text("entity_id"),
    detail: text("detail"),
    ip: text("ip"),
  },
  (t) => [index("audit_log_at").on(t.at)],
);

/** Last run of each scheduled job, for /api/health. */
export const cronRuns = sqliteTable("cron_runs", {
  job: text("job").primaryKey(),
  lastStartedAt: text("last_started_at"),
  lastFinishedAt: text("last_finished_at"),
  lastStatus: text("last_status"),
  lastDetail: text("last_detail"),
});
