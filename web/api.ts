/**
 * The API, as any third-party TypeScript client reaches it: Hono's typed client over AppType and
 * the session cookie, which the browser keeps (HttpOnly: this code never sees it) and sends on
 * every same-origin request; submit tokens are carried from each start to its submit.
 */
import { DetailedError, hc, parseResponse as read } from 'hono/client'
import type { AppType } from '../src/app.ts'
import { carrySubmitTokens } from '../src/client/carry-submit-tokens.ts'

// Each start's Submit-Token rides along to its submit: one round trip instead of two.
export const api = hc<AppType>(location.origin, { fetch: carrySubmitTokens() })
/** The body of a 2xx response, typed by the route; throws DetailedError (with the problem) otherwise. */
export { read }

/**
 * Headers for one learner write: a fresh Idempotency-Key, so that a retry of this very request (by
 * the browser or a proxy) is answered once.
 */
export const once = () => ({ 'Idempotency-Key': `"${crypto.randomUUID()}"` })

/** That this browser has had a session here: a hint (the cookie itself is HttpOnly), not a credential. */
const HAD_SESSION = 'learning-progress:had-session'

/**
 * The hint, kept where the browser lets us: inside an LMS's frame a browser that blocks third-party
 * storage throws on localStorage, and the page works without the hint (POST /v1/session resumes the
 * session the launch's cookie names).
 */
const hint = {
  get: () => {
    try {
      return localStorage.getItem(HAD_SESSION)
    } catch {
      return null
    }
  },
  set: () => {
    try {
      localStorage.setItem(HAD_SESSION, '1')
    } catch {
      // No storage here (a third-party frame): the hint only saves a round trip.
    }
  },
}

/**
 * A new learner and a new session cookie (201); or, with a live session's cookie, that session
 * resumed (200: an LMS launch's, in its frame, where the hint could not be kept).
 */
export async function newSession() {
  const res = await api.v1.session.$post()
  const learner = await read(res)
  hint.set()
  return { learner, created: res.status === 201 }
}

/** That this browser has a session again (after signing in with a passkey). */
export const rememberSession = () => hint.set()

/**
 * Resumes the session with a read, which also renews the cookie's one-year lifetime (at most daily),
 * and creates a learner only when there is none: a first visit creates one straight away; a returning
 * one reads, and creates only if that read finds no session (a 401). A shared address (a school, a
 * library) only ever counts the creations against its limit.
 */
export async function startSession() {
  if (hint.get()) {
    try {
      return { learner: await read(api.v1.me.$get()), created: false }
    } catch (error) {
      if (!hasStatus(error, 401)) throw error
    }
  }
  return newSession()
}

/** Ends the session server-side and clears the cookie; the next newSession() is a new learner. */
export async function endSession() {
  await api.v1.session.$delete()
}

/** What to tell a person about a failed request: the problem's detail (RFC 9457), or the status. */
export function describeError(error: unknown): string {
  if (error instanceof DetailedError) {
    const problem = (error.detail as { data?: { title?: string; detail?: string } } | undefined)?.data
    return problem?.detail ?? problem?.title ?? error.message
  }
  // fetch() rejects with a TypeError when the request never got an answer.
  return error instanceof TypeError
    ? 'The server could not be reached. Check your connection and try again.'
    : 'Something went wrong.'
}

export const hasStatus = (error: unknown, status: number) =>
  error instanceof DetailedError && error.statusCode === status
