// Sign-in, sign-out and "who am I".
import { eq } from "drizzle-orm";
import { audit, clientIp } from "../audit/log";
import { database } from "../db/client";
import { users } from "../db/schema";
import { ApiError } from "../http/errors";
import { removal } from "../http/removal";
import { defineRoute, errorResponse, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { ROLES } from "../enums";
import { verifyPassword } from "./crypto";
import { isCrossOriginWrite } from "./middleware";
import { createSession, destroySession, forgetPresentedSession } from "./session";
import { clearPair, clearThrottle, listThrottles, lockedFor, recordFailure } from "./throttle";

export const MeSchema = z
  .object({
    id: z.number().int().nullable(),
    email: z.string().nullable(),
    role: z.enum(ROLES),
    name: z.string().nullable(),
  })
  .openapi("Me");

const ThrottleSchema = z
  .object({
    key: z.string(),
    kind: z.enum(["pair", "account", "ip"]),
    email: z.string().nullable(),
    ip: z.string().nullable(),
    failures: z.number().int(),
    since: z.string(),
    lockedUntil: z.string().nullable(),
  })
  .openapi("SignInLock");

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
      description:
        "Five failures for one account from one IP in 15 minutes lock that account from that IP for 15 minutes; see the README for the whole rule.",
      request: { body: jsonBody(LoginSchema) },
      responses: {
        200: jsonResponse(MeSchema, "signed in"),
        403: errorResponse("sent from another site's page (code `csrf`)"),
        429: errorResponse(
          "this account is locked from this IP (`throttled`), or the IP is over its request limit (`rate_limited`); Retry-After says for how long",
        ),
      },
    }),
    async (c) => {
      // Login CSRF: another site's page must not sign the browser in to an account of the attacker's.
      if (isCrossOriginWrite(c.req.raw)) {
        throw new ApiError(
          403,
          "csrf",
          "cross-origin request refused: writes must come from this site's own pages",
        );
      }
      const { email, password } = c.req.valid("json");
      const db = database(c.env);
      const ip = clientIp(c);
      const attempt = { email, ip };
      const now = Date.now();
      const wait = await lockedFor(db, attempt, now);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new ApiError(
          429,
          "throttled",
          `too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minutes`,
          undefined,
          { "Retry-After": String(seconds) },
        );
      }
      const user = await db.select().from(users).where(eq(users.email, email)).get();
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || !user.active) {
        await recordFailure(db, attempt, now);
        await audit(c, "auth.login_failed", {
          entity: "user",
          entityId: user?.id ?? null,
          detail: { email },
        });
        throw new ApiError(401, "bad_credentials", "email or password is wrong");
      }
      await clearPair(db, attempt);
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
      responses: {
        204: { description: "signed out" },
        400: errorResponse("called with an API token, which is revoked instead"),
      },
    }),
    async (c) => {
      const { tokenId } = c.get("principal");
      if (tokenId !== null) {
        throw new ApiError(
          400,
          "token_logout",
          `an API token is not signed out; revoke it with DELETE /api/tokens/${tokenId}`,
        );
      }
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
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/auth/locks",
      role: "admin",
      scope: "global",
      tags: ["auth"],
      summary: "Sign-in locks: locked (IP, account) pairs, and accounts and IPs on alert",
      responses: { 200: jsonResponse(z.object({ data: z.array(ThrottleSchema) }), "locks, newest first") },
    }),
    async (c) => c.json({ data: await listThrottles(database(c.env), Date.now()) }, 200),
  )
  .openapi(
    ...removal(
      "/api/auth/locks/{key}",
      "Clear a sign-in lock or alert (its key, URL-encoded, from GET /api/auth/locks)",
      {
        role: "admin",
        scope: "global",
        params: z.object({ key: z.string().min(1).max(600) }),
        what: "sign-in lock",
        entity: "login_lock",
        action: "auth.lock_clear",
        remove: (c, { key }) => clearThrottle(database(c.env), key),
      },
    ),
  );
