import { OpenAPIHono } from '@hono/zod-openapi'
import { validationError } from './errors.ts'
import type { AppEnv } from './types.ts'

/**
 * A sub-app for one resource. Every route validates with zod through @hono/zod-openapi; a failure is
 * thrown as a 400 problem (never the validator's default body), rendered by the app's onError.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target)
    },
  })
}
