import { Hono } from "hono";

export const app = new Hono<{ Bindings: Env }>();
app.get("/api/health", (c) => c.json({ status: "healthy" }));
