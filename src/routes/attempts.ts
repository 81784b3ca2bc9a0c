/**
 * Attempts: start, submit (graded on the server) and abandon, each a learner write
 * (progress/learner-write.ts); the learner's reads of them are in me-attempts.ts.
 * Budget: one round trip each, two for submit (read what grading needs; then one batch that writes
 * the attempt and the skill state as one transaction).
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm'
import { activityPublished, inPublishedSkill } from '../catalogue/publication.ts'
import { activityContent } from '../content/schema.ts'
import { activities, activityVersions, attempts, units } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { limitProgressWrites } from '../middleware/rate-limit.ts'
import { jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { idempotencyOf, REPLAYED, rowFromSnapshot } from '../progress/idempotency.ts'
import { learnerWrite } from '../progress/learner-write.ts'
import { ownAttempt, versionOf } from '../progress/queries.ts'
import { submitAttempt } from '../progress/submit.ts'
import { createRouter } from '../router.ts'
import { AttemptSchema, presentAttempt, SubmitAttemptSchema } from '../schemas/attempts.ts'
import { IdempotencyKeyHeader, uuidParam } from '../schemas/common.ts'
import { presentSkillState, SubmitResultSchema } from '../schemas/progress.ts'
import { learnerRoute } from './define.ts'

/** What a replay of abandon answers: the attempt row as committed. */
const attemptSnapshot = (attemptId: string) =>
  sql`jsonb_build_object('attempt', (SELECT to_jsonb(t) FROM ${attempts} t WHERE t.id = ${attemptId}))`

const attemptOf = (snapshot: Record<string, unknown>) => rowFromSnapshot(attempts, snapshot.attempt)

/** The content an attempt is graded against, as a start's replay stored it. */
const contentOf = (snapshot: Record<string, unknown>) =>
  activityContent.parse(rowFromSnapshot(activityVersions, snapshot.version).content)

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
          'Attempts left open longer than OPEN_ATTEMPT_HOURS (default 24) are abandoned by the cron. One round trip.',
        request: { params: uuidParam('activityId'), headers: IdempotencyKeyHeader },
        responses: {
          200: jsonResponse(AttemptSchema, 'The attempt already in progress', [
            'Location',
            'Idempotent-Replayed',
          ]),
          201: jsonResponse(AttemptSchema, 'A new attempt, in progress', ['Location', 'Idempotent-Replayed']),
          ...problemResponses(400, 404, 409, 422),
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
        ({ db, learnerId, done }) => {
          const open = and(
            eq(attempts.learnerId, learnerId),
            eq(attempts.activityId, activityId),
            eq(attempts.status, 'in_progress'),
          )
          return {
            // Under the learner's lock, so a second start cannot slip in between these two.
            open: db
              .select({ ...getTableColumns(attempts), done })
              .from(attempts)
              .where(open),
            // Its questions drawn and ordered here, in SQL (attempt_questions, drizzle/0009).
            created:
              db.execute(sql`INSERT INTO ${attempts} (id, learner_id, activity_id, content_version, questions)
              SELECT ${attemptId}, ${learnerId}, ${activities.id}, ${activities.contentVersion},
                attempt_questions(${activities.content})
              FROM ${activities} JOIN ${units} ON ${units.id} = ${activities.unitId}
              WHERE ${activities.id} = ${activityId} AND ${activityPublished} AND ${inPublishedSkill(units.skillId)}
                AND NOT EXISTS (SELECT 1 FROM ${attempts} WHERE ${open})
              RETURNING ${done}`),
            attempt: db
              .select({ attempt: attempts, content: activityVersions.content })
              .from(attempts)
              .innerJoin(activityVersions, versionOf(attempts))
              .where(
                and(
                  eq(attempts.learnerId, learnerId),
                  eq(attempts.activityId, activityId),
                  eq(attempts.status, 'in_progress'),
                ),
              ),
          }
        },
        ({ learnerId }) => ({
          // 201 with the new attempt, or 200 with the one that was open.
          status: sql`CASE WHEN EXISTS (SELECT 1 FROM ${attempts} WHERE ${attempts.id} = ${attemptId}) THEN 201 ELSE 200 END`,
          snapshot: sql`(SELECT jsonb_build_object('attempt', to_jsonb(t), 'version', to_jsonb(v))
            FROM ${attempts} t JOIN ${activityVersions} v ON v.activity_id = t.activity_id AND v.version = t.content_version
            WHERE t.learner_id = ${learnerId} AND t.activity_id = ${activityId} AND t.status = 'in_progress')`,
          resource: `/v1/me/attempts/${attemptId}`,
        }),
      )
      const replayed = written.replay
      const [open] = written.results?.open ?? []
      const [current] = written.results?.attempt ?? []
      const attempt = replayed ? attemptOf(replayed.snapshot) : current?.attempt
      if (!attempt) throw new ApiError('not_found', 'No activity with this id.')
      const content = replayed ? contentOf(replayed.snapshot) : activityContent.parse(current?.content)
      const status = replayed ? (replayed.status === 201 ? 201 : 200) : open ? 200 : 201
      const headers = { ...PRIVATE, Location: `/v1/me/attempts/${attempt.id}`, ...(replayed && REPLAYED) }
      const body = presentAttempt(attempt, content)
      return status === 201 ? c.json(body, 201, headers) : c.json(body, 200, headers)
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
          'Two round trips; simultaneous submits of one learner are applied one after another.',
        request: {
          params: uuidParam('attemptId'),
          headers: IdempotencyKeyHeader,
          ...jsonBody(SubmitAttemptSchema),
        },
        responses: {
          200: jsonResponse(SubmitResultSchema, 'The graded attempt and the new skill state', [
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
      const body = await c.req.text()
      const idempotency = await idempotencyOf(c.req.header('idempotency-key'), 'POST', c.req.path, body)
      const submitted = await submitAttempt(c, attemptId, answers, idempotency)
      return c.json(
        {
          attempt: presentAttempt(submitted.attempt),
          passed: submitted.passed,
          review: submitted.review,
          skillState: presentSkillState(submitted.state.skillId, submitted.state, {
            unitIds: submitted.knowledge.map((unit) => unit.unitId),
            pInit: submitted.pInit,
          }),
          knowledge: submitted.knowledge,
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
        request: { params: uuidParam('attemptId'), headers: IdempotencyKeyHeader },
        responses: {
          200: jsonResponse(AttemptSchema, 'The abandoned attempt', ['Idempotent-Replayed']),
          ...problemResponses(400, 404, 409, 422),
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
        { status: 200, snapshot: attemptSnapshot(attemptId), resource: `/v1/me/attempts/${attemptId}` },
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
