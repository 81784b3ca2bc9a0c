import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import { authorToken } from '../src/middleware/admin-auth.ts'
import { testDb } from './helpers.ts'

// Every test starts from empty tables and seeds what it needs. Deleting from the roots cascades to
// every other table (each foreign key is ON DELETE CASCADE), in one round trip; the change logs go
// last, with what the deletions themselves logged. DELETE, not TRUNCATE: on the few rows a test
// leaves it takes 4–8 ms where TRUNCATE … CASCADE takes 40 (a new file for each of two dozen tables),
// and the suite resets before every one of its 400-odd tests.
const ROOTS = [
  'learners',
  'skills',
  'classes',
  'used_challenges',
  'lti_platforms',
  'attempt_changes',
  'skill_state_changes',
]

beforeEach(async () => {
  const db = testDb()
  const [first, ...rest] = ROOTS.map((table) => db.execute(sql`DELETE FROM ${sql.identifier(table)}`))
  if (first) await db.batch([first, ...rest])
})

/** What must never reach a log line: secrets, the connection string, session ids or their hashes. */
const secrets = [
  ...env.SESSION_SECRETS.split(','),
  ...env.ADMIN_TOKENS.split(',').map((entry) => authorToken(entry).token),
  env.DATABASE_URL,
  'Neon-Connection-String',
]
const SESSION_ID = /\b[0-9a-f]{64}\b/

// Over the whole suite, every console line is checked; a test's lines are printed only when it
// fails. Not handing every line to vitest (which would then hide it for a passing test anyway)
// spares the suite a sixth of its time: every request logs a line.
const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const
type Method = (typeof METHODS)[number]
type Line = { method: Method; args: unknown[] }

// The runtime is shared across files (isolate: false) and this file runs before each of them: the
// console's own methods are kept once, before anything wraps them.
const store = globalThis as { consoleBeforeTests?: Record<Method, (...args: unknown[]) => void> }
store.consoleBeforeTests ??= Object.fromEntries(
  METHODS.map((method) => [method, console[method].bind(console)]),
) as Record<Method, (...args: unknown[]) => void>
const original = store.consoleBeforeTests

let lines: Line[] = []
for (const method of METHODS) {
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    lines.push({ method, args })
  })
}

beforeEach(({ onTestFailed }) => {
  const mine: Line[] = []
  lines = mine
  onTestFailed(() => {
    for (const { method, args } of mine) original[method](...args)
  })
})

afterEach(() => {
  const logged = lines.map(({ args }) => args.map(String).join(' ')).join('\n')
  for (const secret of secrets) expect(logged, 'a secret reached the logs').not.toContain(secret)
  expect(logged, 'a session id or hash reached the logs').not.toMatch(SESSION_ID)
})
