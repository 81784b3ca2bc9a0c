/**
 * Session cookies over Web Crypto: `<session id>.<HMAC-SHA256 signature>`, signed with the first of
 * SESSION_SECRETS and verified with any of them (key rotation).
 *
 * Our own format rather than Hono's signed cookies, which take one secret and accept four spellings
 * of each signature (the last base64 character has spare bits). Here the whole value must match one
 * strict pattern, the signature must be canonical base64url, and `crypto.subtle.verify` compares in
 * constant time.
 */
import { serialize } from 'hono/utils/cookie'
import { fromBase64Url, sha256Hex, toBase64Url, toHex, utf8 } from '../lib/encoding.ts'

const SESSION_ID_BYTES = 32
const MIN_SECRET_BYTES = 32
/** One year, within the 400-day ceiling browsers (and Hono's serializer) enforce. */
const SESSION_MAX_AGE_SECONDS = 365 * 24 * 60 * 60

const COOKIE_VALUE = /^([0-9a-f]{64})\.([A-Za-z0-9_-]{43})$/

export type SessionKeys = { signing: CryptoKey; verifying: CryptoKey[] }

const imported = new WeakMap<readonly string[], Promise<SessionKeys | null>>()

/**
 * HMAC keys for SESSION_SECRETS (parsed into a list by env.ts), imported once per isolate; null when
 * the list is empty or a secret is shorter than 32 bytes.
 */
export function sessionKeys(secrets: readonly string[] | undefined): Promise<SessionKeys | null> {
  if (!secrets) return Promise.resolve(null)
  let keys = imported.get(secrets)
  if (!keys) {
    const usable = secrets.length > 0 && secrets.every((secret) => utf8(secret).length >= MIN_SECRET_BYTES)
    keys = usable
      ? Promise.all(
          secrets.map((secret) =>
            crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
              'sign',
              'verify',
            ]),
          ),
        ).then(([signing, ...rest]) => ({
          signing: signing as CryptoKey,
          verifying: [signing as CryptoKey, ...rest],
        }))
      : Promise.resolve(null)
    imported.set(secrets, keys)
  }
  return keys
}

/** 32 bytes from the CSPRNG, as 64 hex characters. */
export function newSessionId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(SESSION_ID_BYTES)))
}

/** What the database stores: SHA-256 of the session id, so a leaked table yields no usable cookie. */
export const hashSessionId = (sessionId: string): Promise<string> => sha256Hex(sessionId)

export async function signSessionId(sessionId: string, key: CryptoKey): Promise<string> {
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(sessionId)))
  return `${sessionId}.${toBase64Url(signature)}`
}

/**
 * The session id in a cookie value, and which key verified it (0 = the current signing key), or
 * null for anything else: unsigned, malformed, non-canonical, oversize, or signed with no known key.
 */
export async function verifySessionCookie(
  value: string,
  keys: SessionKeys,
): Promise<{ sessionId: string; keyIndex: number } | null> {
  const match = COOKIE_VALUE.exec(value)
  if (!match) return null
  const [, sessionId = '', encoded = ''] = match
  const signature = fromBase64Url(encoded)
  if (toBase64Url(signature) !== encoded) return null
  const data = utf8(sessionId)
  for (const [keyIndex, key] of keys.verifying.entries()) {
    if (await crypto.subtle.verify('HMAC', key, signature, data)) return { sessionId, keyIndex }
  }
  return null
}

/** `__Host-sid` over https; plain `sid` on http://localhost, where browsers refuse Secure cookies. */
export function cookieName(url: string) {
  return new URL(url).protocol === 'https:' ? '__Host-sid' : 'sid'
}

const attributes = (url: string, maxAge: number) => {
  const secure = new URL(url).protocol === 'https:'
  return { path: '/', httpOnly: true, sameSite: 'Lax', maxAge, ...(secure && { secure: true }) } as const
}

export const sessionCookie = (url: string, signedValue: string) =>
  serialize(cookieName(url), signedValue, attributes(url, SESSION_MAX_AGE_SECONDS))

export const clearedSessionCookie = (url: string) => serialize(cookieName(url), '', attributes(url, 0))

/**
 * A cookie that works inside an LMS's iframe, where cookies are third-party: `SameSite=None; Secure;
 * Partitioned` (CHIPS), kept under the LMS's site. Browsers treat http loopback as secure, so local
 * platforms work too. Only LTI's launches set these; every other cookie stays as it is.
 */
export const embeddableCookie = (name: string, value: string, maxAge: number, path = '/') =>
  serialize(name, value, { path, httpOnly: true, secure: true, sameSite: 'None', partitioned: true, maxAge })

/**
 * The session cookie an LTI launch sets: an ordinary session, under a name of its own and usable
 * inside the LMS's frame. Its own name, because a top-level page (the new-window launch) receives the
 * browser's own `sid` too: the middleware prefers this one, and the two learners can be merged.
 */
export const ltiCookieName = (url: string) =>
  new URL(url).protocol === 'https:' ? '__Host-lti_sid' : 'lti_sid'

export const embeddableSessionCookie = (url: string, signedValue: string, maxAge = SESSION_MAX_AGE_SECONDS) =>
  embeddableCookie(ltiCookieName(url), signedValue, maxAge)
