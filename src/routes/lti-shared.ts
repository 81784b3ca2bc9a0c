/**
 * What LTI's routes share: their form bodies, the headers of their pages, redirects no cache keeps,
 * and the refused page (with its security event).
 */
import type { Context } from 'hono'
import type * as z from 'zod'
import { requestFacts } from '../errors.ts'
import { NO_STORE } from '../http/cache-control.ts'
import { logSecurityEvent } from '../http/security-events.ts'
import { refusedPage } from '../lti/pages.ts'
import type { AppEnv } from '../types.ts'

export const formBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/x-www-form-urlencoded': { schema } } },
})

/**
 * An LTI page's headers: no cache, and a CSP that loads nothing but the script it names, posts its
 * forms nowhere but where it says, and may be framed by anyone unless it says who (a page holding no
 * action may be: a refusal, the new-window offer).
 */
export const pageHeaders = ({
  formAction = "'none'",
  script,
  ancestors = '*',
}: {
  formAction?: string
  script?: string
  ancestors?: string
} = {}) => ({
  ...NO_STORE,
  'Content-Security-Policy': `default-src 'none';${script ? ` script-src ${script};` : ''} frame-ancestors ${ancestors}; form-action ${formAction}; base-uri 'none'`,
})

/** A redirect no cache keeps: each one carries a one-time state or a new session. */
export function redirect(c: Context<AppEnv>, location: string, status: 302 | 303) {
  c.header('Cache-Control', 'no-store')
  return c.redirect(location, status)
}

/** A refused login, launch or registration: a page that says what was wrong, and a security event. */
export async function refuse(c: Context<AppEnv>, reason: string, detail: string) {
  await logSecurityEvent(requestFacts(c), 403, `lti_${reason}`)
  return c.html(refusedPage(detail, c.var.requestId), 403, pageHeaders())
}
