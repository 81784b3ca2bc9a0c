/** What the learner should review now: due skills, most overdue first, with activities to do. */

import { createRoute, z } from '@hono/zod-openapi'
import { retryReads } from '../db/retry.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { dueSkills, SUGGESTIONS_PER_SKILL } from '../progress/reviews.ts'
import { createRouter } from '../router.ts'
import { Timestamp } from '../schemas/common.ts'
import { PRIVATE } from '../schemas/learner.ts'
import { identify } from '../session/learner.ts'
import { noSession, requireSession } from '../session/middleware.ts'

const ReviewItem = z
  .object({
    skillId: z.uuid(),
    name: z.string(),
    dueAt: Timestamp,
    masteryScore: z.number(),
    suggestedActivities: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        type: z.enum(['practice', 'quiz', 'test', 'challenge']),
        lastAttemptedAt: Timestamp.nullable(),
      }),
    ),
  })
  .openapi('ReviewItem')

export const review = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/v1/me/review',
    tags: ['Progress'],
    summary: 'Skills due for review, most overdue first, with suggested activities',
    description:
      `A mastered skill is due when its FSRS card's due date has passed. Each comes with up to ${SUGGESTIONS_PER_SKILL} ` +
      'activities, those this learner attempted longest ago first (never-attempted ones before all). One round trip.',
    responses: {
      200: jsonResponse(z.object({ items: z.array(ReviewItem) }), 'Due skills'),
      ...problemResponses(401),
    },
  }),
  async (c) => {
    const { hash } = requireSession(c)
    const db = c.var.db
    const [, [learner], rows] = await retryReads(() => db.batch([...identify(db, hash), dueSkills(db, hash)]))
    if (!learner) throw noSession(c)
    const items = rows.map(({ skill, state, suggestions }) => ({
      skillId: skill.id,
      name: skill.name,
      dueAt: (state.due ?? state.updatedAt).toISOString(),
      masteryScore: state.masteryScore,
      suggestedActivities: suggestions.map((s) => ({
        ...s,
        type: s.type as z.infer<typeof ReviewItem>['suggestedActivities'][number]['type'],
        lastAttemptedAt: s.lastAttemptedAt && new Date(s.lastAttemptedAt).toISOString(),
      })),
    }))
    return c.json({ items }, 200, PRIVATE)
  },
)
