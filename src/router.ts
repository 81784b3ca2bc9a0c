import { OpenAPIHono } from '@hono/zod-openapi'
import { ApiError, validationError } from './errors.ts'
import { isJson } from './http/json.ts'
import type { AppEnv } from './types.ts'

/**
 * A sub-app for one resource. Every route validates with zod through @hono/zod-openapi; a failure is
 * thrown as a 400 problem (never the validator's default body), rendered by the app's onError.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: function refuseInvalid(result, c) {
      if (result.success) return
      // A JSON route sent something else (or nothing, with no Content-Type): 415, not a 400 about `{}`.
      if (result.target === 'json' && !isJson(c.req.header('content-type'))) {
        throw new ApiError('unsupported_media_type', 'Send the body as application/json.')
      }
      throw validationError(result.error, result.target)
    },
  })
}
