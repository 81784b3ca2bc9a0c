/**
 * A known path asked with a method it does not have answers 405 with `Allow` (RFC 9110 §15.5.6),
 * before any credential or body is looked at: not a 404 as if the path did not exist, nor the 401 or
 * 400 the route's own middleware would give for a request it was never going to serve.
 *
 * The routes are the app's own (`app.routes`), read once. A path several patterns match is judged by
 * the most literal ones: `DELETE /v1/me/passkeys/options` is the `options` route's, which takes POST,
 * not a passkey id that `DELETE /v1/me/passkeys/:passkeyId` would refuse as malformed.
 */
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../types.ts'

type Pattern = { method: string; regex: RegExp; literals: number }

function compile(routes: readonly { method: string; path: string }[]): Pattern[] {
  return routes
    .filter((route) => route.method !== 'ALL' && !route.path.includes('*'))
    .map(({ method, path }) => {
      const segments = path.split('/').filter(Boolean)
      const source = segments.map((segment) =>
        segment.startsWith(':') ? '[^/]+' : segment.replace(/[.]/g, '\\.'),
      )
      return {
        method,
        regex: new RegExp(`^/${source.join('/')}/?$`),
        literals: segments.filter((segment) => !segment.startsWith(':')).length,
      }
    })
}

/** The methods `path` takes, by its most literal matching patterns; empty for an unknown path. */
function allowedMethods(patterns: readonly Pattern[], path: string): string[] {
  const matching = patterns.filter((pattern) => pattern.regex.test(path))
  const most = Math.max(...matching.map((pattern) => pattern.literals))
  const methods = new Set(matching.filter((pattern) => pattern.literals === most).map((p) => p.method))
  if (methods.has('GET')) methods.add('HEAD')
  return [...methods].sort()
}

export const methodNotAllowed = (routes: () => readonly { method: string; path: string }[]) => {
  let patterns: Pattern[] | undefined
  return createMiddleware<AppEnv>(async function methodNotAllowed(c, next) {
    // A CORS preflight is the CORS middleware's to answer.
    if (c.req.method === 'OPTIONS') return next()
    patterns ??= compile(routes())
    const allowed = allowedMethods(patterns, c.req.path)
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next()
    throw new ApiError('method_not_allowed', `${c.req.path} takes ${allowed.join(', ')}.`, {
      headers: { Allow: allowed.join(', ') },
    })
  })
}
