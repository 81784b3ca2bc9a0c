/**
 * Attempts: start, submit (graded on the server) and abandon; reads are in history.ts.
 * Budget: one round trip each, two for submit (read what grading needs; then one batch that writes
 * the attempt, the skill state and the learner's activity, as one transaction).
 */
import { createRoute } from '@hono/zod-openapi'
import { and, eq, getTableColumns, sql } from 'drizzle-orm'
import { activities, attempts } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import {
  attemptSnapshot,
  holdsClaim,
  idempotencyOf,
  idempotentBatch,
  operationDone,
  REPLAYED,
  rowFromSnapshot,
} from '../idempotency.ts'
import { ratingName } from '../mastery/review.ts'
import { jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { ownAttempt } from '../progress/queries.ts'
import { NoLearner, submitAttempt } from '../progress/submit.ts'
import { createRouter } from '../router.ts'
import { uuidParam } from '../schemas/common.ts'
import { PRIVATE } from '../schemas/learner.ts'
import {
  AttemptSchema,
  presentAttempt,
  presentSkillState,
  SubmitAttemptSchema,
  SubmitResultSchema,
} from '../schemas/progress.ts'
import { identify, learnerIdOf } from '../session/learner.ts'
import { noSession, requireSession } from '../session/middleware.ts'

export const attemptRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/activities/{activityId}/attempts',
      tags: ['Progress'],
      summary: 'Start an attempt at an activity',
      request: { params: uuidParam('activityId') },
      responses: {
        201: jsonResponse(AttemptSchema, 'The attempt, in progress'),
        ...problemResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const { activityId } = c.req.valid('param')
      const idempotency = await idempotencyOf(c.req.header('idempotency-key'), 'POST', c.req.path, '')
      const db = c.var.db
      // The id is chosen here so the same batch can read the row back through the typed query builder.
      const attemptId = crypto.randomUUID()
      const { results, replay } = await idempotentBatch(
        db,
        hash,
        idempotency,
        [
          ...identify(db, hash),
          db.execute(sql`INSERT INTO ${attempts} (id, learner_id, activity_id)
            SELECT ${attemptId}, ${learnerIdOf(hash)}, ${activities.id} FROM ${activities}
            WHERE ${activities.id} = ${activityId} AND EXISTS ${learnerIdOf(hash)} AND ${holdsClaim(hash, idempotency)}
            RETURNING ${operationDone}`),
          db.select().from(attempts).where(eq(attempts.id, attemptId)),
        ],
        { status: 201, snapshot: attemptSnapshot(attempts, attemptId) },
      )
      const [, [learner], , [created]] = results
      if (!learner) throw noSession(c)
      const attempt = replay ? rowFromSnapshot(attempts, replay.snapshot.attempt) : created
      if (!attempt) throw new ApiError('not_found', 'No activity with this id.')
      return c.json(presentAttempt(attempt), 201, {
        ...PRIVATE,
        Location: `/v1/me/attempts/${attempt.id}`,
        ...(replay && REPLAYED),
      })
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/attempts/{attemptId}/submit',
      tags: ['Progress'],
      summary: 'Submit answers: graded on the server, skill state updated in the same transaction',
      description:
        'Each graded question is one Bayesian Knowledge Tracing observation for the activity’s skill (masteryScore = P(L)). ' +
        'The skill is mastered at P(L) ≥ 0.95 once every unit has a completed activity; from then on each submission ' +
        'is an FSRS review (rating from the score ratio: below the passing score Again, below 0.9 Hard, below 1 Good, ' +
        '1 Easy) that schedules the next one (nextReviewAt). Two round trips; simultaneous submits of one learner are ' +
        'applied one after another.',
      request: {
        params: uuidParam('attemptId'),
        ...jsonBody(SubmitAttemptSchema),
      },
      responses: {
        200: jsonResponse(SubmitResultSchema, 'The graded attempt and the new skill state'),
        ...problemResponses(400, 401, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const { attemptId } = c.req.valid('param')
      const { answers } = c.req.valid('json').response
      const body = await c.req.text()
      const idempotency = await idempotencyOf(c.req.header('idempotency-key'), 'POST', c.req.path, body)
      try {
        const submitted = await submitAttempt(c.var.db, hash, attemptId, answers, idempotency)
        return c.json(
          {
            attempt: presentAttempt(submitted.attempt),
            passed: submitted.passed,
            review: submitted.rating === null ? null : ratingName(submitted.rating),
            skillState: presentSkillState(submitted.state.skillId, submitted.state),
          },
          200,
          { ...PRIVATE, ...(submitted.replayed && REPLAYED) },
        )
      } catch (error) {
        if (error instanceof NoLearner) throw noSession(c)
        throw error
      }
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/attempts/{attemptId}/abandon',
      tags: ['Progress'],
      summary: 'Abandon an attempt in progress',
      request: { params: uuidParam('attemptId') },
      responses: {
        200: jsonResponse(AttemptSchema, 'The abandoned attempt'),
        ...problemResponses(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const { attemptId } = c.req.valid('param')
      const idempotency = await idempotencyOf(c.req.header('idempotency-key'), 'POST', c.req.path, '')
      const db = c.var.db
      const { results, replay } = await idempotentBatch(
        db,
        hash,
        idempotency,
        [
          ...identify(db, hash),
          db.select({ status: attempts.status }).from(attempts).where(ownAttempt(hash, attemptId)),
          db
            .update(attempts)
            .set({ status: 'abandoned' })
            .where(
              and(
                ownAttempt(hash, attemptId),
                eq(attempts.status, 'in_progress'),
                holdsClaim(hash, idempotency),
              ),
            )
            .returning({ ...getTableColumns(attempts), done: operationDone }),
        ],
        { status: 200, snapshot: attemptSnapshot(attempts, attemptId) },
      )
      const [, [learner], [before], [abandoned]] = results
      if (!learner) throw noSession(c)
      if (replay)
        return c.json(presentAttempt(rowFromSnapshot(attempts, replay.snapshot.attempt)), 200, {
          ...PRIVATE,
          ...REPLAYED,
        })
      if (!before) throw new ApiError('not_found', 'No attempt with this id.')
      if (!abandoned) throw new ApiError('conflict', `The attempt is already ${before.status}.`)
      return c.json(presentAttempt(abandoned), 200, PRIVATE)
    },
  )
