// D1 access for users, their sessions and their access grants. Only admins with no scope restriction
// manage users, so no visibility filter applies here.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { insertUnlessTaken } from "../db/unique";
import { accessGrants, companies, regions, sessions, sites, users } from "../db/schema";
import type { Role } from "../enums";

const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  createdAt: users.createdAt,
};
const grantColumns = {
  id: accessGrants.id,
  companyId: accessGrants.companyId,
  regionId: accessGrants.regionId,
  siteId: accessGrants.siteId,
};
type Grant = { id: number; companyId: number | null; regionId: number | null; siteId: number | null };
type UserChanges = Partial<{ name: string | null; role: Role; active: boolean; passwordHash: string }>;

/** Every user by email, each with their grants. */
export async function listUsers(db: Db) {
  const [rows, grants] = await Promise.all([
    db.select(userColumns).from(users).orderBy(asc(users.email)),
    db
      .select({ userId: accessGrants.userId, ...grantColumns })
      .from(accessGrants)
      .orderBy(asc(accessGrants.id)),
  ]);
  const grantsOf = new Map<number, Grant[]>();
  for (const { userId, ...grant } of grants) grantsOf.set(userId, [...(grantsOf.get(userId) ?? []), grant]);
  return rows.map((u) => ({ ...u, grants: grantsOf.get(u.id) ?? [] }));
}

export function getUser(db: Db, id: number) {
  return db.select(userColumns).from(users).where(eq(users.id, id)).get();
}

/** A new user, or undefined when the email is taken. */
export function createUser(db: Db, user: Omit<typeof users.$inferInsert, "id" | "createdAt">) {
  return insertUnlessTaken(db, users, users.email, user, userColumns);
}

export function updateUser(db: Db, id: number, changes: UserChanges) {
  return db.update(users).set(changes).where(eq(users.id, id)).returning(userColumns).get();
}

/** Signs a user out everywhere (after a role or password change, or deactivation). */
export async function endSessionsOf(db: Db, userId: number) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Deletes a user (their sessions and grants go with them): false when there is none of that id. */
export async function deleteUser(db: Db, id: number) {
  const row = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id }).get();
  return row !== undefined;
}

/** What a grant can name: exactly one company, region or site. */
type GrantTarget = { companyId?: number; regionId?: number; siteId?: number };
const grantTables = { companyId: companies, regionId: regions, siteId: sites };

/** Whether the company, region or site a grant would name exists. */
export async function grantTargetExists(db: Db, key: keyof typeof grantTables, id: number) {
  const table = grantTables[key];
  return (await db.select({ id: table.id }).from(table).where(eq(table.id, id)).get()) !== undefined;
}

export function createGrant(db: Db, userId: number, target: GrantTarget) {
  return db
    .insert(accessGrants)
    .values({
      userId,
      companyId: target.companyId ?? null,
      regionId: target.regionId ?? null,
      siteId: target.siteId ?? null,
    })
    .returning(grantColumns)
    .get();
}

/** Deletes one of a user's grants: false when the user has no grant of that id. */
export async function deleteGrant(db: Db, userId: number, grantId: number) {
  const row = await db
    .delete(accessGrants)
    .where(and(eq(accessGrants.id, grantId), eq(accessGrants.userId, userId)))
    .returning({ id: accessGrants.id })
    .get();
  return row !== undefined;
}
