// The bell: the caller's own notifications (newest first, with the unread count) and marking them read.
import { defineRoute, jsonBody, jsonResponse, router, z } from "../http/openapi";
import { listNotifications, markRead } from "./in-app";

const NotificationSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(["alarm", "quality", "scheduler"]),
    title: z.string(),
    body: z.string(),
    link: z.string().openapi({ description: "the page it is about, within the app" }),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi("Notification");

const ReadBody = z
  .object({
    ids: z
      .union([z.array(z.number().int().positive()).min(1).max(1000), z.literal("all")])
      .openapi({ description: 'ids of the caller\'s notifications, or "all"' }),
  })
  .strict()
  .openapi("NotificationsRead");

export const notificationRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/notifications",
      role: "viewer",
      scope: "own",
      tags: ["notifications"],
      summary: "The caller's notifications: alarm triggers and quality issues that became critical",
      request: {
        query: z.object({
          unread: z.enum(["0", "1"]).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(NotificationSchema), unread: z.number().int() }),
          "notifications",
        ),
      },
    }),
    async (c) => {
      const { unread, limit } = c.req.valid("query");
      const p = c.get("principal");
      const body = await listNotifications(c.env.DB, p.userId ?? p.actingFor, unread === "1", limit);
      return c.json(body as { data: z.infer<typeof NotificationSchema>[]; unread: number }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/notifications/read",
      role: "viewer",
      scope: "own",
      tags: ["notifications"],
      summary: "Mark the caller's notifications read",
      request: { body: jsonBody(ReadBody) },
      responses: { 200: jsonResponse(z.object({ marked: z.number().int() }), "how many were unread") },
    }),
    async (c) => {
      const p = c.get("principal");
      const marked = await markRead(c.env.DB, p.userId ?? p.actingFor, c.req.valid("json").ids);
      return c.json({ marked }, 200);
    },
  );
