/**
 * One error shape for every failure: RFC 9457 problem details (`application/problem+json`).
 * Handlers throw; `onError` renders. 4xx responses are quiet, 5xx are logged once, without SQL,
 * params, stacks or secrets, and the client sees a generic detail plus the request id.
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import { classifyDatabaseError, describeForLog } from './db/errors.ts'
import { NO_STORE } from './http/cache-control.ts'
import { logSecurityEvent, type RequestFacts } from './http/security-events.ts'
import type { AppEnv } from './types.ts'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

const problems = {
  bad_request: [400, 'Bad request'],
  validation_failed: [400, 'Request validation failed'],
  malformed_json: [400, 'Malformed JSON'],
  passkey_refused: [400, 'Passkey refused'],
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  not_found: [404, 'Not found'],
  method_not_allowed: [405, 'Method not allowed'],
  conflict: [409, 'Conflict'],
  payload_too_large: [413, 'Payload too large'],
  unsupported_media_type: [415, 'Unsupported media type'],
  unprocessable: [422, 'Unprocessable content'],
  rate_limited: [429, 'Too many requests'],
  internal: [500, 'Internal server error'],
  misconfigured: [500, 'Service misconfigured'],
  database_unavailable: [503, 'Database unavailable'],
} as const satisfies Record<string, readonly [ContentfulStatusCode, string]>

export type ProblemCode = keyof typeof problems

/** One entry per invalid input: `pointer` into the JSON body, or `parameter` for query, path and headers. */
export type InvalidParam = { pointer?: string; parameter?: string; detail: string }

/**
 * Why a request was refused, for 401, 403 and 429 problems and refused passkeys: logged as a
 * security event, never answered.
 */
export type SecurityReason =
  | 'missing_session'
  | 'bad_signature'
  | 'unknown_session'
  | 'missing_admin_token'
  | 'malformed_authorization'
  | 'wrong_admin_token'
  | 'cross_site_write'
  | 'https_required'
  | 'rate_limited'
  | PasskeyRefusal

/** Why a passkey registration or sign-in was refused (a 400 `passkey_refused` problem). */
export type PasskeyRefusal =
  | 'passkey_malformed'
  | 'passkey_challenge'
  | 'passkey_challenge_used'
  | 'passkey_origin'
  | 'passkey_rp_id'
  | 'passkey_user_verification'
  | 'passkey_unsupported_key'
  | 'passkey_unknown_credential'
  | 'passkey_signature'
  | 'passkey_counter'

export type ProblemOptions = {
  errors?: InvalidParam[]
  headers?: Record<string, string>
  cause?: unknown
  /** Where the client can look to learn what happened (an outcome-unknown write's resource). */
  resource?: string
  reason?: SecurityReason
}

/** Absolute and stable, but not dereferenceable: RFC 9457 §3.1.1 allows tag URIs (RFC 4151) for this. */
const problemType = (code: ProblemCode) => `tag:learning-progress-api,2026:problems:${code}`

export class ApiError extends HTTPException {
  readonly code: ProblemCode
  readonly errors?: InvalidParam[]
  readonly headers?: Record<string, string>
  readonly resource?: string
  readonly reason?: SecurityReason

  constructor(code: ProblemCode, detail: string, options: ProblemOptions = {}) {
    super(problems[code][0], { message: detail, cause: options.cause })
    this.code = code
    this.errors = options.errors
    this.headers = options.headers
    this.resource = options.resource
    this.reason = options.reason
  }
}

/**
 * 401 for "no session". The session middleware clears whatever cookie was sent with it (tampered,
 * unknown or revoked).
 */
export const noSession = (reason: SecurityReason, headers: Record<string, string> = {}) =>
  // No registered scheme exists for cookies; the header still tells clients what kind of credential is missing.
  new ApiError('unauthorized', 'No valid session: create one with POST /v1/session.', {
    headers: { 'WWW-Authenticate': 'Cookie realm="learner"', ...headers },
    reason,
  })

/** A JSON pointer into the request body (RFC 6901: `~` and `/` inside a key are escaped). */
export const jsonPointer = (path: PropertyKey[]) =>
  ['#', ...path.map((key) => String(key).replaceAll('~', '~0').replaceAll('/', '~1'))].join('/')

