import type { NeonQueryFunction } from '@neondatabase/serverless'
import { readMigrationFiles } from 'drizzle-orm/migrator'

const journal = 'drizzle.__drizzle_migrations'

/**
 * Applies drizzle-kit's migrations through the Neon HTTP driver, so the same command works against
 * Neon and against the local endpoint. Unlike drizzle's neon-http migrator, each migration is one
 * transaction together with its journal row: a failing migration leaves nothing half-applied.
 * The journal table is drizzle-kit's own, so `drizzle-kit migrate` agrees on what has run.
 * @returns how many migrations were applied now
 */
export async function migrate(sql: NeonQueryFunction<false, false>, migrationsFolder = './drizzle') {
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
  return pending.length
}
