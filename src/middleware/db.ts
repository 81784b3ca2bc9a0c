import { createMiddleware } from 'hono/factory'
import { createDb, type DatabaseStats } from '../db/client.ts'
import type { Env } from '../env.ts'
import type { AppEnv } from '../types.ts'

const DEFAULT_TIMEOUT_MS = 5_000

/**
 * A Drizzle client whose calls share one deadline from now. A response streamed from several reads
 * (the attempts CSV) takes a fresh one per read, counted in the same request stats.
 */
export const databaseFor = (env: Env, stats: DatabaseStats) =>
  createDb({ ...env, DB_TIMEOUT_MS: env.DB_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS }, stats)

/** A fresh Drizzle client per request: nothing is opened at module scope, nothing outlives the request. */
export const database = createMiddleware<AppEnv>(async function database(c, next) {
  const stats = { roundTrips: 0, ms: 0 }
  c.set('dbStats', stats)
  c.set('db', databaseFor(c.env, stats))
  await next()
})
