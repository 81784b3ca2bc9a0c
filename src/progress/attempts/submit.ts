/**
 * Submitting an attempt: decide from what was read, then write — in one round trip when the start's
 * submit token says what a read would, otherwise in two.
 *
 * One trip (submitFromToken): the token (submit-token.ts) carries the learner's state with its
 * version, what they did on the skill and were shown, the attempt's questions; this Worker's cache
 * (submit-snapshot.ts) the content and the skill's structure at the versions the token names. Decide,
 * then one guarded batch (learner-write.ts, guardedWrite): the writes run only if every version the
 * token names is still current (tokenStillCurrent), and if one is not, the same batch reads afresh.
 *
 * Two trips (submitOnce), without a usable token or after a failed guard (whose batch was the first):
 * 1. read: the attempt with its questions, its version of the content and its skill, what the
 *    learner was already shown of the activity, the learner's state on the skill (with its version),
 *    and what the learner has done on each of the skill's activities (readForWrite);
 * 2. decide: grade and compute the new state, in the Worker (mastery/decide.ts);
 * 3. write: complete the attempt and store the state, asserting that the state is still the version
 *    read and that the attempt was still in progress (learnerWrite).
 *
 * A state that moved meanwhile (another submit of this learner on the skill, the review cron) fails
 * `skill_state_unchanged`, and the whole submit runs again on fresh reads, so no update is lost.
 * Both paths decide with the same `decide` from the same facts, so they answer and store the same.
 */
import { sql } from 'drizzle-orm'
import { activityContent } from '../../content/schema.ts'
import { AssertionFailed } from '../../db/assert.ts'
import type { Results } from '../../db/batch.ts'
import { withRetries } from '../../db/retry.ts'
import { type Attempt, attempts, type SkillState, skillStates } from '../../db/schema.ts'
import { ApiError, type InvalidParam, jsonPointer } from '../../errors.ts'
import { type AnswerValue, type InvalidAnswer, invalidAnswers } from '../../grading/grade.ts'
import { bktParameters } from '../../mastery/bkt.ts'
import { type Decision, decide } from '../../mastery/decide.ts'
import type { RatingName } from '../../mastery/fsrs.ts'
import type { LearnerScope } from '../../types.ts'
import { type IdempotencyRequest, type Replay, rowFromSnapshot } from '../write/idempotency.ts'
import { guardedWrite, learnerWrite, readForWrite } from '../write/learner-write.ts'
import { snapshotFromRead, snapshotFromToken } from './submit-snapshot.ts'
import {
  completeAttempt,
  completion,
  snapshotQueries,
  submitSnapshot,
  tokenStillCurrent,
} from './submit-statements.ts'
import { type SubmitTokenClaims, verifySubmitToken } from './submit-token.ts'

/**
 * Only simultaneous submits of one learner on one skill conflict. 20 at once (test/concurrency.test.ts)
 * needed at most 7 tries for the unluckiest; 16 leaves room, and each try is backed off with jitter.
 */
const MAX_TRIES = 16

export type Submitted = {
  attempt: Attempt
  state: SkillState
  passed: boolean
  /** The FSRS rating of this submission, when it reviewed the skill (the response's `review`). */
  rating: RatingName | null
  knowledge: Decision['knowledge']
  /** The skill's prior P(L0): what a unit never practised reads as. */
  pInit: number
  /** True when the answer is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean
  path: SubmitPath
  /** The LTI grade links this submit gave a score (lti/grade-outbox.ts): the queue is told to send them. */
  scoredLinks: string[]
}

/** Why a submit took the two-trip path. */
type FallbackCause =
  | 'no_token'
  | 'token_unverified'
  | 'token_expired'
  | 'token_of_another_attempt'
  | 'cache_miss'
  | 'invalid_answers'
  | 'attempt_closed'
  | 'catalogue_changed'
  | 'state_moved'
  | 'token_not_current'

/** How a submit was answered: in one round trip, by the two-trip path and why, or from its key's record. */
type SubmitPath = 'one_trip' | FallbackCause | 'replayed'

