/**
 * Route kinds. A route declares here, next to its own definition, what it needs: its credential,
 * its rate limit, its body limit, and whether the edge caches it. The credential's middleware and
 * the OpenAPI document's `security` requirement come from the same line, and so do the responses
 * the kind's middleware can answer (401, 403, 413, 415, 429, …): middleware and document cannot
 * disagree (test/credentials.test.ts walks the document; test/helpers.ts checks every response the
 * suite receives against it).
 *
 * Middleware given to `createRoute` runs for that route only, before its validators: nothing runs
 * twice, and nothing depends on a path list elsewhere.
 */
import type { RouteConfig } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { adminAuth } from '../middleware/admin-auth.ts'
import {
  ADMIN_BODY_LIMIT,
  formBody,
  jsonOnly,
  LEARNER_BODY_LIMIT,
  limitBody,
  uploadBody,
} from '../middleware/body.ts'
import { type CacheKeyOf, type CacheOptions, edgeCache } from '../middleware/edge-cache.ts'
import { sameOriginWrites } from '../middleware/origin.ts'
import { limitLearner } from '../middleware/rate-limit.ts'
import { emptyResponse, HEADERS, type HeaderName, problemResponses } from '../openapi.ts'
import { readSession, requireSession } from '../session/middleware.ts'
import type { AppEnv } from '../types.ts'

/** A route's OpenAPI definition; its path stays a literal type, for Hono's typed client. */
type Definition<P extends string> = Omit<RouteConfig, 'middleware' | 'security' | 'path'> & { path: P }

/** The security schemes of the OpenAPI document (src/openapi-document.ts registers them). */
/**
 * A route's definition as the router and the OpenAPI generator take it. The identity at run time;
 * its type keeps the literal path and responses, which type the handler and `hc<AppType>`.
 */
const createRoute = <R extends RouteConfig>(route: R): R => route

/** The session cookie by either of its names: `sid` over http (development), `__Host-sid` over https. */
const SESSION_COOKIE: Record<string, string[]>[] = [
  { sessionCookie: [] },
  { hostSessionCookie: [] },
  // A session an LTI launch started: its own cookie (session/cookie.ts, ltiCookieName).
  { ltiSessionCookie: [] },
  { hostLtiSessionCookie: [] },
]
const ADMIN_TOKEN = { adminToken: [] as string[] }
/** Said outright (`security: []`), so tools read "public" rather than "forgot to say". */
const NO_CREDENTIAL: Record<string, string[]>[] = []

const learnerBody = limitBody(LEARNER_BODY_LIMIT)
const adminBody = limitBody(ADMIN_BODY_LIMIT)

const writes = (method: string) => method !== 'get'

/** Every route can answer 500 (a fault, or bindings that fail validation); these also reach the database. */
const SERVER = [500, 503]
/** What the body middleware of a write answers: JSON faults, size, type. */
const BODY = [400, 413, 415]

/** In production, plain http is redirected to https (middleware/https.ts), whatever the route. */
const toHttps = { 308: emptyResponse('Plain http in production: the same request over https', ['Location']) }

/**
 * The route's responses over the kind's problem responses (the route's own descriptions win), with
 * `successHeaders` added to every 2xx the route declares.
 */
function responses<R extends Definition<string>>(
  route: R,
  statuses: number[],
  successHeaders: HeaderName[] = [],
) {
  const own = Object.entries(route.responses).map(([status, response]) => {
    if (!status.startsWith('2') || successHeaders.length === 0) return [status, response]
    const added = Object.fromEntries(successHeaders.map((name) => [name, HEADERS[name]]))
    return [
      status,
      { ...response, headers: { ...('headers' in response ? response.headers : {}), ...added } },
    ]
  })
  return { ...toHttps, ...problemResponses(...statuses), ...Object.fromEntries(own) } as R['responses']
}

/** No credential, no database: liveness. */
export const publicRoute = <P extends string, R extends Definition<P>>(route: R) =>
  createRoute({
    ...route,
    description: route.description ?? 'Public: no credential, and no database read.',
    security: NO_CREDENTIAL,
    responses: responses(route, [500]),
  })

/** A public read that reaches the database: readiness. */
export const databaseRoute = <P extends string, R extends Definition<P>>(route: R) =>
  createRoute({
    ...route,
    description: route.description ?? 'Public: no credential; one round trip to the database.',
    security: NO_CREDENTIAL,
    responses: responses(route, SERVER),
  })

/**
 * The public catalogue: no credential, no cookie read; a 200 is kept at the edge under `cacheKey`,
 * with an ETag, and `If-None-Match` is answered 304. `limit`, when given, counts the requests the
 * cache did not answer (those that reach the database) against a rate limit (429).
 */
