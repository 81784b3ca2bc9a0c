/**
 * Route kinds. A route declares here, next to its own definition, what it needs: its credential,
 * its rate limit, its body limit, and whether the edge caches it. The credential's middleware and
 * the OpenAPI document's `security` requirement come from the same line, so they cannot disagree
 * (test/credentials.test.ts walks the document and checks every declared credential is enforced).
 *
 * Middleware given to `createRoute` runs for that route only, before its validators: nothing runs
 * twice, and nothing depends on a path list elsewhere.
 */
import { createRoute, type RouteConfig } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { type CacheKeyOf, edgeCache } from '../catalogue/edge-cache.ts'
import { adminAuth } from '../middleware/admin-auth.ts'
import { ADMIN_BODY_LIMIT, jsonOnly, LEARNER_BODY_LIMIT, limitBody } from '../middleware/body.ts'
import { sameOriginWrites } from '../middleware/origin.ts'
import { readSession, requireSession } from '../session/middleware.ts'
import type { AppEnv } from '../types.ts'

/** A route's OpenAPI definition; its path stays a literal type, for Hono's typed client. */
type Definition<P extends string> = Omit<RouteConfig, 'middleware' | 'security' | 'path'> & { path: P }

/** The security schemes of the OpenAPI document (src/openapi-document.ts registers them). */
const SESSION_COOKIE = { sessionCookie: [] as string[] }
const ADMIN_TOKEN = { adminToken: [] as string[] }

const learnerBody = limitBody(LEARNER_BODY_LIMIT)
const adminBody = limitBody(ADMIN_BODY_LIMIT)

/** No credential: health checks. */
export const publicRoute = <P extends string, R extends Definition<P>>(route: R) => createRoute(route)

/** The public catalogue: no credential, no cookie read; a 200 is kept at the edge under `cacheKey`. */
export const catalogueRoute = <P extends string, R extends Definition<P>>(route: R, cacheKey: CacheKeyOf) =>
  createRoute({ ...route, middleware: [edgeCache(cacheKey)] })

/**
 * A route where the session cookie is optional (POST and DELETE /v1/session): it is read when sent.
 * Cross-site writes are refused, as on every route that reads the cookie.
 */
export const sessionRoute = <P extends string, R extends Definition<P>>(
  route: R,
  ...limits: MiddlewareHandler<AppEnv>[]
) =>
  createRoute({
    ...route,
    security: [{}, SESSION_COOKIE],
    middleware: [sameOriginWrites, jsonOnly, readSession, ...limits, learnerBody],
  })

/**
 * The learner behind the session cookie. A missing or badly signed cookie is a 401 before the body
 * is read; a session that is no longer live is a 401 from `getCurrentLearner`.
 */
export const learnerRoute = <P extends string, R extends Definition<P>>(
  route: R,
  ...limits: MiddlewareHandler<AppEnv>[]
) =>
  createRoute({
    ...route,
    security: [SESSION_COOKIE],
    middleware: [sameOriginWrites, jsonOnly, requireSession, ...limits, learnerBody],
  })

/** Authors: a bearer token of ADMIN_TOKENS, and larger bodies (whole activities). */
export const adminRoute = <P extends string, R extends Definition<P>>(route: R) =>
  createRoute({ ...route, security: [ADMIN_TOKEN], middleware: [jsonOnly, adminAuth, adminBody] })
