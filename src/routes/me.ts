/** The learner behind the session: their profile, and their deletion. One round trip each. */
import { eq, sql } from 'drizzle-orm'
import { learners } from '../db/schema.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { emptyResponse, jsonBody, jsonResponse } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { LearnerSchema, UpdateLearnerSchema } from '../schemas/learner.ts'
import { clearSessionCookie, getCurrentLearner, presentLearner } from '../session/learner.ts'
import { learnerRoute } from './define.ts'

export const me = createRouter()
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me',
      tags: ['Learner'],
      summary: 'The current learner',
      description:
        'Reading it also resumes the session: the cookie is re-issued at most daily, so a learner who keeps ' +
        'coming back keeps it. Without a session, a 401 (nothing is created: `POST /v1/session` does that).',
      responses: { 200: jsonResponse(LearnerSchema, 'The learner') },
    }),
    async function currentLearner(c) {
      const { learner } = await getCurrentLearner(c)
      return c.json(presentLearner(learner), 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'patch',
      path: '/v1/me',
      tags: ['Learner'],
      summary: 'Change the display name',
      request: jsonBody(UpdateLearnerSchema),
      responses: { 200: jsonResponse(LearnerSchema, 'The updated learner') },
    }),
    async function renameLearner(c) {
      const { displayName } = c.req.valid('json')
      const { updated } = await getCurrentLearner(
        c,
        (db, learnerId) => ({
          updated: db
            .update(learners)
            .set({ displayName, lastActiveAt: sql`now()` })
            .where(eq(learners.id, learnerId))
            .returning(),
        }),
        { retry: false },
      )
      const [learner] = updated
      if (!learner) throw new Error('the learner was found but not updated')
      return c.json(presentLearner(learner), 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'delete',
      path: '/v1/me',
      tags: ['Learner'],
      summary: 'Delete the learner with all their attempts and skill states',
      responses: { 204: emptyResponse('Deleted; cookie cleared') },
    }),
    async function deleteLearner(c) {
      await getCurrentLearner(
        c,
        (db, learnerId) => ({ deleted: db.delete(learners).where(eq(learners.id, learnerId)) }),
        { retry: false },
      )
      clearSessionCookie(c)
      return c.body(null, 204, PRIVATE)
    },
  )
