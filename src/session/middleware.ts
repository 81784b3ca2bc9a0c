/**
 * The session cookie, read by the middleware of the routes that declare it (src/routes/define.ts).
 * Neither middleware touches the database: each route looks its learner up inside its own batch, so
 * a session costs no extra round trip. Sessions fail closed: without usable SESSION_SECRETS these
 * routes are a 500 "misconfigured", while the catalogue works on.
 */
import type { Context, Next } from 'hono'
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { ApiError, type SecurityReason } from '../errors.ts'
import type { AppEnv, Session } from '../types.ts'
import {
  clearedSessionCookie,
  cookieName,
  hashSessionId,
  sessionCookie,
  sessionKeys,
  signSessionId,
  verifySessionCookie,
} from './cookie.ts'

async function requireKeys(c: Context<AppEnv>) {
  const keys = await sessionKeys(c.env.SESSION_SECRETS)
  if (!keys) {
    throw new ApiError('misconfigured', 'Sessions are unavailable: SESSION_SECRETS is missing or too short.')
  }
  return keys
}

/** 401 for "no session", clearing whatever cookie was sent (tampered, unknown or revoked). */
export function noSession(c: Context<AppEnv>, reason: SecurityReason): ApiError {
  // No registered scheme exists for cookies; the header still tells clients what kind of credential is missing.
  const headers: Record<string, string> = { 'WWW-Authenticate': 'Cookie realm="learner"' }
  if (c.get('sessionCookiePresent')) headers['Set-Cookie'] = clearedSessionCookie(c.req.url)
  return new ApiError('unauthorized', 'No valid session: create one with POST /v1/session.', {
    headers,
    reason,
  })
}

/**
 * Verifies the cookie into `c.var.session` (null when absent or not valid), runs the route, and
 * re-issues a cookie signed with an older key with the current one (key rotation).
 */
async function withSession(c: Context<AppEnv>, next: Next, required: boolean) {
  const keys = await requireKeys(c)
  const value = getCookie(c, cookieName(c.req.url))
  const verified = value === undefined ? null : await verifySessionCookie(value, keys)
  c.set('sessionCookiePresent', value !== undefined)
  c.set(
    'session',
    verified ? { id: verified.sessionId, hash: await hashSessionId(verified.sessionId) } : null,
  )
  if (required && !verified) throw noSession(c, value === undefined ? 'missing_session' : 'bad_signature')
  await next()
  if (verified && verified.keyIndex > 0 && c.res.ok && !c.res.headers.has('set-cookie')) {
    c.header('Set-Cookie', sessionCookie(c.req.url, await signSessionId(verified.sessionId, keys.signing)))
  }
}

/** For routes where a session is optional (POST and DELETE /v1/session). */
export const readSession = createMiddleware<AppEnv>(function readSession(c, next) {
  return withSession(c, next, false)
})

/**
 * For learner routes: a missing or badly signed cookie is a 401 before the body is read or
 * validated. Whether the session is still live (not revoked, expired or deleted) is only known
 * inside the route's batch: `getCurrentLearner` answers that 401.
 */
export const requireSession = createMiddleware<AppEnv>(function requireSession(c, next) {
  return withSession(c, next, true)
})

/** The verified session of a learner route (its middleware has refused requests without one). */
export function sessionOf(c: Context<AppEnv>): Session {
  const session = c.get('session')
  if (!session) throw noSession(c, 'missing_session')
  return session
}

/** The Set-Cookie value for a session, signed with the current key. */
export async function issueSessionCookie(c: Context<AppEnv>, sessionId: string) {
  return sessionCookie(c.req.url, await signSessionId(sessionId, (await requireKeys(c)).signing))
}
