/**
 * Signing in with a passkey, on any device: read (one round trip) → verify (Web Crypto) → write (one
 * batch). The write uses the challenge once, moves the passkey's counter under the counter rule, and
 * gives this device a new session of the passkey's learner — a new id, never the old cookie's. With
 * `merge`, this device's anonymous learner is merged into that learner in the same batch
 * (progress/merge/merge.ts); without it, this device's previous session ends and its learner is left as it
 * is. A merge whose reads changed before the write runs again from the start.
 */

import { eq, sql } from 'drizzle-orm'
import { asserting } from '../db/assert.ts'
import { batchByName } from '../db/batch.ts'
import { retryReads } from '../db/retry.ts'
import { type Learner, learners, passkeys, sessions } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import {
  mergePreview,
  mergeReads,
  mergeStatements,
  planMerge,
  sourceOf,
  withMergeRetries,
} from '../progress/merge/merge.ts'
import type { AuthenticationCredential } from '../schemas/passkeys.ts'
import { learnerIdOf, newSession } from '../session/learner.ts'
import type { SessionScope } from '../types.ts'
import { verifyChallenge } from './challenge.ts'
import { relyingParty } from './options.ts'
import { passkeyProblem } from './refusals.ts'
import { signInWith, useChallenge } from './statements.ts'
import { refused, userHandleOf, verifyAssertion } from './webauthn.ts'

export type SignedIn = { learner: Learner; merged: { attempts: number; skills: number } | null }

export async function signInWithPasskey(
  scope: SessionScope,
  credential: AuthenticationCredential,
  merge: boolean,
): Promise<SignedIn> {
  if (credential.id !== credential.rawId) throw refused('passkey_malformed', 'id and rawId differ.')
  try {
    return await withMergeRetries(
      () => signInOnce(scope, credential, merge),
      'Progress kept changing while merging; sign in again.',
    )
  } catch (error) {
    throw passkeyProblem(error)
  }
}

async function signInOnce(scope: SessionScope, credential: AuthenticationCredential, merge: boolean) {
  const { db, session } = scope
  const target = sql`(SELECT ${passkeys.learnerId} FROM ${passkeys} WHERE ${passkeys.credentialId} = ${credential.rawId})`
  const { named: read } = await retryReads(() =>
    batchByName(db, {
      passkey: db.select().from(passkeys).where(eq(passkeys.credentialId, credential.rawId)),
      // Without a session (or a merge) these find nothing: no session has the empty hash.
      source: sourceOf(db, session?.hash ?? ''),
      ...mergeReads(db, merge ? learnerIdOf(session?.hash ?? '') : sql`NULL::uuid`, target),
    }),
  )
  const [passkey] = read.passkey
  if (!passkey) {
    throw refused(
      'passkey_unknown_credential',
      'This passkey is not registered here (it may have been removed).',
    )
  }
  const assertion = await verifyAssertion(
    credential,
    { ...passkey, userHandle: userHandleOf(passkey.learnerId) },
    relyingParty(scope.env),
  )
  const challenge = await verifyChallenge(scope.env.SESSION_SECRETS, assertion.challenge, 'signIn')

  const [source] = read.source
  const merging = merge && session && source && source.learnerId !== passkey.learnerId ? source : null
  if (merging && !mergePreview(merging).allowed) {
    throw new ApiError(
      'conflict',
      mergePreview(merging).reason === 'has_passkey'
        ? 'This device’s learner has a passkey of their own, so it cannot be merged: sign in with merge: false.'
        : 'This device’s learner is signed in on another device too, so it cannot be merged: sign in with merge: false.',
    )
  }
  const plan = merging && session ? planMerge(merging, passkey.learnerId, read) : null
  const device = await newSession(scope, passkey.learnerId)
  const { named: written } = await asserting(() =>
    batchByName(db, {
      ...(plan && session ? mergeStatements(db, plan, session.hash) : {}),
      ...useChallenge(db, challenge),
      ...signInWith(db, passkey.id, assertion),
      ...(session && !plan
        ? { previousSession: db.delete(sessions).where(eq(sessions.tokenHash, session.hash)) }
        : {}),
      newSession: device.insert,
      learner: db
        .update(learners)
        .set({ lastActiveAt: sql`now()` })
        .where(eq(learners.id, passkey.learnerId))
        .returning(),
    }),
  )
  const [learner] = written.learner as Learner[]
  if (!learner) throw new Error('the sign-in batch committed without the learner')
  scope.device.started(device.id)
  return { learner, merged: plan && { attempts: plan.attempts, skills: plan.states.length } }
}

/** What POST /v1/session/passkey/options says about merging: null without a live session. */
export async function mergePreviewFor({ db, session }: SessionScope) {
  if (!session) return null
  const [source] = await retryReads(() => sourceOf(db, session.hash))
  return source ? mergePreview(source) : null
}
