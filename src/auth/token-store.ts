// D1 access for the API tokens admins manage: their list with each creator, creation and revocation.
// (The middleware's lookup of a presented token stays beside the rest of authentication.)
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiTokens, users } from "../db/schema";
import type { Role } from "../enums";

/** Every token, newest first, with the user who made it (null once that user is deleted). */
export function listTokens(db: Db) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      role: apiTokens.role,
      companyId: apiTokens.companyId,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      creatorId: users.id,
      creatorEmail: users.email,
      creatorRole: users.role,
      creatorActive: users.active,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.id));
}
export type TokenRow = Awaited<ReturnType<typeof listTokens>>[number];

/** Stores a new token by its hash and shown prefix; the secret itself is never stored. */
export function createToken(
  db: Db,
  token: {
    name: string;
    role: Role;
    companyId: number | null;
    tokenHash: string;
    prefix: string;
    createdBy: number | null;
  },
) {
  return db.insert(apiTokens).values(token).returning({ id: apiTokens.id }).get();
}

/** Revokes a token that is still active: false when there is none of that id. */
export async function revokeToken(db: Db, id: number) {
  const row = await db
    .update(apiTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id })
    .get();
  return row !== undefined;
}
