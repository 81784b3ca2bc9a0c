/**
 * Submitting an attempt: read → decide → write, two round trips.
 *
 * 1. read: the attempt with its questions, its version of the content and its skill, what the
 *    learner was already shown of the activity, the learner's state on the skill (with its version),
 *    and what the learner has done on each of the skill's activities (readForWrite);
 * 2. decide: grade and compute the new state, in the Worker (mastery/decide.ts);
 * 3. write: complete the attempt and store the state, asserting that the state is still the version
 *    read and that the attempt was still in progress (learnerWrite).
 *
 * A state that moved meanwhile (another submit of this learner on the skill, the review cron) fails
 * `skill_state_unchanged`, and the whole submit runs again on fresh reads, so no update is lost.
 */
import type { Context } from 'hono'
import { reviewPolicy } from '../content/review.ts'
import { activityContent } from '../content/schema.ts'
import { AssertionFailed } from '../db/assert.ts'
import { withRetries } from '../db/retry.ts'
import { type Attempt, attempts, type SkillState, skillStates } from '../db/schema.ts'
import { ApiError, type InvalidParam, jsonPointer } from '../errors.ts'
import { type AnswerValue, type InvalidAnswer, invalidAnswers } from '../grading/grade.ts'
import { bktParameters } from '../mastery/bkt.ts'
import { type Decision, decide, type SubmitSnapshot } from '../mastery/decide.ts'
import type { ReviewRating } from '../mastery/fsrs.ts'
import type { AppEnv } from '../types.ts'
import { type IdempotencyRequest, type Replay, rowFromSnapshot } from './idempotency.ts'
import { learnerWrite, readForWrite } from './learner-write.ts'
import { completeAttempt, snapshotQueries, submitSnapshot } from './submit-statements.ts'

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
  knowledge: Decision['knowledge']
  /** The skill's prior P(L0): what a unit never practised reads as. */
  pInit: number
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
  const content = activityContent.parse(target.content)
  const snapshot: SubmitSnapshot = {
    activityId: target.activityId,
    content,
    questions: target.questions.map((question) => question.id),
    review: reviewPolicy(target.type, content),
    shown: target.shown,
    parameters: bktParameters(target.skillMetadata),
    state: read.state[0] ?? null,
    activities: read.activities,
  }
  const invalid = invalidAnswers(snapshot.content, snapshot.questions, answers)
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
    {
      status: 200,
      snapshot: submitSnapshot(place, decision, snapshot.parameters.pInit),
      resource: `/v1/me/attempts/${attemptId}`,
    },
  )
  if (written.replay) return submittedFrom(written.replay)
  const [attempt] = written.results.completed
  const [state] = written.results.saved
  if (!attempt || !state) throw new Error('the submit batch committed without its rows')
  return {
    attempt,
    state,
    passed: decision.grade.passed,
    review: decision.review,
    knowledge: decision.knowledge,
    pInit: snapshot.parameters.pInit,
    replayed: false,
  }
}

function submittedFrom({ snapshot }: Replay): Submitted {
  return {
    attempt: rowFromSnapshot(attempts, snapshot.attempt),
    state: rowFromSnapshot(skillStates, snapshot.skillState),
    passed: snapshot.passed === true,
    review: (snapshot.review ?? null) as ReviewRating | null,
    knowledge: (snapshot.knowledge ?? []) as Decision['knowledge'],
    pInit: Number(snapshot.pInit),
    replayed: true,
  }
}

/** Answers that cannot be graded, as problem entries pointing into the submit body. */
export const answerErrors = (invalid: InvalidAnswer[]): InvalidParam[] =>
  invalid.map(({ questionId, reason }) => ({
    pointer: jsonPointer(['response', 'answers', questionId]),
    detail: reason,
  }))
