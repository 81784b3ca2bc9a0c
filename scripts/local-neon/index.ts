import type { Backend } from './backend.ts'
import { createPgliteBackend } from './pglite-backend.ts'
import { createPostgresBackend } from './postgres-backend.ts'

export type { Backend } from './backend.ts'
export { startLocalNeon } from './server.ts'

/**
 * PostgreSQL when a server URL is given (LOCAL_POSTGRES_URL), otherwise embedded PGlite:
 * persisted in `pgliteDir` when set, in memory when not.
 */
export async function createBackend(options: { postgresUrl?: string; pgliteDir?: string }): Promise<Backend> {
  if (options.postgresUrl) return createPostgresBackend(options.postgresUrl)
  return createPgliteBackend(options.pgliteDir)
}
