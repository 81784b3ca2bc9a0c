/**
 * Authors' credential: `Authorization: Bearer <token>`, one of ADMIN_TOKENS (several during a
 * rotation), compared in constant time by Hono's bearerAuth. Declared by `adminRoute`
 * (src/routes/define.ts), which also names it in the OpenAPI document.
 */
import type { Context } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../types.ts'

const MIN_TOKEN_LENGTH = 16

/** Fails closed: without usable ADMIN_TOKENS the admin API is a 500 "misconfigured", never open. */
export const adminAuth = createMiddleware<AppEnv>(function adminAuth(c, next) {
  const tokens = c.env.ADMIN_TOKENS ?? []
  if (tokens.length === 0 || tokens.some((token) => token.length < MIN_TOKEN_LENGTH)) {
    throw new ApiError('misconfigured', 'The admin API is unavailable: ADMIN_TOKENS is missing or too short.')
  }
  // bearerAuth is typed for Hono's default Env; it reads only the Authorization header.
  return bearerAuth({ token: tokens, realm: 'admin' })(c as unknown as Context, next)
})
