/**
 * Starts the whole stack on loopback (scripts/lib/stack.ts: local endpoint on PGlite, or on a
 * scratch database of LOCAL_POSTGRES_URL's server, migrated and seeded; the page's script built;
 * `wrangler dev` on a free port) and hands its URL to the tests. The teardown stops it all.
 */
import { rmSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { DATABASE_URL, startStack } from '../scripts/lib/stack.ts'
import { SCREENSHOTS } from './browser.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    /** The same Worker as http://localhost:<port>: passkeys need a domain, not an IP address. */
    localhostUrl: string
    /** The stack's database, for a test to move time forward (a review falling due). */
    database: { DATABASE_URL: string; NEON_LOCAL_ENDPOINT: string }
  }
}

export default async function setup(project: TestProject) {
  rmSync(SCREENSHOTS, { recursive: true, force: true })
  const stack = await startStack({ name: 'learning_progress_e2e' })
  project.provide('baseUrl', stack.base)
  project.provide('localhostUrl', stack.localhost)
  project.provide('database', { DATABASE_URL, NEON_LOCAL_ENDPOINT: stack.endpoint.sqlEndpoint })
  return () => stack.close()
}
