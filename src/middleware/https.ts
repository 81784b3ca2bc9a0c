import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../types.ts'

/**
 * In production, plain http never reaches a route: every request is redirected to the same URL over
 * https (308 keeps the method and body). So no response over http can carry a cookie, and a
 * session cookie is always `__Host-` and `Secure`. Development (wrangler dev on http://localhost)
 * and tests are left alone.
 */
export const httpsOnly = createMiddleware<AppEnv>(async function httpsOnly(c, next) {
  const url = new URL(c.req.url)
  if (c.env.ENVIRONMENT !== 'production' || url.protocol === 'https:') return next()
  url.protocol = 'https:'
  c.header('Cache-Control', 'no-store')
  return c.redirect(url.toString(), 308)
})