/** Turns a zod failure into a 400 problem with one entry per issue; the input itself is never echoed. */
export function validationError(error: ZodError, target: string): ApiError {
  const errors = error.issues.map((issue): InvalidParam => {
    if (target === 'json') return { pointer: jsonPointer(issue.path), detail: issue.message }
    return { parameter: issue.path.map(String).join('.') || target, detail: issue.message }
  })
  return new ApiError('validation_failed', `The request ${target === 'json' ? 'body' : target} is invalid.`, {
    errors,
  })
}

type ProblemContext = { instance: string; requestId: string }

/** A problem response with no Hono context, for the Worker boundary (env validation) too. */
export function renderProblem(
  code: ProblemCode,
  detail: string,
  { instance, requestId }: ProblemContext,
  { errors, headers, resource }: Omit<ProblemOptions, 'cause' | 'reason'> = {},
) {
  const [status, title] = problems[code]
  const body = {
    type: problemType(code),
    title,
    status,
    detail,
    instance,
    requestId,
    ...(errors && { errors }),
    ...(resource && { resource }),
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      ...NO_STORE,
      'X-Content-Type-Options': 'nosniff',
      'X-Request-Id': requestId,
      ...headers,
    },
  })
}

function problemResponse(
  c: Context,
  code: ProblemCode,
  detail: string,
  options: Omit<ProblemOptions, 'cause' | 'reason'> = {},
) {
  const context = { instance: new URL(c.req.url).pathname, requestId: c.get('requestId') }
  return renderProblem(code, detail, context, options)
}

/** Statuses Hono's own middleware throws (validator, body limit, csrf, bearer auth) and their codes. */
const codeForStatus: Partial<Record<number, ProblemCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

/** One log line for a server fault: where, and what failed by name (never values, SQL or secrets). */
export function logServerFault(c: Context, error: unknown, extra: Record<string, unknown> = {}) {
  console.error(
    JSON.stringify({
      level: 'error',
      requestId: c.get('requestId'),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      ...extra,
      ...describeForLog(error),
    }),
  )
}

/** What a security event logs of the request (never its address, cookie or token: see http/security-events.ts). */
export const requestFacts = (c: Context<AppEnv>): RequestFacts => ({
  requestId: c.get('requestId'),
  method: c.req.method,
  route: c.req.routePath,
  clientAddress: c.req.header('cf-connecting-ip'),
  secrets: c.env.SESSION_SECRETS,
})

export const onError: ErrorHandler<AppEnv> = async function onError(error, c) {
  if (error instanceof ApiError) {
    if (error.status >= 500) logServerFault(c, error.cause ?? error, { code: error.code })
    if (error.reason) await logSecurityEvent(requestFacts(c), error.status, error.reason)
    return problemResponse(c, error.code, error.message, error)
  }
  if (error instanceof HTTPException) {
    const code = codeForStatus[error.status]
    if (code) {
      // Keep headers Hono's middleware set on its response, e.g. bearerAuth's WWW-Authenticate.
      const headers = Object.fromEntries(error.getResponse().headers)
      delete headers['content-type']
      const detail =
        code === 'bad_request' && /JSON/i.test(error.message) ? 'The body is not valid JSON.' : undefined
      return problemResponse(c, detail ? 'malformed_json' : code, detail ?? problems[code][1], { headers })
    }
  }
  const database = classifyDatabaseError(error)
  if (database.kind === 'unavailable') {
    logServerFault(c, error)
    return problemResponse(c, 'database_unavailable', 'The database is unreachable; try again shortly.', {
      headers: { 'Retry-After': '1' },
    })
  }
  if (database.kind === 'unique_violation') {
    return problemResponse(c, 'conflict', 'The resource already exists.')
  }
  if (database.kind === 'foreign_key_violation') {
    return problemResponse(c, 'unprocessable', 'A referenced resource does not exist.')
  }
  if (database.kind === 'invalid_input') {
    // Validation should have refused this value: logged as an error, since it may be our own SQL.
    logServerFault(c, error)
    return problemResponse(c, 'bad_request', 'The request contains a value that cannot be stored.')
  }
  logServerFault(c, error)
  return problemResponse(
    c,
    'internal',
    'An unexpected error occurred. Quote the request id when reporting it.',
  )
}

export const notFound: NotFoundHandler = (c) =>
  problemResponse(c, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)
