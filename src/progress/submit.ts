/**
 * Submitting an attempt: two round trips, retried as a whole when another submit of the same
 * learner and skill committed in between.
 *
 * 1. One batch reads everything grading and the state machine need: the attempt with its activity
 *    and skill, the stored skill state (with its version), and what the learner has done on each of
 *    the skill's activities.
 * 2. The Worker grades and computes the new state (src/mastery/next-state.ts).
 * 3. One batch writes: it locks the learner row (this learner's submits queue there), fails with
 *    SQLSTATE LP409 if the skill state's version is no longer the one read (or if the attempt was
 *    abandoned meanwhile), completes the attempt, and upserts the state — all or nothing.
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm'
import type { Grade } from 'ts-fsrs'
import { activityContent } from '../content/schema.ts'
import type { Db } from '../db/client.ts'
import { sqlstateOf } from '../db/errors.ts'
import { withRetries } from '../db/retry.ts'
import {
  type Attempt,
  activities,
  attempts,
  learners,
  type SkillState,
  skillStates,
  skills,
  units,
} from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { type AnswerValue, grade, invalidAnswers } from '../grading/grade.ts'
import {
  holdsClaim,
  type IdempotencyRequest,
  idempotentBatch,
  lookup,
  operationDone,
  replayOf,
  rowFromSnapshot,
} from '../idempotency.ts'
import { bktParameters, observationsFor } from '../mastery/bkt.ts'
import { nextSkillState, type SkillActivity } from '../mastery/next-state.ts'
import { identify, learnerIdOf } from '../session/learner.ts'
import { learnerCompleted, ownAttempt } from './queries.ts'

/**
 * Only simultaneous submits of one learner on one skill conflict. 20 at once (test/concurrency.test.ts)
 * needed at most 7 tries for the unluckiest; 16 leaves room, and each try is backed off with jitter.
 */
const MAX_TRIES = 16
const STALE_VERSION = 'LP409'

export class NoLearner extends Error {}

/** The skill of an attempt, as a subquery for statements of the same batch. */
const skillOfAttempt = (attemptId: string) => sql`(
  SELECT u.skill_id FROM ${attempts} t JOIN ${activities} a ON a.id = t.activity_id JOIN ${units} u ON u.id = a.unit_id
  WHERE t.id = ${attemptId})`

