/** What this learner should do next, explained. One round trip. */
import * as z from 'zod'
import { PRIVATE } from '../http/cache-control.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { learnerSkills } from '../progress/reads/learner-skills.ts'
import { upNext, upNextStatements } from '../progress/reads/up-next.ts'
import { createRouter } from '../router.ts'
import { ActivityType, SkillRefSchema } from '../schemas/catalogue.ts'
import { limitOf, Timestamp } from '../schemas/common.ts'
import { readLearner } from '../session/learner.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

const NextStepSchema = z
  .object({
    reason: z.enum(['review_due', 'continue', 'start']).meta({
      description:
        '`review_due`: a mastered skill whose review is due. `continue`: a skill in progress, at its weakest unit. ' +
        '`start`: a skill not started whose prerequisites are all mastered.',
    }),
    skill: SkillRefSchema,
    unit: z.object({
      id: z.guid(),
      name: z.string(),
      knowledge: z.number().meta({ description: 'P(L) of the unit now (the prior if never practised).' }),
    }),
    activity: z.object({ id: z.guid(), name: z.string(), type: ActivityType }).meta({
      description: 'The unit’s first activity not passed yet (its first activity when all are passed).',
    }),
    dueAt: Timestamp.nullable().meta({ description: 'When the review fell due (`review_due` only).' }),
    explanation: z.string().meta({ description: 'Why this step, in a sentence for the learner.' }),
  })
  .meta({ id: 'NextStep' })

export const meNext = createRouter().openapi(
  learnerRoute({
    method: 'get',
    path: '/v1/me/next',
    tags: ['Progress'],
    summary: 'Up next: what to do now, in order, each with its reason',
    description:
      'Reviews that are due (most overdue first), then skills in progress (most recently practised first, at their ' +
      'weakest unit), then skills ready to start (prerequisites mastered; lowest level first, then by name). ' +
      'Deterministic; one round trip.',
    request: {
      query: z.object({
        limit: limitOf(20, 5),
      }),
    },
    responses: {
      200: jsonResponse(z.object({ items: z.array(NextStepSchema) }), 'The steps, in order'),
      ...problemResponses(400),
    },
  }),
  async function whatNext(c) {
    const { limit } = c.req.valid('query')
    const { skills, edges, units, firsts } = await readLearner(learnerScope(c), upNextStatements)
    const items = upNext(learnerSkills(skills, edges, new Date()), { units, firsts }, limit)
    return c.json({ items }, 200, PRIVATE)
  },
)
