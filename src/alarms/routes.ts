// Alarms API: admins manage alarms; everyone sees the alarms and triggers of meters and sites in their
// scope. A preview answers what an alarm would have triggered on over the last 90 days.
import type { Context } from "hono";
import type { AppEnv } from "../auth/principal";
import { database } from "../db/client";
import { ALARM_METRICS, ALARM_OPERATORS, ALARM_PERIODS, type AlarmMetric } from "../enums";
import { roundPence } from "../tariffs/bill";
import { badRequest, found } from "../http/errors";
import {
  defineRoute,
  IdParam,
  jsonBody,
  jsonResponse,
  meterOrSiteFields,
  pageOf,
  pagingFields,
  router,
  windowed,
  z,
} from "../http/openapi";
import { change, creation, lookup, visibleById } from "../http/record";
import { removal } from "../http/removal";
import { getMeter, meterKey } from "../meters/store";
import { getSite } from "../sites/store";
import { breaches, PREVIEW_DAYS, recentWindow } from "./evaluate";
import {
  alarmRow,
  createAlarm,
  deleteAlarm,
  getAlarm,
  listAlarms,
  listTriggers,
  updateAlarm,
  type AlarmFields,
} from "./store";

/** An alarm as the record routes find it: by its `{id}`, when the caller may see it. */
const alarmRecord = { what: "alarm", find: visibleById(getAlarm) };

/** Pence are carried unrounded and rounded once, on output (0.01 p); other metrics as computed. */
function shown<T extends { value: number; threshold: number; previous?: number | null }>(
  metric: AlarmMetric,
  b: T,
): T {
  if (metric !== "costPence") return b;
  const previous = b.previous == null ? {} : { previous: roundPence(b.previous) };
  return { ...b, value: roundPence(b.value), threshold: roundPence(b.threshold), ...previous };
}

const metricField = z.enum(ALARM_METRICS).openapi({
  description:
    "kwh, baseloadKw, peakKw, or costPence: the total cost in pence incl. VAT from the meters' tariffs",
});

const AlarmSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    mpan: z.string().nullable(),
    siteId: z.number().int(),
    siteName: z.string(),
    scope: z.enum(["meter", "site"]),
    metric: metricField,
    period: z.enum(ALARM_PERIODS),
    operator: z.enum(ALARM_OPERATORS),
    threshold: z.number().nullable(),
    pctAbovePrevious: z.number().nullable(),
    recipients: z.array(z.string()),
    webhook: z.boolean(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string().nullable(),
    lastTriggeredAt: z.string().nullable(),
    triggers: z.number().int(),
  })
  .openapi("Alarm");

const fields = {
  name: z.string().trim().min(1, "a name is required").max(200),
  mpan: z.string().trim().min(1).max(40),
  siteId: z.number().int().positive(),
  metric: metricField,
  period: z.enum(ALARM_PERIODS),
  operator: z.enum(ALARM_OPERATORS),
  threshold: z.number().finite().openapi({ description: "in the metric's unit (pence for costPence)" }),
  pctAbovePrevious: z.number().finite().gt(-100, "pctAbovePrevious must be over -100"),
  recipients: z.array(z.string().trim().email("not an email address")).max(50),
  webhook: z.boolean(),
  active: z.boolean(),
};

type Either = {
  mpan?: string | null;
  siteId?: number | null;
  threshold?: number | null;
  pctAbovePrevious?: number | null;
};

/** Exactly one of mpan/siteId and one of threshold/pctAbovePrevious: a 400 naming the field otherwise. */
function checkEither(a: Either) {
  const has = (v: unknown) => v !== undefined && v !== null;
  if (has(a.mpan) && has(a.siteId)) throw badRequest("siteId: give mpan or siteId, not both", "siteId");
  if (!has(a.mpan) && !has(a.siteId))
    throw badRequest("mpan: give mpan (a meter) or siteId (a site)", "mpan");
  if (has(a.threshold) && has(a.pctAbovePrevious))
    throw badRequest("pctAbovePrevious: give threshold or pctAbovePrevious, not both", "pctAbovePrevious");
  if (!has(a.threshold) && !has(a.pctAbovePrevious))
    throw badRequest("threshold: give threshold or pctAbovePrevious", "threshold");
}

