import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../types.ts'

/**
 * One structured line per request: id, method, route (the pattern, so no ids or secrets from the
 * path), status, duration, and the database round trips and time. Headers, cookies, bodies and
 * query strings are never logged. Server faults get one more line from onError, with their cause.
 */
export const requestLog = createMiddleware<AppEnv>(async function requestLog(c, next) {
  const started = performance.now()
  await next()
  const stats = c.get('dbStats')
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? 'error' : 'info',
      requestId: c.get('requestId'),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
      dbRoundTrips: stats?.roundTrips ?? 0,
      dbMs: Math.round(stats?.ms ?? 0),
    }),
  )
})
