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
  embeddableSessionCookie,
  hashSessionId,
  ltiCookieName,
  type SessionKeys,
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
type DeviceNews = { renewDue: boolean; started: string | null; ended: boolean; browserEnded: boolean }

/**
 * The session cookie to use: an LTI launch's (lti_sid) when it verifies, else the browser's own
 * (sid). With both, of two sessions, the browser's own is what a merge would bring over.
 */
async function cookiesOf(c: Context<AppEnv>, keys: SessionKeys) {
  const url = c.req.url
  const launched = getCookie(c, ltiCookieName(url))
  const own = getCookie(c, cookieName(url))
  const fromLaunch = launched === undefined ? null : await verifySessionCookie(launched, keys)
  const fromOwn = own === undefined ? null : await verifySessionCookie(own, keys)
  if (fromLaunch) {
    const other = fromOwn && fromOwn.sessionId !== fromLaunch.sessionId ? fromOwn : null
    return { lti: true, value: launched, verified: fromLaunch, other }
  }
  return { lti: false, value: own, verified: fromOwn, other: null }
}

const sessionOf = async (verified: { sessionId: string } | null) =>
  verified ? { id: verified.sessionId, hash: await hashSessionId(verified.sessionId) } : null

/**
 * Verifies the cookie, makes the route's scope, runs the route, then sets the cookie the route's
 * outcome calls for: a new session's, none after an ended one, the current one re-issued when due
 * (or when it was signed with an older key: rotation), and none after a 401 that had one. An LTI
 * session's cookie is re-issued and cleared as what it is (partitioned, for the LMS's frame).
 */
async function withSession(c: Context<AppEnv>, next: Next, required: boolean) {
  const keys = await requireKeys(c)
  const { lti, value, verified, other } = await cookiesOf(c, keys)
  const url = c.req.url
  if (required && value === undefined) throw noSession('missing_session')
  if (required && !verified) throw noSession('bad_signature', { 'Set-Cookie': clearedSessionCookie(url) })
  const session = await sessionOf(verified)
  c.set('session', session)
  const news: DeviceNews = { renewDue: false, started: null, ended: false, browserEnded: false }
  c.set('scope', scopeOf(c, session, await sessionOf(other), news))
  await next()
  const signed = (sessionId: string) => signSessionId(sessionId, keys.signing)
  const reissued = (signedValue: string) =>
    lti ? embeddableSessionCookie(url, signedValue) : sessionCookie(url, signedValue)
  if (news.started) c.header('Set-Cookie', sessionCookie(url, await signed(news.started)))
  else if (news.ended || (c.res.status === 401 && value !== undefined))
    c.header('Set-Cookie', lti ? embeddableSessionCookie(url, '', 0) : clearedSessionCookie(url))
  else if (verified && c.res.ok && (news.renewDue || verified.keyIndex > 0))
    c.header('Set-Cookie', reissued(await signed(verified.sessionId)))
  if (news.browserEnded) c.header('Set-Cookie', clearedSessionCookie(url), { append: true })
}

function scopeOf(
  c: Context<AppEnv>,
  session: SessionScope['session'],
  browserSession: SessionScope['browserSession'],
  news: DeviceNews,
): SessionScope {
  return {
    db: c.var.db,
    env: c.env,
    session,
    browserSession,
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
      browserSessionEnded: () => {
        news.browserEnded = true
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
