import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { NeonQueryFunction } from '@neondatabase/serverless'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import type { Db } from '../../src/db/client.ts'
import { type DataMigration, dataMigrations } from './data-migrations.ts'

const journal = 'drizzle.__drizzle_migrations'
const dataJournal = 'drizzle.__data_migrations'

/**
 * Applies drizzle-kit's migrations through the Neon HTTP driver, so the same command works against
 * Neon and against the local endpoint. Unlike drizzle's neon-http migrator, each migration is one
 * transaction together with its journal row: a failing migration leaves nothing half-applied.
 * The journal table is drizzle-kit's own, so `drizzle-kit migrate` agrees on what has run. After
 * them, the data migrations (data-migrations.ts) whose SQL migration has run, once each.
 * @returns how many migrations (SQL and data) were applied now
 */
export async function migrate(
  { sql, db }: { sql: NeonQueryFunction<false, false>; db: Db },
  migrationsFolder = './drizzle',
  data: DataMigration[] = dataMigrations,
) {
  const migrations = readMigrationFiles({ migrationsFolder })
  const [, , applied] = await sql.transaction([
    sql`CREATE SCHEMA IF NOT EXISTS drizzle`,
    sql.query(
      `CREATE TABLE IF NOT EXISTS ${journal} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
    ),
    sql.query(`SELECT max(created_at) AS last FROM ${journal}`),
  ])
  const last = Number(applied?.[0]?.last ?? 0)
  const pending = migrations.filter((migration) => migration.folderMillis > last)
  for (const migration of pending) {
    await sql.transaction([
      ...migration.sql.filter((statement) => statement.trim()).map((statement) => sql.query(statement)),
      sql.query(`INSERT INTO ${journal} (hash, created_at) VALUES ($1, $2)`, [
        migration.hash,
        migration.folderMillis,
      ]),
    ])
  }
  return pending.length + (await migrateData({ sql, db }, migrationsFolder, data))
}

/** The data migrations whose SQL migration is in the folder (so now applied) and that have not run yet, in order. */
async function migrateData(
  { sql, db }: { sql: NeonQueryFunction<false, false>; db: Db },
  migrationsFolder: string,
  data: DataMigration[],
) {
  const journalFile = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[]
  }
  const tags = new Set(journalFile.entries.map((entry) => entry.tag))
  const [, done] = await sql.transaction([
    sql.query(
      `CREATE TABLE IF NOT EXISTS ${dataJournal} (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    ),
    sql.query(`SELECT name FROM ${dataJournal}`),
  ])
  const ran = new Set((done as { name: string }[]).map((row) => row.name))
  let count = 0
  for (const migration of data) {
    if (ran.has(migration.name) || !tags.has(migration.after)) continue
    const summary = await migration.run(db)
    await sql.query(`INSERT INTO ${dataJournal} (name) VALUES ($1)`, [migration.name])
    console.log(`data migration ${migration.name}: ${summary}`)
    count++
  }
  return count
}
