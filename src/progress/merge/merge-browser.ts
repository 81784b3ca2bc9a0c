/**
 * Merging this browser's own learner into the learner an LTI launch signed in (session/middleware.ts:
 * the request came with both cookies, of two learners). The same consented merge passkey sign-in
 * offers (merge.ts): only an anonymous learner signed in nowhere else is brought over. Read (one
 * round trip: what merging would bring, and the plan's facts), plan, write (one batch).
 */
import { asserting } from '../../db/assert.ts'
import { batchByName } from '../../db/batch.ts'
import { ApiError } from '../../errors.ts'
import { learnerIdOf, readLearner } from '../../session/learner.ts'
import type { LearnerScope } from '../../types.ts'
import { mergePreview, mergeReads, mergeStatements, planMerge, sourceOf, withMergeRetries } from './merge.ts'

/** What merging this browser's own learner would bring over; null when there is none to merge. */
export async function browserMergePreview(scope: LearnerScope) {
  const { browserSession } = scope
  if (!browserSession) return null
  const { source } = await readLearner(scope, (db) => ({ source: sourceOf(db, browserSession.hash) }))
  const [learner] = source
  return learner ? mergePreview(learner) : null
}

async function mergeOnce(scope: LearnerScope, browserHash: string) {
  const read = await readLearner(scope, (db, learnerId) => ({
    source: sourceOf(db, browserHash),
    ...mergeReads(db, learnerIdOf(browserHash), learnerId),
  }))
  const [source] = read.source
  if (!source || source.learnerId === read.learner.id)
    throw new ApiError('conflict', 'This browser has no other learner to bring over.')
  const preview = mergePreview(source)
  if (!preview.allowed)
    throw new ApiError(
      'conflict',
      preview.reason === 'has_passkey'
        ? 'This browser’s other learner has a passkey of their own, so it cannot be merged.'
        : 'This browser’s other learner is signed in on another device too, so it cannot be merged.',
    )
  const plan = planMerge(source, read.learner.id, read)
  await asserting(() => batchByName(scope.db, mergeStatements(scope.db, plan, browserHash)))
  return { attempts: plan.attempts, skills: plan.states.length }
}

/** Brings this browser's own learner's progress over; its cookie is cleared. A 409 when it cannot. */
export async function mergeBrowserLearner(scope: LearnerScope) {
  const { browserSession } = scope
  if (!browserSession) throw new ApiError('conflict', 'This browser has no other learner to bring over.')
  const merged = await withMergeRetries(
    () => mergeOnce(scope, browserSession.hash),
    'Progress kept changing while merging; try again.',
  )
  scope.device.browserSessionEnded()
  return merged
}
