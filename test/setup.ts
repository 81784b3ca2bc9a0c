import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import { authorToken } from '../src/middleware/admin-auth.ts'
import { testDb } from './helpers.ts'

// Every test starts from empty tables and seeds what it needs. Truncating the roots cascades to
// every other table, in one round trip.
beforeEach(async () => {
  await testDb().execute(
    sql`TRUNCATE learners, skills, classes, used_challenges, attempt_changes, skill_state_changes
      RESTART IDENTITY CASCADE`,
  )
})

/** What must never reach a log line: secrets, the connection string, session ids or their hashes. */
const secrets = [
  ...env.SESSION_SECRETS.split(','),
  ...env.ADMIN_TOKENS.split(',').map((entry) => authorToken(entry).token),
  env.DATABASE_URL,
  'Neon-Connection-String',
]
const SESSION_ID = /\b[0-9a-f]{64}\b/

// Over the whole suite, every console line is checked (and still printed).
const lines: string[] = []
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console)
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '))
    original(...args)
  })
}

afterEach(() => {
  const logged = lines.splice(0).join('\n')
  for (const secret of secrets) expect(logged, 'a secret reached the logs').not.toContain(secret)
  expect(logged, 'a session id or hash reached the logs').not.toMatch(SESSION_ID)
})
