/**
 * Building blocks of route definitions: problem responses, JSON bodies and responses, and the
 * response headers the API sends, each described once. Route kinds (routes/define.ts) add the
 * responses their middleware can answer; a route adds its own.
 */
import * as z from 'zod'
import { PROBLEM_CONTENT_TYPE } from './errors.ts'

/** RFC 9457 problem details, as every error response of this API is shaped. */
const Problem = z
  .object({
    type: z.string().meta({ example: 'tag:learning-progress-api,2026:problems:not_found' }),
    title: z.string().meta({ example: 'Not found' }),
    status: z.int().meta({ example: 404 }),
    detail: z.string(),
    instance: z.string().meta({ description: 'The request path.' }),
    requestId: z.string().meta({ description: 'Also sent as the X-Request-Id header.' }),
    errors: z
      .array(
        z.object({
          pointer: z.string().optional().meta({ description: 'JSON pointer into the body (RFC 6901).' }),
          parameter: z.string().optional().meta({ description: 'Query, path or header parameter.' }),
          detail: z.string(),
        }),
      )
      .optional(),
    resource: z
      .string()
      .optional()
      .meta({
        description:
          'On a 503 whose write may or may not have been applied: where to read what happened. Retrying with ' +
          'the same Idempotency-Key is safe either way.',
      }),
  })
  .meta({ id: 'Problem' })

type Header = { description: string; schema: { type: 'string' | 'integer' }; required?: boolean }
const header = (description: string, type: 'string' | 'integer' = 'string'): Header => ({
  description,
  schema: { type },
})

/** Response headers, each described once. */
export const HEADERS = {
  'X-Request-Id': header(
    'The request id (also `requestId` in problem bodies); quote it when reporting a fault.',
  ),
  'Retry-After': header('Seconds to wait before trying again.', 'integer'),
  'WWW-Authenticate': header(
    'The credential this route wants: `Cookie realm="learner"` or `Bearer realm="admin"`.',
  ),
  'Set-Cookie': header(
    'The session cookie (`sid`, or `__Host-sid` over https): set on a new session, re-issued at most daily ' +
      'while the session is used (and when signed with an older key), cleared on a refused or ended session.',
  ),
  Location: header('Where the resource is: the attempt (`/v1/me/attempts/{attemptId}`), or the https URL.'),
  'Idempotent-Replayed': header(
    '`true` when this is the stored answer of an earlier request with the same Idempotency-Key.',
  ),
  'Submit-Token': header(
    'Opaque, signed: what the start read for the submit that follows. Send it back as the submit’s ' +
      '`Submit-Token` header for a one-round-trip submit; it expires after two hours.',
  ),
  'Server-Timing': header(
    '`submit;desc="…"`: how the submit was answered — `one_trip`, `replayed`, or why it took two round ' +
      'trips (`no_token`, `token_expired`, `token_unverified`, `token_of_another_attempt`, `cache_miss`, ' +
      '`invalid_answers`, `attempt_closed`, `catalogue_changed`, `state_moved`, `token_not_current`).',
  ),
  ETag: header('A strong validator of the body: send it back as If-None-Match to get a 304.'),
  'X-Cache': header(
    '`HIT` when the edge cache answered (no database round trip), `MISS` when it was filled.',
  ),
  Link: header(
    '`<…>; rel="next"`: this response stopped at its size cap; the rest starts at that URL (RFC 8288).',
  ),
  'Content-Disposition': header('`attachment; filename="…"`: browsers save the body as a file.'),
  'Cache-Control': header(
    '`public, max-age=N` for the catalogue; `private, no-store` for learner data; `no-store` otherwise.',
  ),
} satisfies Record<string, Header>

export type HeaderName = keyof typeof HEADERS

/** Headers every response that declares them carries: the contract check holds each response to it. */
const ALWAYS_SENT = new Set<HeaderName>(['X-Request-Id', 'Cache-Control'])

/** `required` where a header is always sent: the two of every response, and those a status promises. */
const pick = (names: HeaderName[], alsoRequired: HeaderName[] = []) =>
  Object.fromEntries(
    names.map((name) => [
      name,
      ALWAYS_SENT.has(name) || alsoRequired.includes(name)
        ? { ...HEADERS[name], required: true }
        : HEADERS[name],
    ]),
  )

const descriptions: Record<number, string> = {
  400: 'Invalid request (problem details list each invalid input)',
  401: 'No valid session or credentials',
  403: 'Forbidden: a cross-site write',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Unprocessable content',
  429: 'Too many requests; see Retry-After. Learner limits count per device (per session): keying them on the learner would cost a round trip before every limit.',
  500: 'Unexpected error, or a misconfigured deployment',
  503: 'Database unavailable (a write may or may not have been applied: see `resource`); see Retry-After',
}

const problemHeaders = (status: number): HeaderName[] => [
  'X-Request-Id',
  'Cache-Control',
  ...(status === 429 || status === 503 ? (['Retry-After'] as const) : []),
  ...(status === 401 ? (['WWW-Authenticate', 'Set-Cookie'] as const) : []),
]

/** Problem responses for a route's OpenAPI definition. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        // A 429 and a 503 always say when to retry, a 401 which credential it wants.
        headers: pick(problemHeaders(status), ['Retry-After', 'WWW-Authenticate']),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
      },
    ]),
  )
}

/**
 * A JSON response for a route's OpenAPI definition: `{ 200: jsonResponse(Schema, 'The thing') }`.
 * Every response carries X-Request-Id and Cache-Control; `headers` names the others it may carry.
 */
export const jsonResponse = <T extends z.ZodType>(
  schema: T,
  description: string,
  headers: HeaderName[] = [],
) => ({
  description,
  headers: pick(['X-Request-Id', 'Cache-Control', ...headers]),
  content: { 'application/json': { schema } },
})

/** A CSV download (RFC 4180, with a header row), for spreadsheets and statistics tools. */
export const csvResponse = (description: string, headers: HeaderName[] = []) => ({
  description,
  headers: pick(['X-Request-Id', 'Cache-Control', 'Content-Disposition', ...headers]),
  content: { 'text/csv': { schema: z.string() } },
})

/** An HTML page (LTI's pages, shown inside or beside an LMS). */
export const htmlResponse = (description: string, headers: HeaderName[] = []) => ({
  description,
  headers: pick(['X-Request-Id', 'Cache-Control', ...headers]),
  content: { 'text/html': { schema: z.string() } },
})

/** A response without a body (204, 304). */
export const emptyResponse = (description: string, headers: HeaderName[] = []) => ({
  description,
  headers: pick(['X-Request-Id', 'Cache-Control', ...headers]),
})

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
})