const AlarmCreate = z
  .object({
    name: fields.name,
    mpan: fields.mpan.optional(),
    siteId: fields.siteId.optional(),
    metric: fields.metric,
    period: fields.period,
    operator: fields.operator,
    threshold: fields.threshold.optional(),
    pctAbovePrevious: fields.pctAbovePrevious.optional(),
    recipients: fields.recipients.default([]),
    webhook: fields.webhook.default(false),
    active: fields.active.default(true),
  })
  .strict()
  .openapi("AlarmCreate");

const AlarmPatch = z
  .object({
    name: fields.name,
    mpan: fields.mpan.nullable(),
    siteId: fields.siteId.nullable(),
    metric: fields.metric,
    period: fields.period,
    operator: fields.operator,
    threshold: fields.threshold.nullable(),
    pctAbovePrevious: fields.pctAbovePrevious.nullable(),
    recipients: fields.recipients,
    webhook: fields.webhook,
    active: fields.active,
  })
  .partial()
  .strict()
  .openapi("AlarmPatch");

const BreachSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    value: z.number(),
    threshold: z.number(),
    previous: z.number().nullable(),
  })
  .openapi("AlarmBreach");

const TriggerSchema = z
  .object({
    id: z.number().int(),
    from: z.string(),
    to: z.string(),
    value: z.number(),
    threshold: z.number(),
    triggeredAt: z.string(),
    notified: z.array(z.string()).openapi({ description: '"email", "webhook", "app"' }),
  })
  .openapi("AlarmTrigger");

/** What an alarm checks, from a create (or preview) body: its metric, period and test. */
const ruleOf = (body: z.infer<typeof AlarmCreate>) => ({
  metric: body.metric,
  period: body.period,
  operator: body.operator,
  threshold: body.threshold ?? null,
  pctAbovePrevious: body.pctAbovePrevious ?? null,
});

type Target = { meterId: number | null; siteId: number | null };

/** The alarm's meter or site, within the caller's scope: 400 naming the field when it is not there. */
async function targetOf(
  c: Context<AppEnv>,
  a: { mpan?: string | null; siteId?: number | null },
): Promise<Target> {
  const db = database(c.env);
  const p = c.get("principal");
  if (a.mpan) {
    const meter = await getMeter(db, p, meterKey(a.mpan));
    if (!meter) throw badRequest(`mpan: meter ${a.mpan} does not exist`, "mpan");
    return { meterId: meter.id, siteId: null };
  }
  if (!(await getSite(db, p, a.siteId!)))
    throw badRequest(`siteId: site ${a.siteId} does not exist`, "siteId");
  return { meterId: null, siteId: a.siteId! };
}

