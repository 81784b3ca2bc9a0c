import { createDb, type DatabaseConfig } from '../../src/db/client.ts'
import { readDevVars } from './dev-vars.ts'

/**
 * DATABASE_URL from the environment (a real Neon database: `DATABASE_URL=… npm run db:migrate`);
 * without it, the local endpoint that `npm run dev` runs, as configured in .dev.vars.
 */
export function resolveDatabaseConfig(): DatabaseConfig & { local: boolean } {
  const { DATABASE_URL, NEON_LOCAL_ENDPOINT } = process.env
  if (DATABASE_URL)
    return { DATABASE_URL, NEON_LOCAL_ENDPOINT: NEON_LOCAL_ENDPOINT || undefined, local: false }
  const vars = readDevVars()
  if (!vars.DATABASE_URL || !vars.NEON_LOCAL_ENDPOINT) {
    throw new Error(
      'Set DATABASE_URL, or run `npm run dev` once so that .dev.vars points at the local endpoint.',
    )
  }
  return { DATABASE_URL: vars.DATABASE_URL, NEON_LOCAL_ENDPOINT: vars.NEON_LOCAL_ENDPOINT, local: true }
}

export function connect(config: DatabaseConfig) {
  const db = createDb(config)
  return { db, sql: db.$client }
}
