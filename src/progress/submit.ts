/**
 * Submitting an attempt: read → decide → write, two round trips.
 *
 * 1. read: the attempt with its activity and skill, the learner's state on the skill (with its
 *    version), and what the learner has done on each of the skill's activities (readForWrite);
 * 2. decide: grade and compute the new state, in the Worker (mastery/decide.ts);
 * 3. write: complete the attempt and store the state, asserting that the state is still the version
 *    read and that the attempt was still in progress (learnerWrite).
 *
 * A state that moved meanwhile (another submit of this learner on the skill, the review cron) fails
 * `skill_state_unchanged`, and the whole submit runs again on fresh reads, so no update is lost.
 */
import { and, eq, getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { activityContent } from '../content/schema.ts'
import type { Db } from '../db/client.ts'
import { withRetries } from '../db/retry.ts'
import {
  type Attempt,
  activities,
  attempts,
  type SkillState,
  skillStates,
  skills,
  units,
} from '../db/schema.ts'
import { ApiError, type InvalidParam, jsonPointer } from '../errors.ts'
import { type AnswerValue, type InvalidAnswer, invalidAnswers } from '../grading/grade.ts'
import { bktParameters } from '../mastery/bkt.ts'
import { type Decision, decide, type SubmitSnapshot } from '../mastery/decide.ts'
import type { ReviewRating } from '../mastery/fsrs.ts'
import type { AppEnv } from '../types.ts'
import { type IdempotencyRequest, type Replay, rowFromSnapshot } from './idempotency.ts'
import { AssertionFailed, learnerWrite, readForWrite, type WriteContext } from './learner-write.ts'
import { learnerCompleted, ownAttempt } from './queries.ts'

/**
 * Only simultaneous submits of one learner on one skill conflict. 20 at once (test/concurrency.test.ts)
 * needed at most 7 tries for the unluckiest; 16 leaves room, and each try is backed off with jitter.
 */
const MAX_TRIES = 16

export type Submitted = {
  attempt: Attempt
  state: SkillState
  passed: boolean
  review: ReviewRating | null
  /** True when the answer is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean
}

const isStale = (error: unknown) =>
  error instanceof AssertionFailed && error.assertion === 'skill_state_unchanged'

export async function submitAttempt(
  c: Context<AppEnv>,
  attemptId: string,
  answers: Record<string, AnswerValue>,
  idempotency: IdempotencyRequest | null,
): Promise<Submitted> {
  try {
    return await withRetries(() => submitOnce(c, attemptId, answers, idempotency), {
      tries: MAX_TRIES,
      retryOn: isStale,
      delayMs: (attempt) => Math.random() * 15 * 2 ** Math.min(attempt, 4),
    })
  } catch (error) {
    if (error instanceof AssertionFailed && error.assertion === 'attempt_in_progress') {
      throw new ApiError(
        'conflict',
        'The attempt is no longer in progress: it was completed or abandoned meanwhile.',
      )
    }
    if (!isStale(error)) throw error
    throw new ApiError('database_unavailable', 'Too many simultaneous submissions; try again.', {
      cause: error,
      headers: { 'Retry-After': '1' },
    })
  }
}

async function submitOnce(
  c: Context<AppEnv>,
  attemptId: string,
  answers: Record<string, AnswerValue>,
  idempotency: IdempotencyRequest | null,
): Promise<Submitted> {
  const read = await readForWrite(c, idempotency, (db, learnerId) =>
    snapshotQueries(db, learnerId, attemptId),
  )
  if (read.replay) return submittedFrom(read.replay)
  const [target] = read.target
  if (!target) throw new ApiError('not_found', 'No attempt with this id.')
  if (target.status !== 'in_progress')
    throw new ApiError('conflict', `The attempt is already ${target.status}.`)
  const snapshot: SubmitSnapshot = {
    activityId: target.activityId,
    content: activityContent.parse(target.content),
    parameters: bktParameters(target.skillMetadata),
    state: read.state[0] ?? null,
    activities: read.activities,
  }
  const invalid = invalidAnswers(snapshot.content, answers)
  if (invalid.length > 0) {
    throw new ApiError('validation_failed', 'Some answers cannot be graded.', {
      errors: answerErrors(invalid),
    })
  }

  const decision = decide(snapshot, answers, new Date())

  const place = { learnerId: read.learner.id, skillId: target.skillId, attemptId }
  const written = await learnerWrite(
    c,
    idempotency,
    (w) => completeAttempt(w, place, answers, decision, read.state[0]?.version ?? 0),
    { status: 200, snapshot: submitSnapshot(place, decision) },
  )
  if (written.replay) return submittedFrom(written.replay)
  const [attempt] = written.results.completed
  const [state] = written.results.saved
  if (!attempt || !state) throw new Error('the submit batch committed without its rows')
  return { attempt, state, passed: decision.grade.passed, review: decision.review, replayed: false }
}

/** The skill of an attempt, as a subquery for statements of the same batch. */
const skillOfAttempt = (attemptId: string) => sql`(
  SELECT u.skill_id FROM ${attempts} t JOIN ${activities} a ON a.id = t.activity_id JOIN ${units} u ON u.id = a.unit_id
  WHERE t.id = ${attemptId})`

function snapshotQueries(db: Db, learnerId: SQL, attemptId: string) {
  return {
    target: db
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
      .where(ownAttempt(learnerId, attemptId)),
    state: db
      .select()
      .from(skillStates)
      .where(and(eq(skillStates.learnerId, learnerId), eq(skillStates.skillId, skillOfAttempt(attemptId)))),
    activities: db
      .select({
        id: activities.id,
        unitId: activities.unitId,
        completed: learnerCompleted(learnerId, false),
        passed: learnerCompleted(learnerId, true),
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .where(eq(units.skillId, skillOfAttempt(attemptId))),
  }
}

type Place = { learnerId: string; skillId: string; attemptId: string }

function completeAttempt(
  { db, done, happened, assert }: WriteContext,
  { learnerId, skillId, attemptId }: Place,
  answers: Record<string, AnswerValue>,
  { grade, state }: Decision,
  versionRead: number,
) {
  const thisState = and(eq(skillStates.learnerId, learnerId), eq(skillStates.skillId, skillId))
  return {
    unchanged: assert(
      sql`coalesce((SELECT ${skillStates.version} FROM ${skillStates} WHERE ${thisState}), 0) = ${versionRead}`,
      'skill_state_unchanged',
    ),
    completed: db
      .update(attempts)
      .set({
        status: 'completed',
        score: grade.score,
        maxScore: grade.maxScore,
        response: { answers },
        feedback: grade.feedback,
        completedAt: sql`now()`,
      })
      .where(and(eq(attempts.id, attemptId), eq(attempts.status, 'in_progress')))
      .returning({ ...getTableColumns(attempts), done }),
    inProgress: assert(happened, 'attempt_in_progress'),
    saved: db
      .insert(skillStates)
      .values({ learnerId, skillId, ...state, version: 1 })
      .onConflictDoUpdate({
        target: [skillStates.learnerId, skillStates.skillId],
        set: { ...state, version: sql`${skillStates.version} + 1` },
      })
      .returning(),
  }
}

/** What a replay of this submit answers: the rows as committed, and the grade's outcome. */
const submitSnapshot = (
  { learnerId, skillId, attemptId }: Place,
  { grade, review }: Decision,
) => sql`jsonb_build_object(
  'attempt', (SELECT to_jsonb(t) FROM ${attempts} t WHERE t.id = ${attemptId}),
  'skillState', (SELECT to_jsonb(s) FROM ${skillStates} s WHERE s.learner_id = ${learnerId} AND s.skill_id = ${skillId}),
  'passed', ${grade.passed}::boolean,
  'review', ${review}::text)`

function submittedFrom({ snapshot }: Replay): Submitted {
  return {
    attempt: rowFromSnapshot(attempts, snapshot.attempt),
    state: rowFromSnapshot(skillStates, snapshot.skillState),
    passed: snapshot.passed === true,
    review: (snapshot.review ?? null) as ReviewRating | null,
    replayed: true,
  }
}

/** Answers that cannot be graded, as problem entries pointing into the submit body. */
export const answerErrors = (invalid: InvalidAnswer[]): InvalidParam[] =>
  invalid.map(({ questionId, reason }) => ({
    pointer: jsonPointer(['response', 'answers', questionId]),
    detail: reason,
  }))
