/**
 * What a write may carry. JSON only: a body of any other type is a 415 before anything reads it
 * (HTML forms and `text/plain` can be sent cross-site without a CORS preflight, JSON cannot). Sizes
 * are capped per route kind (src/routes/define.ts) before anything parses the body, with or without
 * a Content-Length, and what no body may carry (src/http/json-scan.ts) is refused wherever it appears.
 */
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import { isJson } from '../http/json.ts'
import { faultIn } from '../http/json-scan.ts'

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const hasBody = (header: (name: string) => string | undefined) => {
  const length = header('content-length')
  return length !== undefined ? length !== '0' : header('transfer-encoding') !== undefined
}

/** A write whose body (or Content-Type) is not JSON is a 415; routes with a JSON body also refuse none (see createRouter). */
export const jsonOnly = createMiddleware(async function jsonOnly(c, next) {
  if (WRITES.has(c.req.method)) {
    const contentType = c.req.header('content-type')
    if ((contentType !== undefined || hasBody((name) => c.req.header(name))) && !isJson(contentType)) {
      throw new ApiError('unsupported_media_type', 'Send the body as application/json.')
    }
  }
  await next()
})

/** Learner writes are small (answers to at most 50 questions); authors send whole activities. */
export const LEARNER_BODY_LIMIT = 64 * 1024
export const ADMIN_BODY_LIMIT = 512 * 1024

/**
 * A route's body: at most `maxSize` bytes, and nothing `faultIn` refuses (prototype keys, ill-formed
 * Unicode, deep nesting). The text is cached for the validator, which parses it again.
 */
const limitSize = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError('payload_too_large', `The body is larger than ${maxSize} bytes.`)
    },
  })

export function limitBody(maxSize: number) {
  const limit = limitSize(maxSize)
  const refuseFaults = createMiddleware(async function refuseFaults(c, next) {
    const fault =
      WRITES.has(c.req.method) && hasBody((name) => c.req.header(name))
        ? faultIn(await c.req.text())
        : undefined
    if (fault) throw new ApiError('validation_failed', 'The request body is invalid.', { errors: [fault] })
    await next()
  })
  return createMiddleware(async function limitBody(c, next) {
    await limit(c, async () => {
      await refuseFaults(c, next)
    })
  })
}

/** A body's media type, lower-cased, without its parameters (`text/plain; charset=utf-8` → `text/plain`). */
export const mediaTypeOf = (contentType: string | undefined) =>
  contentType?.split(';')[0]?.trim().toLowerCase()

/**
 * A file upload's body (question banks): one of `types` (415 otherwise), at most `maxSize` bytes
 * (413). Not JSON, so the JSON fault scan does not apply: the file's reader has caps of its own
 * (src/interop/). A request without a body passes, so that its parameters are checked first; the
 * route refuses it (it needs the file).
 */
export function uploadBody(types: readonly string[], maxSize: number) {
  const limit = limitSize(maxSize)
  return createMiddleware(async function uploadBody(c, next) {
    const type = mediaTypeOf(c.req.header('content-type'))
    if ((type !== undefined || hasBody((name) => c.req.header(name))) && !types.includes(type ?? '')) {
      throw new ApiError('unsupported_media_type', `Send the file as ${types.join(', ')}.`)
    }
    await limit(c, next)
  })
}

/** LTI's form posts (launches, logins): small. */
const LTI_BODY_LIMIT = 64 * 1024

/**
 * A platform's form post: `application/x-www-form-urlencoded` only (415 otherwise), at most
 * LTI_BODY_LIMIT bytes (413). Bodiless requests (a GET login) pass.
 */
export const formBody = uploadBody(['application/x-www-form-urlencoded'], LTI_BODY_LIMIT)
