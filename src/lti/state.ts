/**
 * The OIDC login's state: which platform the browser was sent to and the nonce it must come back
 * with, signed (an HMAC key derived from SESSION_SECRETS for this purpose only) and held in a cookie
 * of the browser that started the login, so a launch posted from elsewhere, or with another state,
 * is refused. Ten minutes is ample for a platform's sign-in step.
 */
import { fromBase64Url, toBase64Url, utf8 } from '../lib/encoding.ts'
import { type DerivedKeys, derivedKeys, verifiedByAny } from '../session/derived-keys.ts'

export type LoginState = { platformId: string; nonce: string; issuedAt: number }

const MAX_AGE_MS = 10 * 60 * 1000

export const stateKeys = (secrets: readonly string[] | undefined) => derivedKeys(secrets, 'lti-login-state')

export async function signState(keys: DerivedKeys, state: LoginState): Promise<string> {
  const body = toBase64Url(utf8(JSON.stringify([state.platformId, state.nonce, state.issuedAt])))
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', keys.signing, utf8(body)))
  return `${body}.${toBase64Url(mac)}`
}

/** The state, when `value` is one we signed less than ten minutes ago; otherwise null. */
export async function verifyState(
  keys: DerivedKeys,
  value: string,
  now = Date.now(),
): Promise<LoginState | null> {
  const [body, mac, extra] = value.split('.')
  if (!body || !mac || extra !== undefined) return null
  try {
    if (!(await verifiedByAny(keys, fromBase64Url(mac), utf8(body)))) return null
    const [platformId, nonce, issuedAt] = JSON.parse(new TextDecoder().decode(fromBase64Url(body))) as [
      string,
      string,
      number,
    ]
    if (typeof issuedAt !== 'number' || now - issuedAt > MAX_AGE_MS || issuedAt - now > 60_000) return null
    return { platformId, nonce, issuedAt }
  } catch {
    return null
  }
}
