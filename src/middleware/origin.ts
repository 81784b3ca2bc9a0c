/**
 * Cross-origin rules for a cookie-authenticated JSON API.
 *
 * CORS: only origins listed in CORS_ORIGINS (comma-separated, exact) get CORS headers, with
 * credentials, the exact origin echoed and `Vary: Origin`; never `*`.
 *
 * CSRF: Hono's csrf() only guards form-like content types and lets `application/json` through, so
 * writes check the request's provenance themselves (OWASP's fetch-metadata defence). A write is
 * refused with 403 when the browser says it is cross-site (`Sec-Fetch-Site: cross-site`, or
 * `same-site` from another origin), or when its Origin is neither this API's origin nor in
 * CORS_ORIGINS. A request with neither header is allowed: every browser sends Origin on a
 * cross-origin POST (Fetch standard), so a request without one did not come from a victim's browser
 * (it is curl, a server, a test). The routes that read the cookie declare this check
 * (src/routes/define.ts); admin routes use bearer tokens, not ambient cookies, and need none.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html
 */
import type { Context } from 'hono'
import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../types.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const isListed = (c: Context<AppEnv>, origin: string) => (c.env.CORS_ORIGINS ?? []).includes(origin)

const isAllowed = (c: Context<AppEnv>, origin: string) =>
  origin === new URL(c.req.url).origin || isListed(c, origin)

const corsHeaders = cors({
  origin: (origin) => origin,
  credentials: true,
  allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
  allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization', 'Submit-Token'],
  exposeHeaders: [
    'X-Request-Id',
    'Idempotent-Replayed',
    'Retry-After',
    'Location',
    'Submit-Token',
    'Server-Timing',
  ],
  maxAge: 600,
})

/** CORS headers for allowlisted origins only; any other origin gets none (not even Allow-Credentials). */
export const corsForAllowlist = createMiddleware<AppEnv>(async function corsForAllowlist(c, next) {
  const origin = c.req.header('origin')
  if (origin !== undefined && isListed(c, origin)) {
    return corsHeaders(c as unknown as Context, next)
  }
  c.header('Vary', 'Origin', { append: true })
  await next()
})

export const sameOriginWrites = createMiddleware<AppEnv>(async function sameOriginWrites(c, next) {
  if (!SAFE_METHODS.has(c.req.method)) {
    const site = c.req.header('sec-fetch-site')
    const origin = c.req.header('origin')
    const fromElsewhere =
      (site === 'cross-site' || site === 'same-site') && !(origin !== undefined && isAllowed(c, origin))
    if (fromElsewhere || (origin !== undefined && !isAllowed(c, origin))) {
      throw new ApiError('forbidden', 'Cross-site requests may not change learner data.', {
        reason: 'cross_site_write',
      })
    }
  }
  await next()
})
