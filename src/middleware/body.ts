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

/** Keys that reach into prototypes when a parsed body is copied or merged: refused wherever they appear. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function prototypeKeyIn(text: string): string | undefined {
  let found: string | undefined
  try {
    JSON.parse(text, (key, value) => {
      if (PROTOTYPE_KEYS.has(key)) found ??= key
      return value
    })
  } catch {
    // Malformed JSON: the validator answers that with its own 400.
  }
  return found
}

export const jsonOnly = createMiddleware(async (c, next) => {
  if (WRITES.has(c.req.method)) {
    const contentType = c.req.header('content-type')
    // Routes with a JSON body also refuse a missing Content-Type (see createRouter's hook).
    const length = c.req.header('content-length')
    const hasBody = length !== undefined ? length !== '0' : c.req.header('transfer-encoding') !== undefined
    if ((contentType !== undefined || hasBody) && !isJson(contentType)) {
      throw new ApiError('unsupported_media_type', 'Send the body as application/json.')
    }
    // The text is cached by Hono: the validator parses it again without another read.
    const key = hasBody ? prototypeKeyIn(await c.req.text()) : undefined
    if (key) {
      throw new ApiError('validation_failed', 'The request body is invalid.', {
        errors: [{ pointer: '#', detail: `the key "${key}" is not allowed anywhere in a body` }],
      })
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
