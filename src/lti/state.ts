/**
 * The OIDC login's state: which platform the browser was sent to and the nonce it must come back
 * with, signed (an HMAC key derived from SESSION_SECRETS for this purpose only) and held in a cookie
 * of the browser that started the login, so a launch posted from elsewhere, or with another state,
 * is refused. Ten minutes is ample for a platform's sign-in step.
 */
import { type DerivedKeys, derivedKeys } from '../session/derived-keys.ts'
import { open, seal } from './sealed.ts'

export type LoginState = { platformId: string; nonce: string; issuedAt: number }

const MAX_AGE_MS = 10 * 60 * 1000

export const stateKeys = (secrets: readonly string[] | undefined) => derivedKeys(secrets, 'lti-login-state')

export const signState = (keys: DerivedKeys, state: LoginState) =>
  seal(keys, [state.platformId, state.nonce, state.issuedAt])

/** The state, when `value` is one we signed less than ten minutes ago; otherwise null. */
export async function verifyState(
  keys: DerivedKeys,
  value: string,
  now = Date.now(),
): Promise<LoginState | null> {
  const opened = await open(keys, value)
  if (!Array.isArray(opened)) return null
  const [platformId, nonce, issuedAt] = opened as [unknown, unknown, unknown]
  if (typeof platformId !== 'string' || typeof nonce !== 'string' || typeof issuedAt !== 'number') return null
  if (now - issuedAt > MAX_AGE_MS || issuedAt - now > 60_000) return null
  return { platformId, nonce, issuedAt }
}
