// Sign-in, sign-out and "who am I".
import { eq } from "drizzle-orm";
import { audit, clientIp } from "../audit/log";
import { database } from "../db/client";
import { users } from "../db/schema";
import { ApiError } from "../http/errors";
import { defineRoute, errorResponse, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { verifyPassword } from "./crypto";
import { ROLES } from "../enums";
import { createSession, destroySession, forgetPresentedSession } from "./session";
import { THROTTLE, accountKey, clearFailures, ipKey, lockedFor, recordFailure } from "./throttle";

export const MeSchema = z
  .object({
    id: z.number().int().nullable(),
    email: z.string().nullable(),
    role: z.enum(ROLES),
    name: z.string().nullable(),
  })
  .openapi("Me");

const LoginSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

// A real hash of a random password, so an unknown email costs the same PBKDF2 time as a known one.
const DUMMY_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export const authRoutes = router()
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/auth/login",
      role: "public",
      tags: ["auth"],
      summary: "Sign in with email and password; sets the session cookie",
      request: { body: jsonBody(LoginSchema) },
      responses: {
        200: jsonResponse(MeSchema, "signed in"),
        429: errorResponse("too many failures"),
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const db = database(c.env);
      const ip = clientIp(c);
      const now = Date.now();
      const wait = await lockedFor(db, [accountKey(email), ipKey(ip)], now);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new ApiError(
          429,
          "throttled",
          `too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minutes`,
          undefined,
          {
            "Retry-After": String(seconds),
          },
        );
      }
      const user = await db.select().from(users).where(eq(users.email, email)).get();
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || !user.active) {
        await recordFailure(db, accountKey(email), THROTTLE.maxPerAccount, now);
        await recordFailure(db, ipKey(ip), THROTTLE.maxPerIp, now);
        await audit(c, "auth.login_failed", {
          entity: "user",
          entityId: user?.id ?? null,
          detail: { email },
        });
        throw new ApiError(401, "bad_credentials", "email or password is wrong");
      }
      await clearFailures(db, accountKey(email));
      // Rotation: whatever session the browser had is dropped and a fresh one issued.
      await forgetPresentedSession(db, c);
      await createSession(db, c, user.id, ip);
      await audit(c, "auth.login", { entity: "user", entityId: user.id, userId: user.id });
      return c.json({ id: user.id, email: user.email, role: user.role, name: user.name }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/auth/logout",
      role: "viewer",
      scope: "own",
      tags: ["auth"],
      summary: "Sign out: ends the session",
      responses: { 204: { description: "signed out" } },
    }),
    async (c) => {
      await audit(c, "auth.logout", { entity: "user", entityId: c.get("principal").userId });
      await destroySession(database(c.env), c);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/auth/me",
      role: "viewer",
      scope: "own",
      tags: ["auth"],
      summary: "The signed-in user (or the token's identity)",
      responses: { 200: jsonResponse(MeSchema, "the caller") },
    }),
    (c) => {
      const p = c.get("principal");
      return c.json({ id: p.userId ?? p.tokenId, email: p.email, role: p.role, name: p.name }, 200);
    },
  );
