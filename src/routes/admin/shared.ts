/**
 * What the admin routes share: authentication, the route shape, and the not-found rule.
 * Admin writes sit behind `Authorization: Bearer <token>` (ADMIN_TOKENS, several during a
 * rotation, compared in constant time by Hono's bearerAuth). One round trip per request: every
 * write is a single statement with RETURNING, and a missing row is a 404. A unit or activity
 * pointing at a parent that does not exist is a 422 (foreign key violation).
 */
import type { Context } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../../errors.ts'
import { purgeCatalogue } from '../../middleware/edge-cache.ts'
import { problemResponses } from '../../openapi.ts'
import type { AppEnv } from '../../types.ts'

const MIN_TOKEN_LENGTH = 16

/** Fails closed: without usable ADMIN_TOKENS the admin API is a 500 "misconfigured", never open. */
export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const tokens = (c.env.ADMIN_TOKENS ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean)
  if (tokens.length === 0 || tokens.some((token) => token.length < MIN_TOKEN_LENGTH)) {
    throw new ApiError('misconfigured', 'The admin API is unavailable: ADMIN_TOKENS is missing or too short.')
  }
  // bearerAuth is typed for Hono's default Env; it reads only the Authorization header.
  return bearerAuth({ token: tokens, realm: 'admin' })(c as unknown as Context, next)
})

export const NO_STORE = { 'Cache-Control': 'no-store' }
export const deleted = { 204: { description: 'Deleted, with everything under it' } }
export const failures = problemResponses(400, 401, 404, 413, 415, 422)

export function found<T>(rows: T[], what: string): T {
  const [row] = rows
  if (!row) throw new ApiError('not_found', `No ${what} with this id.`)
  return row
}

export const route = <M extends 'get' | 'post' | 'patch' | 'delete', P extends string>(
  method: M,
  path: P,
  tag: string,
  summary: string,
) => ({ method, path, tags: [`Admin: ${tag}`], summary, security: [{ adminToken: [] as string[] }] })

/** After a catalogue write: drop the cached reads it makes stale (see middleware/edge-cache.ts). */
export const purge = (...paths: (string | null | undefined)[]) => purgeCatalogue(paths)
