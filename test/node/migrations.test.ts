/**
 * Migrations that move data keep it: each test migrates a fresh PGlite database up to just before
 * the migration, writes rows as the older schema had them, applies the rest, and reads them back.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connect } from '../../scripts/lib/database.ts'
import { migrate } from '../../scripts/lib/migrate.ts'
import { createBackend, startLocalNeon } from '../../scripts/local-neon/index.ts'

type Journal = { entries: { tag: string }[] }

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** drizzle/ cut before `tag`: the committed migrations as they were before it existed. */
function migrationsBefore(tag: string) {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  cpSync('drizzle', dir, { recursive: true })
  const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as Journal
  const index = journal.entries.findIndex((entry) => entry.tag === tag)
  expect(index, `no migration ${tag}`).toBeGreaterThan(0)
  const before = { ...journal, entries: journal.entries.slice(0, index) }
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(before))
  return dir
}

async function database() {
  const server = await startLocalNeon({ backend: await createBackend({}) })
  cleanups.push(() => server.close())
  return connect({
    DATABASE_URL: 'postgres://test:test@db.localtest.me/test',
    NEON_LOCAL_ENDPOINT: server.sqlEndpoint,
  })
}

describe('0008_sessions_and_passkeys', () => {
  it('carries every learner’s session over as their first device, with its hash and times', async () => {
    const connection = await database()
    const { sql } = connection
    await migrate(connection, migrationsBefore('0008_sessions_and_passkeys'))
    await sql.query(`
      INSERT INTO learners (id, session_id, created_at, last_active_at, cookie_renewed_at) VALUES
        ('00000000-0000-4000-8000-000000000001', '${'a'.repeat(64)}', '2026-01-01Z', '2026-03-01Z', '2026-02-27Z'),
        ('00000000-0000-4000-8000-000000000002', '${'b'.repeat(64)}', '2026-01-02Z', '2026-01-05Z', '2026-01-05Z')`)

    expect(await migrate(connection)).toBeGreaterThan(0)

    const rows = await sql.query(`
      SELECT learner_id, token_hash, label, created_at, last_used_at, cookie_renewed_at
      FROM sessions ORDER BY learner_id`)
    expect(rows).toEqual([
      {
        learner_id: '00000000-0000-4000-8000-000000000001',
        token_hash: 'a'.repeat(64),
        label: 'Unknown browser',
        created_at: '2026-01-01 00:00:00+00',
        last_used_at: '2026-03-01 00:00:00+00',
        cookie_renewed_at: '2026-02-27 00:00:00+00',
      },
      {
        learner_id: '00000000-0000-4000-8000-000000000002',
        token_hash: 'b'.repeat(64),
        label: 'Unknown browser',
        created_at: '2026-01-02 00:00:00+00',
        last_used_at: '2026-01-05 00:00:00+00',
        cookie_renewed_at: '2026-01-05 00:00:00+00',
      },
    ])
    const columns = await sql.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'learners' ORDER BY column_name`,
    )
    expect(columns.map((row) => row.column_name)).toEqual([
      'created_at',
      'display_name',
      'id',
      'last_active_at',
      'metadata',
    ])
  })
})
