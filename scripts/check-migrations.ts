/**
 * `npm run db:check`: fails when src/db/schema.ts and the committed migrations in drizzle/ disagree.
 * drizzle-kit generates into a scratch copy of drizzle/; any new migration there is drift, and its
 * SQL is printed so the fix (`npm run db:generate`, then commit) is obvious.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const scratch = '.local/drizzle-check'
const drizzleKit = join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs')
const sqlFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.sql'))

rmSync(scratch, { recursive: true, force: true })
cpSync('drizzle', scratch, { recursive: true })
try {
  const args = [
    'generate',
    '--dialect',
    'postgresql',
    '--schema',
    './src/db/schema.ts',
    '--casing',
    'snake_case',
  ]
  execFileSync(process.execPath, [drizzleKit, ...args, '--out', scratch], { stdio: 'pipe' })
  const committed = new Set(sqlFiles('drizzle'))
  const drift = sqlFiles(scratch).filter((name) => !committed.has(name))
  if (drift.length > 0) {
    console.error('src/db/schema.ts has changes that no committed migration contains:\n')
    for (const name of drift) console.error(readFileSync(join(scratch, name), 'utf8'))
    console.error('\nRun `npm run db:generate` and commit the new files in drizzle/.')
    process.exitCode = 1
  } else {
    const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
      entries: { tag: string }[]
    }
    const missing = journal.entries.filter((entry) => !committed.has(`${entry.tag}.sql`))
    if (missing.length > 0 || journal.entries.length !== committed.size) {
      console.error('drizzle/meta/_journal.json and the .sql files in drizzle/ do not match.')
      process.exitCode = 1
    } else {
      console.log(`Migrations match the schema (${committed.size} migration files).`)
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
