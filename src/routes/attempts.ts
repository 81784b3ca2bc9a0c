/**
 * Attempts: start, submit (graded on the server) and abandon, each a learner write
 * (progress/learner-write.ts); the learner's reads of them are in me-attempts.ts.
 * Budget: one round trip each, two for submit (read what grading needs; then one batch that writes
 * the attempt and the skill state as one transaction).
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm'
import { activities, attempts } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { limitProgressWrites } from '../middleware/rate-limit.ts'
import { jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { idempotencyOf, REPLAYED, rowFromSnapshot } from '../progress/idempotency.ts'
import { learnerWrite } from '../progress/learner-write.ts'
import { ownAttempt } from '../progress/queries.ts'
import { submitAttempt } from '../progress/submit.ts'
import { createRouter } from '../router.ts'
import { uuidParam } from '../schemas/common.ts'
import {
  AttemptSchema,
  presentAttempt,
  presentSkillState,
  SubmitAttemptSchema,
  SubmitResultSchema,
} from '../schemas/progress.ts'
import { learnerRoute } from './define.ts'

/** What a replay of start or abandon answers: the attempt row as committed. */
const attemptSnapshot = (attemptId: string) =>
  sql`jsonb_build_object('attempt', (SELECT to_jsonb(t) FROM ${attempts} t WHERE t.id = ${attemptId}))`

const attemptOf = (snapshot: Record<string, unknown>) => rowFromSnapshot(attempts, snapshot.attempt)

export const attemptRoutes = createRouter()
  .openapi(
    learnerRoute(
      {
        method: 'post',
        path: '/v1/activities/{activityId}/attempts',
        tags: ['Progress'],
        summary: 'Start an attempt at an activity',
        request: { params: uuidParam('activityId') },
        responses: {
          201: jsonResponse(AttemptSchema, 'The attempt, in progress'),
          ...problemResponses(400, 401, 404),
        },
      },
      limitProgressWrites,
    ),
    async function startAttempt(c) {
      const { activityId } = c.req.valid('param')
      const idempotency = await idempotencyOf(c.req.header('idempotency-key'), 'POST', c.req.path, '')
      // The id is chosen here so the same batch can read the row back through the typed query builder.
      const attemptId = crypto.randomUUID()
      const written = await learnerWrite(
        c,
        idempotency,
        ({ db, learnerId, done }) => ({
          created: db.execute(sql`INSERT INTO ${attempts} (id, learner_id, activity_id)
            SELECT ${attemptId}, ${learnerId}, ${activities.id} FROM ${activities} WHERE ${activities.id} = ${activityId}
            RETURNING ${done}`),
          attempt: db.select().from(attempts).where(eq(attempts.id, attemptId)),
        }),
        { status: 201, snapshot: attemptSnapshot(attemptId) },
      )
      const attempt = written.replay ? attemptOf(written.replay.snapshot) : written.results.attempt[0]
      if (!attempt) throw new ApiError('not_found', 'No activity with this id.')
      return c.json(presentAttempt(attempt), 201, {
        ...PRIVATE,
        Location: `/v1/me/attempts/${attempt.id}`,
        ...(written.replay && REPLAYED),
      })
    },
  )
  .openapi(
    learnerRoute(
      {
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
      },
      limitProgressWrites,
    ),
    async function submit(c) {
      const { attemptId } = c.req.valid('param')
      const { answers } = c.req.valid('json').response
      const body = await c.req.text()
      const idempotency = await idempotencyOf(c.req.header('idempotency-key'), 'POST', c.req.path, body)
      const submitted = await submitAttempt(c, attemptId, answers, idempotency)
      return c.json(
        {
          attempt: presentAttempt(submitted.attempt),
          passed: submitted.passed,
          review: submitted.review,
          skillState: presentSkillState(submitted.state.skillId, submitted.state),
        },
        200,
        { ...PRIVATE, ...(submitted.replayed && REPLAYED) },
      )
    },
  )
  .openapi(
    learnerRoute(
      {
        method: 'post',
        path: '/v1/attempts/{attemptId}/abandon',
        tags: ['Progress'],
        summary: 'Abandon an attempt in progress',
        request: { params: uuidParam('attemptId') },
        responses: {
          200: jsonResponse(AttemptSchema, 'The abandoned attempt'),
          ...problemResponses(400, 401, 404, 409),
        },
      },
      limitProgressWrites,
    ),
    async function abandonAttempt(c) {
      const { attemptId } = c.req.valid('param')
      const idempotency = await idempotencyOf(c.req.header('idempotency-key'), 'POST', c.req.path, '')
      const written = await learnerWrite(
        c,
        idempotency,
        ({ db, learnerId, done }) => ({
          before: db
            .select({ status: attempts.status })
            .from(attempts)
            .where(ownAttempt(learnerId, attemptId)),
          abandoned: db
            .update(attempts)
            .set({ status: 'abandoned' })
            .where(and(ownAttempt(learnerId, attemptId), eq(attempts.status, 'in_progress')))
            .returning({ ...getTableColumns(attempts), done }),
        }),
        { status: 200, snapshot: attemptSnapshot(attemptId) },
      )
      if (written.replay) {
        return c.json(presentAttempt(attemptOf(written.replay.snapshot)), 200, { ...PRIVATE, ...REPLAYED })
      }
      const [before] = written.results.before
      const [abandoned] = written.results.abandoned
      if (!before) throw new ApiError('not_found', 'No attempt with this id.')
      if (!abandoned) throw new ApiError('conflict', `The attempt is already ${before.status}.`)
      return c.json(presentAttempt(abandoned), 200, PRIVATE)
    },
  )
