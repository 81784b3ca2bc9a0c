/** The learner behind the session: their profile, and their deletion. One round trip each. */
import { PRIVATE } from '../http/cache-control.ts'
import { emptyResponse, jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { REPLAYED } from '../progress/write/idempotency.ts'
import { createRouter } from '../router.ts'
import { IdempotencyKeyHeader } from '../schemas/common.ts'
import { LearnerSchema, UpdateLearnerSchema } from '../schemas/learner.ts'
import { deleteLearner, renameLearner } from '../session/account.ts'
import { presentLearner, readLearner } from '../session/learner.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'
import { idempotencyKeyOf } from './idempotency-key.ts'

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
      const { learner } = await readLearner(learnerScope(c))
      return c.json(presentLearner(learner), 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'patch',
      path: '/v1/me',
      tags: ['Learner'],
      summary: 'Change the display name',
      request: { headers: IdempotencyKeyHeader, ...jsonBody(UpdateLearnerSchema) },
      responses: {
        200: jsonResponse(LearnerSchema, 'The updated learner', ['Idempotent-Replayed']),
        ...problemResponses(409, 422),
      },
    }),
    async function renameMe(c) {
      const { displayName } = c.req.valid('json')
      const renamed = await renameLearner(
        learnerScope(c),
        displayName,
        await idempotencyKeyOf(c, { body: true }),
      )
      return c.json(presentLearner(renamed.learner), 200, { ...PRIVATE, ...(renamed.replayed && REPLAYED) })
    },
  )
  .openapi(
    learnerRoute({
      method: 'delete',
      path: '/v1/me',
      tags: ['Learner'],
      summary: 'Delete the learner with all their attempts and skill states',
      description:
        'Their sessions go too, with any Idempotency-Key: a retry of a deletion that happened answers 401.',
      request: { headers: IdempotencyKeyHeader },
      responses: { 204: emptyResponse('Deleted; cookie cleared'), ...problemResponses(409, 422) },
    }),
    async function deleteMe(c) {
      await deleteLearner(learnerScope(c), await idempotencyKeyOf(c, { body: false }))
      return c.body(null, 204, PRIVATE)
    },
  )
