/**
 * Rate limits with the Workers Rate Limiting binding, declared by the routes they guard
 * (src/routes/define.ts): progress writes per learner, session creation per client IP. Over the
 * limit: a 429 problem with Retry-After (the binding's period). The binding is approximate and per
 * location by design; if it fails, the request goes through (fail open: a broken brake must not take
 * the API down) and one line is logged.
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../types.ts'

type Limiter = 'PROGRESS_LIMITER' | 'SESSION_LIMITER'

/** The period of both bindings in wrangler.toml, in seconds. */
const PERIOD_SECONDS = 60

function limitBy(binding: Limiter, keyOf: (c: Context<AppEnv>) => string | undefined) {
  return createMiddleware<AppEnv>(async function rateLimit(c, next) {
    const key = keyOf(c)
    const limiter = c.env[binding]
    if (key !== undefined && limiter) {
      let allowed = true
      try {
        allowed = (await limiter.limit({ key })).success
      } catch (error) {
        console.error(
          JSON.stringify({
            level: 'warn',
            requestId: c.get('requestId'),
            rateLimiter: binding,
            failedOpen: true,
            error: error instanceof Error ? error.name : typeof error,
          }),
        )
      }
      if (!allowed) {
        throw new ApiError('rate_limited', 'Too many requests; slow down.', {
          headers: { 'Retry-After': String(PERIOD_SECONDS) },
        })
      }
    }
    await next()
  })
}

/** Keyed by the learner (the session hash): one learner cannot crowd out others. No session, no key. */
export const limitProgressWrites = limitBy('PROGRESS_LIMITER', (c) => c.get('session')?.hash)

/**
 * Keyed by the client IP, the only identifier a new visitor has. Cloudflare sets cf-connecting-ip on
 * every request at the edge; without it (local tools, tests) there is nothing to key on.
 */
export const limitSessionCreation = limitBy('SESSION_LIMITER', (c) => c.req.header('cf-connecting-ip'))