export const alarmRoutes = router()
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/alarms",
      role: "viewer",
      scope: "filtered",
      tags: ["alarms"],
      summary: "Alarms on the meters and sites in scope",
      request: {
        query: z.object(meterOrSiteFields),
      },
      responses: { 200: jsonResponse(z.object({ data: z.array(AlarmSchema) }), "alarms") },
    }),
    async (c) => {
      const { mpan, siteId } = c.req.valid("query");
      const data = await listAlarms(database(c.env), c.get("principal"), {
        mpan: mpan && meterKey(mpan),
        siteId,
      });
      return c.json({ data }, 200);
    },
  )
  .openapi(
    ...creation(
      "/api/alarms",
      "Create an alarm on a meter (mpan) or a site (siteId), with a threshold or pctAbovePrevious",
      AlarmCreate,
      AlarmSchema,
      {
        role: "admin",
        scope: "filtered",
        what: "alarm",
        create: async (c, body) => {
          checkEither(body);
          const target = await targetOf(c, body);
          const db = database(c.env);
          const id = await createAlarm(db, {
            name: body.name,
            ...target,
            ...ruleOf(body),
            recipients: JSON.stringify(body.recipients),
            webhook: body.webhook,
            active: body.active,
          });
          return (await getAlarm(db, c.get("principal"), id))!;
        },
      },
    ),
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/alarms/preview",
      role: "admin",
      scope: "filtered",
      tags: ["alarms"],
      summary: "What an alarm (as in the body of a create) would have triggered on over the last 90 days",
      request: { body: jsonBody(AlarmCreate) },
      responses: {
        200: jsonResponse(
          z.object({ from: z.string(), to: z.string(), data: z.array(BreachSchema) }),
          "spans",
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      checkEither(body);
      const target = await targetOf(c, body);
      const window = recentWindow(new Date(), PREVIEW_DAYS);
      const data = await breaches(c.env.DB, { ...target, ...ruleOf(body) }, [window]);
      const shownData = data.filter((b) => b.from >= window.from).map((b) => shown(body.metric, b));
      return c.json({ ...window, data: shownData }, 200);
    },
  )
  .openapi(
    ...lookup("/api/alarms/{id}", "One alarm", AlarmSchema, {
      role: "viewer",
      scope: "filtered",
      ...alarmRecord,
    }),
  )
  .openapi(
    ...change(
      "/api/alarms/{id}",
      "Change an alarm (send null to clear mpan/siteId or threshold/pctAbovePrevious when switching)",
      AlarmPatch,
      AlarmSchema,
      {
        role: "admin",
        scope: "filtered",
        ...alarmRecord,
        apply: async (c, before, body, { id }) => {
          const db = database(c.env);
          const row = (await alarmRow(db, id))!;
          // A body naming mpan or siteId moves the alarm; otherwise it stays on its meter or site.
          const moved = body.mpan !== undefined || body.siteId !== undefined;
          const merged = {
            mpan: moved ? body.mpan : before.scope === "meter" ? before.mpan : null,
            siteId: moved ? body.siteId : before.scope === "site" ? before.siteId : null,
            threshold: body.threshold !== undefined ? body.threshold : row.threshold,
            pctAbovePrevious:
              body.pctAbovePrevious !== undefined ? body.pctAbovePrevious : row.pctAbovePrevious,
          };
          if (body.threshold != null && body.pctAbovePrevious === undefined) merged.pctAbovePrevious = null;
          if (body.pctAbovePrevious != null && body.threshold === undefined) merged.threshold = null;
          checkEither(merged);
          const changes: Partial<AlarmFields> = {
            name: body.name,
            metric: body.metric,
            period: body.period,
            operator: body.operator,
            webhook: body.webhook,
            active: body.active,
            threshold: merged.threshold ?? null,
            pctAbovePrevious: merged.pctAbovePrevious ?? null,
            recipients: body.recipients && JSON.stringify(body.recipients),
          };
          if (moved) Object.assign(changes, await targetOf(c, merged));
          await updateAlarm(db, id, changes);
        },
      },
    ),
  )
  .openapi(
    ...removal("/api/alarms/{id}", "Delete an alarm and its triggers", {
      role: "admin",
      scope: "filtered",
      ...alarmRecord,
      done: "deleted",
      remove: (c, { id }) => deleteAlarm(database(c.env), id),
    }),
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/alarms/{id}/triggers",
      role: "viewer",
      scope: "filtered",
      tags: ["alarms"],
      summary: "An alarm's triggers, latest span first",
      request: {
        params: IdParam,
        query: z.object(pagingFields(50, 500)),
      },
      responses: { 200: jsonResponse(pageOf(TriggerSchema), "triggers") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const db = database(c.env);
      const alarm = found(await getAlarm(db, c.get("principal"), id), "alarm");
      const triggers = await listTriggers(db, id, windowed(c.req.valid("query")));
      return c.json({ ...triggers, data: triggers.data.map((t) => shown(alarm.metric, t)) }, 200);
    },
  );
