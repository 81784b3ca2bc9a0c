import { createMiddleware } from 'hono/factory'
import { createDb } from '../db/client.ts'
import type { AppEnv } from '../types.ts'

const DEFAULT_TIMEOUT_MS = 5_000

/** A fresh Drizzle client per request: nothing is opened at module scope, nothing outlives the request. */
export const database = createMiddleware<AppEnv>(async function database(c, next) {
  const stats = { roundTrips: 0, ms: 0 }
  c.set('dbStats', stats)
  c.set('db', createDb({ ...c.env, DB_TIMEOUT_MS: c.env.DB_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS }, stats))
  await next()
})
