/**
 * Rate limits with the Workers Rate Limiting binding, declared by the routes they guard
 * (src/routes/define.ts): progress writes and everything else a learner does, per learner; session
 * creations, passkey sign-ins (and their options), searches the edge cache does not answer and wrong
 * admin tokens, per client address. Over
 * the limit: a 429 problem with Retry-After (the binding's period). The binding is approximate and
 * per location by design; if it fails, the request goes through (fail open: a broken brake must not
 * take the API down) and one line is logged.
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../types.ts'

type Limiter =
  | 'PROGRESS_LIMITER'
  | 'LEARNER_LIMITER'
  | 'SESSION_LIMITER'
  | 'ADMIN_AUTH_LIMITER'
  | 'PASSKEY_LIMITER'
  | 'SEARCH_LIMITER'
  | 'LTI_REGISTER_LIMITER'

/** The period of every limiter in wrangler.toml, in seconds. */
export const PERIOD_SECONDS = 60

/** Counts one request under `key` (nothing without a key) and throws a 429 problem over the limit. */
export async function enforceLimit(c: Context<AppEnv>, binding: Limiter, key: string | undefined) {
  const limiter = c.env[binding]
  if (key === undefined || !limiter) return
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
      reason: 'rate_limited',
    })
  }
}

/** The client address Cloudflare sets on every request at the edge; absent for local tools and tests. */
export const clientAddress = (c: Context<AppEnv>) => c.req.header('cf-connecting-ip')

const perLearner = (binding: Limiter) =>
  createMiddleware<AppEnv>(async function rateLimit(c, next) {
    await enforceLimit(c, binding, c.get('session')?.hash)
    await next()
  })

/** Progress writes (start, submit, abandon), keyed by the learner: one learner cannot crowd out others. */
export const limitProgressWrites = perLearner('PROGRESS_LIMITER')

/** Everything else a learner does (reads, profile changes), keyed by the learner. */
export const limitLearner = perLearner('LEARNER_LIMITER')

/** Passkey sign-in and its options, keyed by the client address (the caller may have no session). */
export const limitPasskeySignIn = createMiddleware<AppEnv>(async function rateLimit(c, next) {
  await enforceLimit(c, 'PASSKEY_LIMITER', clientAddress(c))
  await next()
})

/**
 * Searches that reach the database (the edge cache answers the rest), keyed by the client address:
 * a stream of unique queries must not slow every other learner's requests down.
 */
export const limitSearch = createMiddleware<AppEnv>(async function rateLimit(c, next) {
  await enforceLimit(c, 'SEARCH_LIMITER', clientAddress(c))
  await next()
})

/**
 * Creations of a learner, keyed by the client address, the only identifier a new visitor has. Called
 * by POST /v1/session only when it is about to create one: resuming never counts.
 */
export const limitSessionCreation = (c: Context<AppEnv>) =>
  enforceLimit(c, 'SESSION_LIMITER', clientAddress(c))

/** LTI Dynamic Registration, keyed by the client address: each one fetches from an address it is given. */
export const limitLtiRegistration = createMiddleware<AppEnv>(async function rateLimit(c, next) {
  await enforceLimit(c, 'LTI_REGISTER_LIMITER', clientAddress(c))
  await next()
})
