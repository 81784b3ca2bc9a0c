/** What counts toward mastery on an activity's next attempt, and when the rest counts again. One round trip. */
import * as z from 'zod'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { activityCredit } from '../progress/reads/activity-credit.ts'
import { createRouter } from '../router.ts'
import { Timestamp, uuidParam } from '../schemas/common.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

const ActivityCreditSchema = z
  .object({
    renews: z.boolean().meta({
      description: 'Every question is parameterised and its next instance new: each attempt counts in full.',
    }),
    draw: z.int().nullable().meta({ description: 'How many of the questions an attempt draws; null: all.' }),
    creditAgainAfterHours: z
      .number()
      .nullable()
      .meta({
        description:
          'The activity’s credit window: hours after a question was answered or its answer shown before it counts ' +
          'again (doubled with each repeat that counted); null: once shown, never again.',
      }),
    questions: z.array(
      z.object({
        id: z.string(),
        renews: z.boolean().meta({ description: 'Parameterised: the next attempt answers a new instance.' }),
        countsAgainAt: Timestamp.nullable().meta({
          description:
            'When it counts toward mastery again; null when it counts now (or never again: `retired`).',
        }),
        retired: z.boolean().meta({
          description:
            'It will not count again: its answer was shown, and it has counted as often as it may since.',
        }),
      }),
    ),
  })
  .meta({ id: 'ActivityCredit' })

export const meCredit = createRouter().openapi(
  learnerRoute({
    method: 'get',
    path: '/v1/me/activities/{activityId}/credit',
    tags: ['Progress'],
    summary: 'What counts toward mastery on this activity’s next attempt',
    description:
      'A question this learner answered, or was shown the answer of, counts toward mastery again once its window ' +
      'has passed; a new instance of a parameterised question always counts.',
    request: { params: uuidParam('activityId') },
    responses: { 200: jsonResponse(ActivityCreditSchema, 'What counts'), ...problemResponses(400, 404) },
  }),
  async function myActivityCredit(c) {
    const credit = await activityCredit(learnerScope(c), c.req.valid('param').activityId)
    if (!credit) throw new ApiError('not_found', 'No activity with this id.')
    const questions = credit.questions.map(({ countsAgainAt, ...question }) => ({
      ...question,
      countsAgainAt: countsAgainAt === null ? null : new Date(countsAgainAt).toISOString(),
    }))
    return c.json(
      {
        renews: questions.every((q) => q.renews),
        draw: credit.draw,
        creditAgainAfterHours: credit.windowHours,
        questions,
      },
      200,
      PRIVATE,
    )
  },
)