const isStale = (error: unknown) =>
  error instanceof AssertionFailed && error.assertion === 'skill_state_unchanged'

export async function submitAttempt(
  scope: LearnerScope,
  attemptId: string,
  answers: Record<string, AnswerValue>,
  idempotency: IdempotencyRequest | null,
  token: string | undefined,
): Promise<Submitted> {
  try {
    const fast = await submitFromToken(scope, attemptId, answers, idempotency, token)
    if ('submitted' in fast) return fast.submitted
    // A failed guard's batch already read for the first try; a retry reads afresh.
    return await withRetries(
      (attempt) =>
        submitOnce(scope, attemptId, answers, idempotency, fast.cause, attempt === 1 ? fast.read : undefined),
      {
        tries: MAX_TRIES,
        retryOn: isStale,
        delayMs: (attempt) => Math.random() * 15 * 2 ** Math.min(attempt, 4),
      },
    )
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

/** What the first round trip of the two-trip path reads (or a failed guard's batch, in its stead). */
type SnapshotRead = { learnerId: string } & Results<ReturnType<typeof snapshotQueries>>

/**
 * The one-trip path: decide from the start's token and the cached catalogue, then one guarded batch.
 * Anything short of a valid token and a cache hit is a fallback cause (without a round trip); a
 * guard that failed is one too, and its batch has already read what the second trip needs.
 */
async function submitFromToken(
  scope: LearnerScope,
  attemptId: string,
  answers: Record<string, AnswerValue>,
  idempotency: IdempotencyRequest | null,
  token: string | undefined,
): Promise<{ submitted: Submitted } | { cause: FallbackCause; read?: SnapshotRead }> {
  if (token === undefined) return { cause: 'no_token' }
  const check = await verifySubmitToken(scope.env.SESSION_SECRETS, token, new Date())
  if (!check.ok) {
    if (check.reason === 'unverified') await scope.ignoredCredential('submit_token_unverified')
    return { cause: check.reason === 'expired' ? 'token_expired' : 'token_unverified' }
  }
  const { claims } = check
  if (claims.attemptId !== attemptId) return { cause: 'token_of_another_attempt' }
  const snapshot = snapshotFromToken(claims)
  if (!snapshot) return { cause: 'cache_miss' }
  // The two-trip path answers these (after a 401, 404 or 409 that would come first).
  if (invalidAnswers(snapshot.content, snapshot.questions, answers).length > 0) {
    return { cause: 'invalid_answers' }
  }

  const decision = decide(snapshot, answers, new Date())
  const place = {
    learnerId: claims.learnerId,
    skillId: claims.skillId,
    activityId: claims.activityId,
    attemptId,
  }
  const written = await guardedWrite(
    scope,
    idempotency,
    (w) => tokenStillCurrent(w.learnerId, claims),
    (w) => ({
      ...completion(w, place, { answers, bindings: snapshot.bindings }, decision, w.held),
      ...snapshotQueries(w.db, w.learnerId, attemptId, sql`NOT ${w.held}`),
    }),
    {
      status: 200,
      snapshot: submitSnapshot(place, decision, snapshot.parameters.pInit),
      resource: `/v1/me/attempts/${attemptId}`,
    },
  )
  if (written.replay) return { submitted: submittedFrom(written.replay) }
  const { completed, saved, scores, target, state, activities } = written.results
  if (!written.held) {
    const read = { learnerId: written.learnerId, target, state, activities }
    return { cause: guardFailure(claims, read), read }
  }
  return {
    submitted: submittedOf({ completed, saved, scores }, decision, snapshot.parameters.pInit, 'one_trip'),
  }
}

/** Which of the token's claims the fresh read contradicts. */
function guardFailure(claims: SubmitTokenClaims, read: SnapshotRead): FallbackCause {
  const [target] = read.target
  if (target?.status !== 'in_progress') return 'attempt_closed'
  if (target.catalogueVersion !== claims.catalogueVersion) return 'catalogue_changed'
  if ((read.state[0]?.version ?? 0) !== claims.stateVersion) return 'state_moved'
  return 'token_not_current'
}

/** The two-trip path: read (unless a failed guard's batch already did), decide, write. */
async function submitOnce(
  scope: LearnerScope,
  attemptId: string,
  answers: Record<string, AnswerValue>,
  idempotency: IdempotencyRequest | null,
  cause: FallbackCause,
  fresh: SnapshotRead | undefined,
): Promise<Submitted> {
  let read = fresh
  if (!read) {
    const result = await readForWrite(scope, idempotency, (db, learnerId) =>
      snapshotQueries(db, learnerId, attemptId),
    )
    if (result.replay) return submittedFrom(result.replay)
    read = { learnerId: result.learner.id, ...result }
  }
  const [target] = read.target
  if (!target) throw new ApiError('not_found', 'No attempt with this id.')
  if (target.status !== 'in_progress')
    throw new ApiError('conflict', `The attempt is already ${target.status}.`)
  const snapshot = snapshotFromRead(
    target,
    {
      content: activityContent.parse(target.content),
      parameters: bktParameters(target.skillMetadata),
      state: read.state[0] ?? null,
    },
    read.activities,
  )
  const invalid = invalidAnswers(snapshot.content, snapshot.questions, answers)
  if (invalid.length > 0) {
    throw new ApiError('validation_failed', 'Some answers cannot be graded.', {
      errors: answerErrors(invalid),
    })
  }

  const decision = decide(snapshot, answers, new Date())

  const place = {
    learnerId: read.learnerId,
    skillId: target.skillId,
    activityId: target.activityId,
    attemptId,
  }
  const written = await learnerWrite(
    scope,
    idempotency,
    (w) =>
      completeAttempt(
        w,
        place,
        { answers, bindings: snapshot.bindings },
        decision,
        read.state[0]?.version ?? 0,
      ),
    {
      status: 200,
      snapshot: submitSnapshot(place, decision, snapshot.parameters.pInit),
      resource: `/v1/me/attempts/${attemptId}`,
    },
  )
  if (written.replay) return submittedFrom(written.replay)
  return submittedOf(written.results, decision, snapshot.parameters.pInit, cause)
}

function submittedOf(
  { completed, saved, scores }: { completed: Attempt[]; saved: SkillState[]; scores: { linkId: string }[] },
  decision: Decision,
  pInit: number,
  path: SubmitPath,
): Submitted {
  const [attempt] = completed
  const [state] = saved
  if (!attempt || !state) throw new Error('the submit batch committed without its rows')
  return {
    attempt,
    state,
    passed: decision.grade.passed,
    rating: decision.rating,
    knowledge: decision.knowledge,
    pInit,
    replayed: false,
    path,
    scoredLinks: scores.map((score) => score.linkId),
  }
}

function submittedFrom({ snapshot }: Replay): Submitted {
  return {
    attempt: rowFromSnapshot(attempts, snapshot.attempt),
    state: rowFromSnapshot(skillStates, snapshot.skillState),
    passed: snapshot.passed === true,
    // Stored under the response's name for it.
    rating: (snapshot.review ?? null) as RatingName | null,
    // Rebuilt key by key: jsonb stored them in its own order, and a replay answers the first bytes.
    knowledge: ((snapshot.knowledge ?? []) as Decision['knowledge']).map(({ unitId, before, after }) => ({
      unitId,
      before,
      after,
    })),
    pInit: Number(snapshot.pInit),
    replayed: true,
    path: 'replayed',
    // The first request told the queue.
    scoredLinks: [],
  }
}

/** Answers that cannot be graded, as problem entries pointing into the submit body. */
export const answerErrors = (invalid: InvalidAnswer[]): InvalidParam[] =>
  invalid.map(({ questionId, reason }) => ({
    pointer: jsonPointer(['response', 'answers', questionId]),
    detail: reason,
  }))
