/** What a passkey write's failed assertions answer. */
import { AssertionFailed } from '../db/assert.ts'
import { ApiError } from '../errors.ts'
import { MAX_PASSKEYS } from './statements.ts'
import { refused } from './webauthn.ts'

/** The problem for a failed passkey assertion; anything else is rethrown as it is. */
export function passkeyProblem(error: unknown): unknown {
  if (!(error instanceof AssertionFailed)) return error
  switch (error.assertion) {
    case 'challenge_unused':
      return refused('passkey_challenge_used', 'This challenge was already used: ask for new options.')
    case 'passkey_counter':
      return refused('passkey_counter', 'The passkey’s counter went backwards: it may have been cloned.')
    case 'passkey_limit':
      return new ApiError(
        'conflict',
        `A learner can have at most ${MAX_PASSKEYS} passkeys: remove one first.`,
      )
    case 'credential_new':
      return new ApiError('conflict', 'This passkey is already registered.')
    default:
      return error
  }
}
