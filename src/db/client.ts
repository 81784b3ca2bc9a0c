import { neon, neonConfig } from '@neondatabase/serverless'
import { drizzle } from 'drizzle-orm/neon-http'
import * as schema from './schema.ts'

export type DatabaseConfig = {
  DATABASE_URL: string
  /** Only for development and tests: the local Neon-compatible endpoint (scripts/local-neon). */
  NEON_LOCAL_ENDPOINT?: string
}

const neonEndpoint = neonConfig.fetchEndpoint

/**
 * A Drizzle client over Neon's HTTP driver. Cheap to create (no connection is opened), so every
 * request gets its own; each query is one HTTPS round trip and `db.batch()` one transaction.
 */
export function createDb(config: DatabaseConfig) {
  const endpoint = config.NEON_LOCAL_ENDPOINT
  // fetchEndpoint is only settable on the driver's global config, not per client. Every isolate
  // has one set of bindings, so writing it on each call is idempotent.
  neonConfig.fetchEndpoint = endpoint ? () => endpoint : neonEndpoint
  return drizzle({ client: neon(config.DATABASE_URL), schema, casing: 'snake_case' })
}

export type Db = ReturnType<typeof createDb>
