import * as z from 'zod'
import { readActivityStats } from '../../analytics/item-stats.ts'
import { activityContent } from '../../content/schema.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { uuidParam, versionQuery } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { failures, foundVersion, route } from './shared.ts'

/** A share or a mean in [0, 1] (a correlation in [−1, 1]); null when there is nothing to divide by. */
export const ratio = z.number().nullable()

/** One question's statistics: what the item statistics answer, and what the dashboard's item analysis adds to. */
export const QuestionStatistics = z.object({
  questionId: z.string(),
  kind: z.string(),
  prompt: z.string(),
  responses: z.int(),
  facility: ratio.meta({ description: 'Share of responses that were correct.' }),
  discrimination: ratio.meta({
    description: 'Correlation of this question with the rest of the score (−1…1); null when undefined.',
  }),
})

const ActivityStats = z
  .object({
    activityId: z.guid(),
    version: z.int().meta({ description: 'The content version these statistics are of.' }),
    currentVersion: z.int().meta({ description: 'The activity’s content version now.' }),
    attempts: z.object({ started: z.int(), completed: z.int(), abandoned: z.int(), inProgress: z.int() }),
    meanScoreRatio: ratio.meta({ description: 'Mean score / maxScore over completed attempts.' }),
    passRate: ratio.meta({ description: 'Share of completed attempts at or above the passing score.' }),
    questions: z.array(QuestionStatistics),
  })
  .meta({ id: 'ActivityStats' })

export const adminActivityStats = createRouter().openapi(
  adminRoute({
    ...route(
      'get',
      '/v1/admin/activities/{activityId}/stats',
      'activities',
      'Item statistics of an activity',
    ),
    description:
      'For one content version (`version`, the current one by default: an edited question is another question): ' +
      'attempts started, completed and abandoned; mean score ratio and pass rate; per question the facility ' +
      'index (share correct) and discrimination (correlation with the rest of the score), as in Moodle. One round trip.',
    request: {
      params: uuidParam('activityId'),
      query: z.object({
        version: versionQuery('A content version (default: current).'),
      }),
    },
    responses: { 200: jsonResponse(ActivityStats, 'The statistics'), ...failures },
  }),
  async function itemStatistics(c) {
    const { activityId } = c.req.valid('param')
    const { version: asked } = c.req.valid('query')
    const stats = await readActivityStats(c.var.db, activityId, asked)
    const { content, version, current } = foundVersion(stats?.activity, asked)
    const totals = stats?.totals
    const byId = new Map((stats?.perQuestion ?? []).map((row) => [row.question_id, row]))
    const questions = activityContent.parse(content).questions.map((question) => {
      const row = byId.get(question.id)
      return {
        questionId: question.id,
        kind: question.kind,
        prompt: question.prompt,
        responses: Number(row?.responses ?? 0),
        facility: row?.facility ?? null,
        discrimination: row?.discrimination ?? null,
      }
    })
    const {
      started = 0,
      completed = 0,
      abandoned = 0,
      inProgress = 0,
      meanScoreRatio = null,
      passRate = null,
    } = totals ?? {}
    return c.json(
      {
        activityId,
        version,
        currentVersion: current,
        attempts: { started, completed, abandoned, inProgress },
        meanScoreRatio,
        passRate,
        questions,
      },
      200,
      NO_STORE,
    )
  },
)
