/**
 * What a write may carry. JSON only: a body of any other type is a 415 before anything parses it
 * (HTML forms and `text/plain` can be sent cross-site without a CORS preflight, JSON cannot).
 * Sizes are capped before parsing, with or without a Content-Length.
 */
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'

const JSON_TYPE = /^application\/json\s*(;|$)/i
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export const isJson = (contentType: string | undefined) =>
  contentType !== undefined && JSON_TYPE.test(contentType)

export const jsonOnly = createMiddleware(async (c, next) => {
  if (WRITES.has(c.req.method)) {
    const contentType = c.req.header('content-type')
    // Routes with a JSON body also refuse a missing Content-Type (see createRouter's hook).
    const length = c.req.header('content-length')
    const hasBody = length !== undefined ? length !== '0' : c.req.header('transfer-encoding') !== undefined
    if ((contentType !== undefined || hasBody) && !isJson(contentType)) {
      throw new ApiError('unsupported_media_type', 'Send the body as application/json.')
    }
  }
  await next()
})

const limitTo = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError('payload_too_large', `The body is larger than ${maxSize} bytes.`)
    },
  })

/** Learner writes are small (answers to at most 50 questions); authors send whole activities. */
export const LEARNER_BODY_LIMIT = 64 * 1024
export const ADMIN_BODY_LIMIT = 512 * 1024
const learnerLimit = limitTo(LEARNER_BODY_LIMIT)
const adminLimit = limitTo(ADMIN_BODY_LIMIT)

export const limitBody = createMiddleware((c, next) =>
  (c.req.path.startsWith('/v1/admin/') ? adminLimit : learnerLimit)(c, next),
)
