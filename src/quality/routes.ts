// Data-quality API: run the checks now, list issues in scope, acknowledge or resolve one with a note,
// counts for badges, and a meter's rule switches. Thin: the rules are rules.ts, the run run.ts.
import { audit } from "../audit/log";
import { database } from "../db/client";
import { QUALITY_SEVERITIES, QUALITY_STATUSES, QUALITY_TYPES } from "../enums";
import { badRequest } from "../http/errors";
import {
  defineRoute,
  jsonBody,
  jsonResponse,
  meterOrSiteFields,
  MpanParam,
  pageOf,
  pagingFields,
  router,
  windowed,
  z,
} from "../http/openapi";
import { change, visibleById } from "../http/record";
import { visibleMeter } from "../meters/routes";
import { getMeter, meterKey } from "../meters/store";
import { runExecution } from "../scheduler/executions";
import { isValidIsoDate } from "../time/settlement";
import { runQualityChecks } from "./run";
import { getIssue, issueCounts, listIssues, setIssueStatus, setZeroRun } from "./store";

/** The record a path's `{id}` names, when the caller may see it. */
const visibleIssue = visibleById(getIssue);

const IssueSchema = z
  .object({
    id: z.number().int(),
    type: z.enum(QUALITY_TYPES),
    mpan: z.string(),
    siteId: z.number().int(),
    from: z.string().openapi({ description: "first settlement day affected" }),
    to: z.string().openapi({ description: "last settlement day affected" }),
    periods: z.array(z.number().int()).nullable().openapi({
      description:
        "missing_periods, outlier: the periods of the day; zero_run, flatline: [first period on `from`, last period on `to`]",
    }),
    severity: z.enum(QUALITY_SEVERITIES),
    detail: z.string(),
    status: z.enum(QUALITY_STATUSES),
    note: z.string().nullable(),
    changedBy: z
      .string()
      .nullable()
      .openapi({ description: "email of who last changed the status (null: the checks)" }),
    changedAt: z.string().nullable(),
    firstSeen: z.string(),
    lastSeen: z.string(),
  })
  .openapi("QualityIssue");

const date = (field: string) =>
  z
    .string()
    .refine(isValidIsoDate, { message: `${field} must be a date (YYYY-MM-DD)` })
    .optional();

const RunBody = z
  .object({ from: date("from"), to: date("to"), mpan: meterOrSiteFields.mpan })
  .strict()
  .openapi("QualityRun");
const RunResult = z
  .object({
    executionId: z.number().int(),
    issuesOpened: z.number().int(),
    issuesUpdated: z.number().int(),
    issuesResolved: z.number().int(),
  })
  .openapi("QualityRunResult");

const IssueQuery = z.object({
  status: z.enum(QUALITY_STATUSES).optional(),
  type: z.enum(QUALITY_TYPES).optional(),
  severity: z.enum(QUALITY_SEVERITIES).optional(),
  ...meterOrSiteFields,
  ...pagingFields(50, 500),
});

const IssuePatch = z
  .object({
    status: z.enum(QUALITY_STATUSES),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .strict()
  .openapi("QualityIssuePatch");

const CountsSchema = z
  .object({
    info: z.number().int(),
    warning: z.number().int(),
    critical: z.number().int(),
    total: z.number().int(),
  })
  .openapi("QualityCounts");

const MeterSettings = z.object({ zeroRun: z.boolean() }).strict().openapi("MeterQualitySettings");

export const qualityRoutes = router()
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/quality/run",
      role: "admin",
      scope: "global",
      tags: ["quality"],
      summary:
        "Run the data-quality checks now (every meter, or one; over its days, or from–to) and answer when done",
      request: { body: jsonBody(RunBody) },
      responses: { 200: jsonResponse(RunResult, "the run's execution and what changed") },
    }),
    async (c) => {
      const { from, to, mpan } = c.req.valid("json");
      if (from && to && from > to) throw badRequest("to: must not be before from", "to");
      const db = database(c.env);
      const p = c.get("principal");
      let meterIds: number[] | undefined;
      if (mpan) {
        const meter = await getMeter(db, p, meterKey(mpan));
        if (!meter) throw badRequest(`mpan: meter ${mpan} does not exist`, "mpan");
        meterIds = [meter.id];
      }
      const { execution, result } = await runExecution(c.env.DB, "data-quality", `user:${p.actingFor}`, () =>
        runQualityChecks(c.env, { mode: "full", from, to, meterIds }),
      );
      await audit(c, "quality.run", { detail: { from, to, mpan, executionId: execution.id } });
      return c.json(
        {
          executionId: execution.id,
          issuesOpened: result.issuesOpened,
          issuesUpdated: result.issuesUpdated,
          issuesResolved: result.issuesResolved,
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/quality/issues",
      role: "viewer",
      scope: "filtered",
      tags: ["quality"],
      summary: "Data-quality issues of the meters in scope: open first, then by severity and latest day",
      request: { query: IssueQuery },
      responses: { 200: jsonResponse(pageOf(IssueSchema), "issues") },
    }),
    async (c) => {
      const { mpan, ...filter } = windowed(c.req.valid("query"));
      const body = await listIssues(database(c.env), c.get("principal"), {
        ...filter,
        mpan: mpan && meterKey(mpan),
      });
      return c.json(body, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/quality/counts",
      role: "viewer",
      scope: "filtered",
      tags: ["quality"],
      summary:
        "Open and acknowledged issues by severity (of a meter, a site or everything in scope), for badges",
      request: {
        query: z.object(meterOrSiteFields),
      },
      responses: { 200: jsonResponse(CountsSchema, "counts") },
    }),
    async (c) => {
      const { mpan, siteId } = c.req.valid("query");
      return c.json(
        await issueCounts(database(c.env), c.get("principal"), { mpan: mpan && meterKey(mpan), siteId }),
        200,
      );
    },
  )
  .openapi(
    ...change(
      "/api/quality/issues/{id}",
      "Acknowledge, resolve or reopen an issue, with a note",
      IssuePatch,
      IssueSchema,
      {
        role: "manager",
        scope: "filtered",
        what: "issue",
        entity: "quality_issue",
        action: "quality.issue",
        answers: "the issue",
        find: visibleIssue,
        apply: async (c, _issue, { status, note }, { id }) => {
          await setIssueStatus(database(c.env), id, status, note ?? null, c.get("principal").actingFor);
        },
        detail: ({ status, note }) => ({ status, note }),
      },
    ),
  )
  .openapi(
    ...change(
      "/api/quality/meters/{mpan}",
      "A meter's rule switches: zero_run off for export or seasonal meters",
      MeterSettings,
      MeterSettings,
      {
        role: "admin",
        scope: "filtered",
        params: MpanParam,
        what: "meter",
        action: "quality.meter",
        answers: "the settings",
        find: visibleMeter,
        apply: (c, meter, body) => setZeroRun(c.env.DB, meter.id, body.zeroRun),
        answer: (_c, _mpan, body) => body,
        entityId: (meter) => meter.mpan,
      },
    ),
  );
