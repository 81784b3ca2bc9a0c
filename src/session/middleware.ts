/**
 * The session cookie, read by the middleware of the routes that declare it (src/routes/define.ts).
 * Neither middleware touches the database: each route looks its learner up inside its own batch, so
 * a session costs no extra round trip. Sessions fail closed: without usable SESSION_SECRETS these
 * routes are a 500 "misconfigured", while the catalogue works on.
 *
 * This is also where a session route's scope is made (`c.var.scope`, types.ts): the plain values its
 * domain code takes. The domain reports what happened to the device's session through
 * `scope.device`; once the route has answered, that becomes the response's Set-Cookie here.
 */
import type { Context, Next } from 'hono'
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { ApiError, noSession, requestFacts } from '../errors.ts'
import { logIgnoredCredential } from '../http/security-events.ts'
import type { AppEnv, LearnerScope, SessionScope } from '../types.ts'
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

/** What the domain said of the device's session during the request. */
type DeviceNews = { renewDue: boolean; started: string | null; ended: boolean }

/**
 * Verifies the cookie, makes the route's scope, runs the route, then sets the cookie the route's
 * outcome calls for: a new session's, none after an ended one, the current one re-issued when due
 * (or when it was signed with an older key: rotation), and none after a 401 that had one.
 */
async function withSession(c: Context<AppEnv>, next: Next, required: boolean) {
  const keys = await requireKeys(c)
  const value = getCookie(c, cookieName(c.req.url))
  const verified = value === undefined ? null : await verifySessionCookie(value, keys)
  if (required && value === undefined) throw noSession('missing_session')
  if (required && !verified)
    throw noSession('bad_signature', { 'Set-Cookie': clearedSessionCookie(c.req.url) })
  const session = verified ? { id: verified.sessionId, hash: await hashSessionId(verified.sessionId) } : null
  c.set('session', session)
  const news: DeviceNews = { renewDue: false, started: null, ended: false }
  c.set('scope', scopeOf(c, session, news))
  await next()
  const signed = (sessionId: string) => signSessionId(sessionId, keys.signing)
  if (news.started) c.header('Set-Cookie', sessionCookie(c.req.url, await signed(news.started)))
  else if (news.ended || (c.res.status === 401 && value !== undefined))
    c.header('Set-Cookie', clearedSessionCookie(c.req.url))
  else if (verified && c.res.ok && (news.renewDue || verified.keyIndex > 0))
    c.header('Set-Cookie', sessionCookie(c.req.url, await signed(verified.sessionId)))
}

function scopeOf(c: Context<AppEnv>, session: SessionScope['session'], news: DeviceNews): SessionScope {
  return {
    db: c.var.db,
    env: c.env,
    session,
    userAgent: c.req.header('user-agent'),
    device: {
      renewDue: () => {
        news.renewDue = true
      },
      started: (sessionId) => {
        news.started = sessionId
      },
      ended: () => {
        news.ended = true
      },
    },
    ignoredCredential: (reason) => logIgnoredCredential(requestFacts(c), reason),
  }
}

/** For routes where a session is optional (POST and DELETE /v1/session, passkey sign-in). */
export const readSession = createMiddleware<AppEnv>(function readSession(c, next) {
  return withSession(c, next, false)
})

/**
 * For learner routes: a missing or badly signed cookie is a 401 before the body is read or
 * validated. Whether the session is still live (not revoked, expired or deleted) is only known
 * inside the route's batch: `readLearner` and `learnerWrite` answer that 401.
 */
export const requireSession = createMiddleware<AppEnv>(function requireSession(c, next) {
  return withSession(c, next, true)
})

/** The scope of a session route: what its domain code takes. */
export const sessionScope = (c: Context<AppEnv>): SessionScope => c.var.scope

/** The scope of a learner route, whose middleware has refused requests without a session. */
export function learnerScope(c: Context<AppEnv>): LearnerScope {
  const { session, ...scope } = c.var.scope
  if (!session) throw noSession('missing_session')
  return { ...scope, session }
}