async function load(db: Db, hash: string, attemptId: string, idempotency: IdempotencyRequest | null) {
  const [, [learner], [target], [state], skillActivities, [keyRow]] = await db.batch([
    ...identify(db, hash),
    db
      .select({
        status: attempts.status,
        activityId: attempts.activityId,
        content: activities.content,
        skillId: units.skillId,
        skillMetadata: skills.metadata,
      })
      .from(attempts)
      .innerJoin(activities, eq(activities.id, attempts.activityId))
      .innerJoin(units, eq(units.id, activities.unitId))
      .innerJoin(skills, eq(skills.id, units.skillId))
      .where(ownAttempt(hash, attemptId)),
    db
      .select()
      .from(skillStates)
      .where(
        and(eq(skillStates.learnerId, learnerIdOf(hash)), eq(skillStates.skillId, skillOfAttempt(attemptId))),
      ),
    db
      .select({
        id: activities.id,
        unitId: activities.unitId,
        completed: learnerCompleted(hash, false),
        passed: learnerCompleted(hash, true),
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .where(eq(units.skillId, skillOfAttempt(attemptId))),
    // Keys are at least one character: without one this finds nothing.
    lookup(db, hash, idempotency?.key ?? ''),
  ])
  return { learner, target, state, skillActivities: skillActivities as SkillActivity[], keyRow }
}

const isStaleVersion = (error: unknown) => sqlstateOf(error) === STALE_VERSION

type Submitted = {
  attempt: Attempt
  state: SkillState
  passed: boolean
  rating: Grade | null
  /** True when the answer is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean
}

export async function submitAttempt(
  db: Db,
  hash: string,
  attemptId: string,
  answers: Record<string, AnswerValue>,
  idempotency: IdempotencyRequest | null,
): Promise<Submitted> {
  try {
    return await withRetries(() => submitOnce(db, hash, attemptId, answers, idempotency), {
      tries: MAX_TRIES,
      retryOn: isStaleVersion,
      delayMs: (attempt) => Math.random() * 15 * 2 ** Math.min(attempt, 4),
    })
  } catch (error) {
    if (!isStaleVersion(error)) throw error
    throw new ApiError('database_unavailable', 'Too many simultaneous submissions; try again.', {
      cause: error,
      headers: { 'Retry-After': '1' },
    })
  }
}

async function submitOnce(
  db: Db,
  hash: string,
  attemptId: string,
  answers: Record<string, AnswerValue>,
  idempotency: IdempotencyRequest | null,
): Promise<Submitted> {
  const { learner, target, state, skillActivities, keyRow } = await load(db, hash, attemptId, idempotency)
  if (!learner) throw new NoLearner()
  if (keyRow && idempotency) {
    const { snapshot } = replayOf(keyRow, idempotency)
    return {
      attempt: rowFromSnapshot(attempts, snapshot.attempt),
      state: rowFromSnapshot(skillStates, snapshot.skillState),
      passed: snapshot.passed === true,
      rating: (snapshot.rating ?? null) as Grade | null,
      replayed: true,
    }
  }
  if (!target) throw new ApiError('not_found', 'No attempt with this id.')
  if (target.status !== 'in_progress')
    throw new ApiError('conflict', `The attempt is already ${target.status}.`)
  const content = activityContent.parse(target.content)
  const errors = invalidAnswers(content, answers)
  if (errors.length > 0) throw new ApiError('validation_failed', 'Some answers cannot be graded.', { errors })

  const result = grade(content, answers)
  const parameters = bktParameters(target.skillMetadata)
  const now = new Date()
  const next = nextSkillState({
    previous: state,
    parameters,
    observations: observationsFor(
      content.questions,
      result.feedback.map((f) => f.correct),
      parameters,
    ),
    activityId: target.activityId,
    ratio: result.ratio,
    passingScore: content.passingScore,
    passed: result.passed,
    activities: skillActivities,
    now,
  })
  const { rating: _rating, ...columns } = next

  const thisState = and(eq(skillStates.learnerId, learner.id), eq(skillStates.skillId, target.skillId))
  const { results } = await idempotentBatch(
    db,
    hash,
    idempotency,
    [
      db.update(learners).set({ lastActiveAt: sql`now()` }).where(eq(learners.id, learner.id)),
      // Another request holds this key: fail, and the retry replays its answer.
      db.execute(sql`SELECT expect_version(CASE WHEN ${holdsClaim(hash, idempotency)} THEN 1 ELSE 0 END, 1)`),
      db.execute(sql`SELECT expect_version(
        coalesce((SELECT ${skillStates.version} FROM ${skillStates} WHERE ${thisState}), 0), ${state?.version ?? 0})`),
      db
        .update(attempts)
        .set({
          status: 'completed',
          score: result.score,
          maxScore: result.maxScore,
          response: { answers },
          feedback: result.feedback,
          completedAt: sql`now()`,
        })
        .where(and(eq(attempts.id, attemptId), eq(attempts.status, 'in_progress')))
        .returning({ ...getTableColumns(attempts), done: operationDone }),
      // Abandoned meanwhile? Then nothing of this batch may stay: fail it (and the retry answers 409).
      db.execute(sql`SELECT expect_version(
        (SELECT count(*)::int FROM ${attempts} WHERE ${attempts.id} = ${attemptId} AND ${attempts.completedAt} = now()), 1)`),
      db
        .insert(skillStates)
        .values({ learnerId: learner.id, skillId: target.skillId, ...columns, version: 1 })
        .onConflictDoUpdate({
          target: [skillStates.learnerId, skillStates.skillId],
          set: { ...columns, version: sql`${skillStates.version} + 1` },
        }),
      db.select().from(skillStates).where(thisState),
    ],
    {
      status: 200,
      snapshot: sql`jsonb_build_object(
        'attempt', (SELECT to_jsonb(t) FROM ${attempts} t WHERE t.id = ${attemptId}),
        'skillState', (SELECT to_jsonb(s) FROM ${skillStates} s WHERE s.learner_id = ${learner.id} AND s.skill_id = ${target.skillId}),
        'passed', ${result.passed}::boolean,
        'rating', ${next.rating}::int)`,
    },
  )
  const [, , , [completed], , , [saved]] = results
  if (!completed || !saved) throw new Error('the submit batch committed without its rows')
  return { attempt: completed, state: saved, passed: result.passed, rating: next.rating, replayed: false }
}
