import { createMiddleware } from 'hono/factory'
import { createDb } from '../db/client.ts'
import type { AppEnv } from '../types.ts'

/** A fresh Drizzle client per request: nothing is opened at module scope, nothing outlives the request. */
export const database = createMiddleware<AppEnv>(async (c, next) => {
  c.set('db', createDb(c.env))
  await next()
})
