/**
 * Authors' dashboards: an activity's (attempts over time, score distribution, item and distractor
 * analysis) and a skill's (learners by status, mastery distribution, funnel). One round trip each.
 * Everyone's numbers come from the aggregates the cron keeps; a class's are computed live from its
 * members' rows (src/analytics/dashboards.ts).
 */

import * as z from 'zod'
import { consumeChanges } from '../../analytics/aggregates.ts'
import { readActivityDashboard, readSkillDashboard } from '../../analytics/dashboards.ts'
import { activityReport, MIN_RESPONSES, skillReport } from '../../analytics/report.ts'
import { activityContent } from '../../content/schema.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { uuidParam, versionQuery } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { QuestionStatistics, ratio } from './activity-stats.ts'
import { failures, found, foundVersion, route } from './shared.ts'

const classQuery = z
  .guid()
  .optional()
  .meta({
    param: { name: 'classId', in: 'query' },
    description: 'Only this class’s learners (computed live from their rows); default: everyone.',
  })

const sourceField = z.enum(['aggregates', 'live']).meta({
  description:
    '`aggregates`: everyone, from the tables the cron keeps (at most one cron period, 10 minutes, behind); ' +
    '`live`: one class, computed from its members’ rows as of this request.',
})

const band = { band: z.int(), from: z.number(), to: z.number() }

const ActivityAnalytics = z
  .object({
    activityId: z.guid(),
    name: z.string(),
    version: z.int(),
    currentVersion: z.int(),
    classId: z.guid().nullable(),
    source: sourceField,
    attempts: z.int().meta({ description: 'Completed attempts on this version.' }),
    daily: z.array(
      z.object({ day: z.iso.date(), completed: z.int(), passed: z.int(), meanScoreRatio: ratio }),
    ),
    scoreDistribution: z.array(z.object({ ...band, attempts: z.int() })).meta({
      description: 'Ten bands of score / maxScore: [0, 0.1), …, [0.9, 1] (the last one closed).',
    }),
    groups: z
      .object({
        top: z.object({ fromBand: z.int(), attempts: z.int() }),
        bottom: z.object({ toBand: z.int(), attempts: z.int() }),
      })
      .meta({
        description:
          'The groups distractor analysis compares: the highest and the lowest score bands holding at least 27% of ' +
          'the attempts each (never overlapping).',
      }),
    questions: z.array(
      QuestionStatistics.extend({
        flags: z
          .array(z.enum(['too_easy', 'too_hard', 'poorly_discriminating', 'negatively_discriminating']))
          .meta({
            description:
              `From ${MIN_RESPONSES} responses on: facility above 0.9 (too easy) or below 0.3 (too hard); ` +
              'discrimination below 0.2 (poorly discriminating) or below 0 (negatively: a misleading question or a wrong key).',
          }),
        choices: z
          .array(
            z.object({
              choiceId: z.string(),
              text: z.string(),
              key: z.boolean().meta({ description: 'A correct choice.' }),
              picks: z.int(),
              topPicks: z.int(),
              bottomPicks: z.int(),
            }),
          )
          .nullable()
          .meta({
            description: 'Choice questions: how often each choice was picked, overall and by group.',
          }),
      }),
    ),
  })
  .meta({ id: 'ActivityAnalytics' })

const SkillAnalytics = z
  .object({
    skillId: z.guid(),
    name: z.string(),
    classId: z.guid().nullable(),
    source: sourceField,
    learners: z.int().meta({ description: 'Learners who started the skill (submitted once).' }),
    byStatus: z.object({ in_progress: z.int(), mastered: z.int(), review_needed: z.int() }),
    mastery: z.array(z.object({ ...band, learners: z.int() })).meta({
      description: 'Learners by masteryScore, in ten bands.',
    }),
    funnel: z.object({ started: z.int(), passedOne: z.int(), passedAll: z.int(), mastered: z.int() }).meta({
      description:
        'Started; passed at least one activity; passed every published activity; mastered (now or due for review).',
    }),
  })
  .meta({ id: 'SkillAnalytics' })

export const adminAnalytics = createRouter()
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/activities/{activityId}/analytics', 'analytics', 'An activity’s dashboard'),
      description:
        'For one content version (the current one by default): completed attempts per day, the score distribution, ' +
        'item analysis per question (facility, discrimination, flags) and, for choice questions, how often each ' +
        'choice was picked by the top and bottom groups. One round trip.',
      request: {
        params: uuidParam('activityId'),
        query: z.object({
          version: versionQuery('A content version (default: current).'),
          classId: classQuery,
        }),
      },
      responses: { 200: jsonResponse(ActivityAnalytics, 'The dashboard'), ...failures },
    }),
    async function activityAnalytics(c) {
      const { activityId } = c.req.valid('param')
      const { version: asked, classId } = c.req.valid('query')
      const dashboard = await readActivityDashboard(c.var.db, activityId, asked, classId)
      if (!dashboard.classFound) throw new ApiError('not_found', 'No class with this id.')
      const chosen = foundVersion(dashboard.activity, asked)
      const report = activityReport(activityContent.parse(chosen.content), dashboard.rows)
      return c.json(
        {
          activityId,
          name: chosen.name,
          version: chosen.version,
          currentVersion: chosen.current,
          classId: classId ?? null,
          source: dashboard.source.kind,
          ...report,
        },
        200,
        NO_STORE,
      )
    },
  )
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/skills/{skillId}/analytics', 'analytics', 'A skill’s dashboard'),
      description:
        'Learners by status, the distribution of their mastery, and the funnel started → passed one activity → ' +
        'passed all → mastered. One round trip.',
      request: { params: uuidParam('skillId'), query: z.object({ classId: classQuery }) },
      responses: { 200: jsonResponse(SkillAnalytics, 'The dashboard'), ...failures },
    }),
    async function skillAnalytics(c) {
      const { skillId } = c.req.valid('param')
      const { classId } = c.req.valid('query')
      const dashboard = await readSkillDashboard(c.var.db, skillId, classId)
      if (!dashboard.classFound) throw new ApiError('not_found', 'No class with this id.')
      const skill = found(dashboard.skill, 'skill')
      return c.json(
        {
          skillId,
          name: skill.name,
          classId: classId ?? null,
          source: dashboard.source.kind,
          ...skillReport(dashboard.rows),
        },
        200,
        NO_STORE,
      )
    },
  )
  .openapi(
    adminRoute({
      ...route('post', '/v1/admin/analytics/refresh', 'analytics', 'Bring the dashboards up to date now'),
      description:
        'Folds the changes logged since the cron last ran into the aggregates the dashboards read (what the ' +
        'Cron Trigger does every ten minutes), so a dashboard read next shows every attempt completed so far. ' +
        'One round trip per 20,000 changes; safe to call at any time, and concurrently with the cron.',
      responses: {
        200: jsonResponse(
          z
            .object({
              attemptChanges: z.int().meta({ description: 'Logged attempt changes folded in.' }),
              skillStateChanges: z.int().meta({ description: 'Logged skill-state changes folded in.' }),
            })
            .meta({ id: 'AnalyticsRefresh' }),
          'What was folded in',
        ),
        ...failures,
      },
    }),
    async function refreshAnalytics(c) {
      return c.json(await consumeChanges(c.var.db), 200, NO_STORE)
    },
  )
