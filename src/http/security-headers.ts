// Security headers on everything the Worker answers: the API, the docs page and the SPA's pages (which
// wrangler.toml routes through the Worker; only the hashed files under /assets/ are served without it).
// A strict Content-Security-Policy (no inline script anywhere), no framing, same-origin referrers, and
// HSTS wherever the host is not this machine.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

type Policy = NonNullable<Parameters<typeof secureHeaders>[0]>["contentSecurityPolicy"];

/** What no page of ours needs: plugins, a <base>, being framed. */
const LOCKED = { objectSrc: ["'none'"], baseUri: ["'none'"], frameAncestors: ["'none'"] };

/**
 * The SPA: its own scripts and styles (Preact and uPlot set styles through the CSSOM, which CSP
 * allows), the API over fetch and the import WebSocket, and data: images (the favicon is one).
 */
export const PAGE_POLICY: Policy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  ...LOCKED,
};

/** JSON and CSV load nothing; a page that needs more (the docs) sets its own policy. */
export const API_POLICY: Policy = { defaultSrc: ["'none'"], formAction: ["'none'"], ...LOCKED };

export const HSTS = "max-age=31536000; includeSubDomains";

/** This machine: plain http in development, where HSTS would only get in the way. */
export function isLocalHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

const common = {
  referrerPolicy: "same-origin",
  xFrameOptions: "DENY", // for browsers that predate frame-ancestors
  strictTransportSecurity: false, // set below, by host
  // A handler's own header wins (the docs page sets its own Content-Security-Policy).
  overwrite: false,
} as const;
const apiHeaders = secureHeaders({ ...common, contentSecurityPolicy: API_POLICY });
const pageHeaders = secureHeaders({ ...common, contentSecurityPolicy: PAGE_POLICY });

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await (c.req.path.startsWith("/api/") ? apiHeaders : pageHeaders)(c, next);
  if (!isLocalHost(new URL(c.req.url).hostname)) c.header("Strict-Transport-Security", HSTS);
};