export const catalogueRoute = <P extends string, R extends Definition<P>>(
  route: R,
  cacheKey: CacheKeyOf,
  options?: CacheOptions,
  limit?: MiddlewareHandler<AppEnv>,
) =>
  createRoute({
    ...route,
    description:
      route.description ??
      'Public catalogue: no credential, no cookie read. Kept at the edge with an ETag (a 304 to a current ' +
        'If-None-Match); one round trip when the edge has no copy.',
    security: NO_CREDENTIAL,
    responses: {
      ...responses(route, [...(limit ? [429] : []), ...SERVER], ['ETag', 'X-Cache']),
      304: emptyResponse('Not modified: the If-None-Match ETag is current', ['ETag']),
    },
    middleware: [edgeCache(cacheKey, options), ...(limit ? [limit] : [])],
  })

/**
 * A route where the session cookie is optional (POST and DELETE /v1/session, passkey sign-in): it is
 * read when sent. Cross-site writes are refused, as on every route that reads the cookie. `limit`,
 * when given, counts the request against a rate limit (429).
 */
export const sessionRoute = <P extends string, R extends Definition<P>>(
  route: R,
  limit?: MiddlewareHandler<AppEnv>,
) =>
  createRoute({
    ...route,
    security: [{}, ...SESSION_COOKIE],
    responses: responses(route, [403, ...(limit ? [429] : []), ...BODY, ...SERVER], ['Set-Cookie']),
    middleware: [sameOriginWrites, jsonOnly, readSession, ...(limit ? [limit] : []), learnerBody],
  })

/**
 * The learner behind the session cookie. A missing or badly signed cookie is a 401 before the body
 * is read; a session that is no longer live is a 401 from `readLearner` or `learnerWrite`. `limit` counts the
 * request against the learner's rate (everything a learner does, unless the route says otherwise).
 */
export const learnerRoute = <P extends string, R extends Definition<P>>(
  route: R,
  limit: MiddlewareHandler<AppEnv> = limitLearner,
) =>
  createRoute({
    ...route,
    description:
      route.description ??
      (writes(route.method)
        ? 'A write of this learner’s own, with the session cookie, in one round trip under the learner’s lock; ' +
          'send an Idempotency-Key to retry it safely.'
        : 'This learner’s own data, with the session cookie, in one round trip.'),
    security: SESSION_COOKIE,
    responses: responses(
      route,
      [401, 429, ...(writes(route.method) ? [403, ...BODY] : []), ...SERVER],
      ['Set-Cookie'],
    ),
    middleware: [sameOriginWrites, jsonOnly, requireSession, limit, learnerBody],
  })

/**
 * Authors: a bearer token of ADMIN_TOKENS (429 after too many wrong ones), and larger bodies
 * (`bodyLimit` for a route that needs more still: a catalogue import).
 */
export const adminRoute = <P extends string, R extends Definition<P>>(
  route: R,
  { bodyLimit }: { bodyLimit?: number } = {},
) =>
  createRoute({
    ...route,
    description:
      route.description ??
      (writes(route.method)
        ? 'For authors, with an admin token: one round trip, all or nothing, logged with the author’s name.'
        : 'For authors, with an admin token (answer keys and drafts included): one round trip.'),
    security: [ADMIN_TOKEN],
    responses: responses(route, [401, 429, ...(writes(route.method) ? BODY : []), ...SERVER]),
    middleware: [jsonOnly, adminAuth, bodyLimit ? limitBody(bodyLimit) : adminBody],
  })

/**
 * Authors' file uploads (question banks): the admin token, and a body of one of `types` read as bytes
 * and capped at `bodyLimit`, instead of JSON. The route declares the body's types in its own
 * definition; the 415 says which are accepted.
 */
export const adminUploadRoute = <P extends string, R extends Definition<P>>(
  route: R,
  { types, bodyLimit }: { types: readonly string[]; bodyLimit: number },
) => {
  const unsupported = problemResponses(415)
  return createRoute({
    ...route,
    security: [ADMIN_TOKEN],
    responses: {
      ...responses(route, [401, 429, ...BODY, ...SERVER]),
      415: { ...unsupported[415], description: `The body is not one of ${types.join(', ')}` },
    } as R['responses'],
    middleware: [adminAuth, uploadBody(types, bodyLimit)],
  })
}

/**
 * LTI 1.3's endpoints (/lti/*). The platform posts forms from its own site, so the same-origin write
 * check and the JSON-only check, which guard every other route, do not apply here: the signed state,
 * the platform's signature and the nonce take their place (src/lti/). Form posts only, small; pages
 * and redirects, not JSON.
 */
export const ltiRoute = <P extends string, R extends Definition<P>>(
  route: R,
  limit?: MiddlewareHandler<AppEnv>,
) =>
  createRoute({
    ...route,
    description:
      route.description ??
      'For LMS platforms (LTI 1.3): no credential of ours; the login state, the platform’s signature and the ' +
        'nonce are checked instead.',
    security: NO_CREDENTIAL,
    responses: responses(route, [
      ...(writes(route.method) ? [413, 415] : []),
      ...(limit ? [429] : []),
      ...SERVER,
    ]),
    middleware: [...(limit ? [limit] : []), ...(writes(route.method) ? [formBody] : [])],
  })
