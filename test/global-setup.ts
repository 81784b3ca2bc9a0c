/**
 * Runs in Node before any test: starts the local Neon endpoint on 127.0.0.1 (PGlite in memory, or a
 * fresh database on LOCAL_POSTGRES_URL's server), applies the committed migrations through the Neon
 * driver, and hands the endpoint's URL to the Workers config. The returned teardown stops it all.
 */
import { readFileSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { connect } from '../scripts/lib/database.ts'
import { migrate } from '../scripts/lib/migrate.ts'
import { createScratchDatabase } from '../scripts/lib/scratch-db.ts'
import { createBackend, startLocalNeon } from '../scripts/local-neon/index.ts'
import { startLtiPlatform } from './lti-platform.ts'

const TEST_DATABASE_URL = 'postgres://test:test@db.localtest.me/test'

export default async function setup(project: TestProject) {
  const serverUrl = process.env.LOCAL_POSTGRES_URL
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, 'learning_progress_test') : undefined
  const backend = await createBackend({ postgresUrl: scratch?.url })
  const server = await startLocalNeon({ backend })
  // A second endpoint on the same database stands in for a read replica, with its own counter.
  const replica = await startLocalNeon({ backend: { ...backend, close: async () => undefined } })
  await migrate(connect({ DATABASE_URL: TEST_DATABASE_URL, NEON_LOCAL_ENDPOINT: server.sqlEndpoint }))

  project.provide('neonEndpoint', server.sqlEndpoint)
  project.provide('localNeonUrl', server.url)
  project.provide('databaseBackend', backend.name)
  project.provide('replicaEndpoint', replica.sqlEndpoint)
  project.provide('replicaUrl', replica.url)
  // A binary fixture for the Workers side, which has no file system: a deflated QTI package.
  project.provide(
    'qtiPackageBase64',
    readFileSync(new URL('question-banks/science.qti.zip', import.meta.url)).toString('base64'),
  )
  const platform = await startLtiPlatform()
  project.provide('ltiPlatformUrl', platform.url)
  console.log(`[global-setup] local Neon endpoint on ${server.url}, backend ${backend.name}`)

  return async () => {
    await platform.close()
    await replica.close()
    await server.close()
    await scratch?.drop()
  }
}
