/** What the learner should review now: due skills, most overdue first, with activities to do. */
import * as z from 'zod'
import { PRIVATE } from '../http/cache-control.ts'
import { bktParameters } from '../mastery/bkt.ts'
import { jsonResponse } from '../openapi.ts'
import { dueSkills, SUGGESTIONS_PER_SKILL } from '../progress/reads/due-reviews.ts'
import { createRouter } from '../router.ts'
import { ActivityType } from '../schemas/catalogue.ts'
import { Timestamp } from '../schemas/common.ts'
import { presentSkillState } from '../schemas/progress.ts'
import { readLearner } from '../session/learner.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

const ReviewItem = z
  .object({
    skillId: z.guid(),
    name: z.string(),
    dueAt: Timestamp,
    masteryScore: z.number(),
    suggestedActivities: z.array(
      z.object({
        id: z.guid(),
        name: z.string(),
        type: ActivityType,
        lastAttemptedAt: Timestamp.nullable(),
      }),
    ),
  })
  .meta({ id: 'ReviewItem' })

export const meReview = createRouter().openapi(
  learnerRoute({
    method: 'get',
    path: '/v1/me/review',
    tags: ['Progress'],
    summary: 'Skills due for review, most overdue first, with suggested activities',
    description:
      `A mastered skill is due when its FSRS card's due date has passed. Each comes with up to ${SUGGESTIONS_PER_SKILL} ` +
      'activities, those this learner attempted longest ago first (never-attempted ones before all). One round trip.',
    responses: {
      200: jsonResponse(z.object({ items: z.array(ReviewItem) }), 'Due skills'),
    },
  }),
  async function dueForReview(c) {
    const { due } = await readLearner(learnerScope(c), (db, learnerId) => ({ due: dueSkills(db, learnerId) }))
    // Read as /v1/me/skills reads it: a unit added since it was mastered makes it in progress, not due.
    const now = new Date()
    const read = due.map((row) => ({
      ...row,
      read: presentSkillState(
        row.skill.id,
        row.state,
        { unitIds: row.unitIds, pInit: bktParameters(row.skill.metadata).pInit },
        now,
      ),
    }))
    const items = read
      .filter((row) => row.read.status === 'review_needed')
      .map(({ skill, state, suggestions, read }) => ({
        skillId: skill.id,
        name: skill.name,
        dueAt: (state.due ?? state.updatedAt).toISOString(),
        masteryScore: read.masteryScore,
        suggestedActivities: suggestions.map((s) => ({
          ...s,
          lastAttemptedAt: s.lastAttemptedAt && new Date(s.lastAttemptedAt).toISOString(),
        })),
      }))
    return c.json({ items }, 200, PRIVATE)
  },
)
