import { sql } from 'drizzle-orm'
import { beforeEach } from 'vitest'
import { testDb } from './helpers.ts'

// Every test starts from empty tables and seeds what it needs. Truncating the two roots cascades
// to every other table, in one round trip.
beforeEach(async () => {
  await testDb().execute(sql`TRUNCATE learners, skills RESTART IDENTITY CASCADE`)
})
