import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../types.ts'
import {
  clearedSessionCookie,
  cookieName,
  hashSessionId,
  sessionCookie,
  sessionKeys,
  signSessionId,
  verifySessionCookie,
} from './cookie.ts'

export type Session = {
  /** The id in the cookie: never stored, never logged. */
  id: string
  /** What `learners.session_id` holds. */
  hash: string
}

/**
 * Reads the session cookie of routes that need one. It never touches the database: each route looks
 * the learner up inside its own query, so a session costs no extra round trip. Sessions fail closed:
 * without usable SESSION_SECRETS these routes are a 500 "misconfigured", while the catalogue works on.
 */
async function requireKeys(c: Context<AppEnv>) {
  const keys = await sessionKeys(c.env.SESSION_SECRETS)
  if (!keys) {
    throw new ApiError('misconfigured', 'Sessions are unavailable: SESSION_SECRETS is missing or too short.')
  }
  return keys
}

export const readSession = createMiddleware<AppEnv>(async (c, next) => {
  const keys = await requireKeys(c)
  const value = getCookie(c, cookieName(c.req.url))
  const verified = value === undefined ? null : await verifySessionCookie(value, keys)
  c.set(
    'session',
    verified ? { id: verified.sessionId, hash: await hashSessionId(verified.sessionId) } : null,
  )
  c.set('sessionCookiePresent', value !== undefined)
  await next()
  // Key rotation: a cookie signed with an older key is re-issued with the current one.
  if (verified && verified.keyIndex > 0 && c.res.ok && !c.res.headers.has('set-cookie')) {
    c.header('Set-Cookie', sessionCookie(c.req.url, await signSessionId(verified.sessionId, keys.signing)))
  }
})

/** 401 for "no session", clearing whatever cookie was sent (tampered, unknown or revoked). */
export function noSession(c: Context<AppEnv>): ApiError {
  // No registered scheme exists for cookies; the header still tells clients what kind of credential is missing.
  const headers: Record<string, string> = { 'WWW-Authenticate': 'Cookie realm="learner"' }
  if (c.get('sessionCookiePresent')) headers['Set-Cookie'] = clearedSessionCookie(c.req.url)
  return new ApiError('unauthorized', 'No valid session: create one with POST /v1/session.', { headers })
}

/** The verified session, or a thrown 401. */
export function requireSession(c: Context<AppEnv>): Session {
  const session = c.get('session')
  if (!session) throw noSession(c)
  return session
}

/** The Set-Cookie value for a new session, signed with the current key. */
export async function issueSessionCookie(c: Context<AppEnv>, sessionId: string) {
  return sessionCookie(c.req.url, await signSessionId(sessionId, (await requireKeys(c)).signing))
}
