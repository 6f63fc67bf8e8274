// The API: every capability's router mounted on one app, with the error handler and the OpenAPI document.
import { OpenAPIHono } from "@hono/zod-openapi";
import { analyticsRoutes } from "./analytics/routes";
import { auditRoutes } from "./audit/routes";
import { carbonRoutes } from "./carbon/routes";
import { authRoutes } from "./auth/routes";
import { tokenRoutes } from "./auth/tokens";
import type { AppEnv } from "./auth/principal";
import { companyRoutes } from "./companies/routes";
import { docsPolicy, renderDocs } from "./docs/page";
import { healthRoutes } from "./health/routes";
import { errorBody, handleError } from "./http/errors";
import { securityHeaders } from "./http/security-headers";
import { importRoutes } from "./imports/routes";
import { uploadRoutes } from "./imports/uploads";
import { webhookRoutes } from "./imports/webhooks";
import { meterRoutes } from "./meters/routes";
import { readingRoutes } from "./readings/routes";
import { siteImportRoutes } from "./sites/bulk-import";
import { siteRoutes } from "./sites/routes";
import { supplierRoutes } from "./suppliers/routes";
import { analysisRoutes } from "./tariffs/analysis-routes";
import { tariffRoutes } from "./tariffs/routes";
import { userRoutes } from "./users/routes";
import { alarmRoutes } from "./alarms/routes";
import { notificationRoutes } from "./notifications/routes";
import { qualityRoutes } from "./quality/routes";
import { schedulerRoutes } from "./scheduler/routes";

export const app = new OpenAPIHono<AppEnv>();

app.use("*", securityHeaders);
app.use("/api/*", async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
});

for (const routes of [
  healthRoutes,
  authRoutes,
  tokenRoutes,
  userRoutes,
  companyRoutes,
  siteImportRoutes,
  siteRoutes,
  readingRoutes,
  meterRoutes,
  supplierRoutes,
  importRoutes,
  uploadRoutes,
  webhookRoutes,
  auditRoutes,
  analyticsRoutes,
  carbonRoutes,
  qualityRoutes,
  alarmRoutes,
  notificationRoutes,
  schedulerRoutes,
  tariffRoutes,
  analysisRoutes,
]) {
  app.route("/", routes);
}

app.openAPIRegistry.registerComponent("securitySchemes", "session", {
  type: "apiKey",
  in: "cookie",
  name: "eclectyc_session",
});
app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });

const documentConfig = {
  openapi: "3.1.0",
  info: { title: "Eclectyc Energy", version: "0.1.0", description: "Energy management for UK estates." },
};
/** The OpenAPI document: served below, and the source of the SPA's types (`npm run api:types`). */
export const openApiDocument = () => app.getOpenAPI31Document(documentConfig);
app.doc31("/api/openapi.json", documentConfig);
app.get("/api/docs", async (c) => {
  c.header("Content-Security-Policy", await docsPolicy());
  return c.html(renderDocs(openApiDocument()));
});

// The SPA's pages: wrangler.toml runs the Worker first for every path but /assets/*, so that its HTML
// gets the security headers; the assets binding answers it (index.html for a client-side route).
app.on(["GET", "HEAD"], "*", async (c, next) => {
  if (c.req.path.startsWith("/api/")) return next();
  const page = await c.env.ASSETS.fetch(c.req.raw);
  return new Response(page.body, page); // a fetched response's headers cannot be changed
});

app.notFound((c) =>
  c.json(errorBody("not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404),
);
app.onError(handleError);
