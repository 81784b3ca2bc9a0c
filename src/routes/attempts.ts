/**
 * Attempts: start, submit (graded on the server) and abandon, each a learner write
 * (progress/write/learner-write.ts); the learner's reads of them are in me-attempts.ts.
 * Budget: one round trip each — submit too, with the Submit-Token its start answered and a Worker
 * that has the catalogue cached; otherwise two (progress/attempts/submit.ts).
 */
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { tellQueue } from '../lti/queue.ts'
import { limitProgressWrites } from '../middleware/rate-limit.ts'
import { jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { abandonAttempt } from '../progress/attempts/abandon.ts'
import { startAttempt } from '../progress/attempts/start.ts'
import { submitAttempt } from '../progress/attempts/submit.ts'
import { REPLAYED } from '../progress/write/idempotency.ts'
import { createRouter } from '../router.ts'
import { AttemptSchema, presentAttempt, SubmitAttemptSchema } from '../schemas/attempts.ts'
import { IdempotencyKeyHeader, SubmitHeaders, uuidParam } from '../schemas/common.ts'
import { presentSkillState, SubmitResultSchema } from '../schemas/progress.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'
import { idempotencyKeyOf } from './idempotency-key.ts'

export const attemptRoutes = createRouter()
  .openapi(
    learnerRoute(
      {
        method: 'post',
        path: '/v1/activities/{activityId}/attempts',
        tags: ['Progress'],
        summary: 'Start an attempt at an activity, or get back the one in progress',
        description:
          'A learner has at most one attempt in progress per activity: while one is open, starting again answers it ' +
          'with 200 (a reload, a second tab) instead of a second attempt; otherwise a new one, 201, on the ' +
          'activity’s current content version, with its own `questions`: drawn from the pool (`content.draw`) and ' +
          'ordered (`content.shuffle`) in the database, in this same round trip, and fixed for the attempt. ' +
          'Attempts left open longer than OPEN_ATTEMPT_HOURS (default 24) are abandoned by the cron. One round trip. ' +
          'The `Submit-Token` header is what this start read for the submit that follows: send it back with the ' +
          'submit and that costs one round trip instead of two (it is absent on a replay).',
        request: { params: uuidParam('activityId'), headers: IdempotencyKeyHeader },
        responses: {
          200: jsonResponse(AttemptSchema, 'The attempt already in progress', [
            'Location',
            'Submit-Token',
            'Idempotent-Replayed',
          ]),
          201: jsonResponse(AttemptSchema, 'A new attempt, in progress', [
            'Location',
            'Submit-Token',
            'Idempotent-Replayed',
          ]),
          ...problemResponses(400, 404, 409, 422),
        },
      },
      limitProgressWrites,
    ),
    async function start(c) {
      const { activityId } = c.req.valid('param')
      const idempotency = await idempotencyKeyOf(c, { body: false })
      const started = await startAttempt(learnerScope(c), activityId, idempotency)
      const headers = {
        ...PRIVATE,
        Location: `/v1/me/attempts/${started.attempt.id}`,
        ...(started.submitToken && { 'Submit-Token': started.submitToken }),
        ...(started.replayed && REPLAYED),
      }
      const body = presentAttempt(started.attempt, started.content)
      return started.status === 201 ? c.json(body, 201, headers) : c.json(body, 200, headers)
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
          'Graded against the attempt’s own questions and content version. Each question whose answer this learner ' +
          'had not been shown before is one Bayesian Knowledge Tracing observation for the unit of the activity ' +
          '(`knowledge` says each unit’s P(L) before and after; `credited` marks them in the feedback). The skill’s ' +
          '`masteryScore` is the mean of its units’; it is mastered when every unit is at 0.95 or more, and from ' +
          'then on each submission is an FSRS review (rating from the score ratio: below the passing score Again, ' +
          'below 0.9 Hard, below 1 Good, 1 Easy) that schedules the next one (nextReviewAt). The feedback shows ' +
          'what the activity’s review policy allows (correctness; expected answers always, after a pass, or never). ' +
          'One round trip with the start’s `Submit-Token` (when its facts are still current, which the write ' +
          'checks), two without; `Server-Timing` says which path answered. Simultaneous submits of one learner ' +
          'are applied one after another.',
        request: {
          params: uuidParam('attemptId'),
          headers: SubmitHeaders,
          ...jsonBody(SubmitAttemptSchema),
        },
        responses: {
          200: jsonResponse(SubmitResultSchema, 'The graded attempt and the new skill state', [
            'Server-Timing',
            'Idempotent-Replayed',
          ]),
          ...problemResponses(400, 404, 409, 422),
        },
      },
      limitProgressWrites,
    ),
    async function submit(c) {
      const { attemptId } = c.req.valid('param')
      const { answers } = c.req.valid('json').response
      const idempotency = await idempotencyKeyOf(c, { body: true })
      const token = c.req.header('submit-token')
      const submitted = await submitAttempt(learnerScope(c), attemptId, answers, idempotency, token)
      // Scores for an LMS (LTI AGS): committed with the submit, sent by the queue's consumer.
      c.executionCtx.waitUntil(
        tellQueue(
          c.env.LTI_QUEUE,
          submitted.scoredLinks.map((linkId) => ({ kind: 'scores', linkId })),
        ),
      )
      return c.json(
        {
          attempt: presentAttempt(submitted.attempt),
          passed: submitted.passed,
          review: submitted.rating,
          skillState: presentSkillState(submitted.state.skillId, submitted.state, {
            unitIds: submitted.knowledge.map((unit) => unit.unitId),
            pInit: submitted.pInit,
          }),
          knowledge: submitted.knowledge,
        },
        200,
        {
          ...PRIVATE,
          'Server-Timing': `submit;desc="${submitted.path}"`,
          ...(submitted.replayed && REPLAYED),
        },
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
        request: { params: uuidParam('attemptId'), headers: IdempotencyKeyHeader },
        responses: {
          200: jsonResponse(AttemptSchema, 'The abandoned attempt', ['Idempotent-Replayed']),
          ...problemResponses(400, 404, 409, 422),
        },
      },
      limitProgressWrites,
    ),
    async function abandon(c) {
      const { attemptId } = c.req.valid('param')
      const idempotency = await idempotencyKeyOf(c, { body: false })
      const abandoned = await abandonAttempt(learnerScope(c), attemptId, idempotency)
      if (abandoned.outcome === 'not_found') throw new ApiError('not_found', 'No attempt with this id.')
      if (abandoned.outcome === 'not_in_progress') {
        throw new ApiError('conflict', `The attempt is already ${abandoned.status}.`)
      }
      return c.json(presentAttempt(abandoned.attempt), 200, {
        ...PRIVATE,
        ...(abandoned.replayed && REPLAYED),
      })
    },
  )
