/**
 * The learner-write protocol (src/progress/write/learner-write.ts), each named assertion made to fail on
 * purpose: a fault-injecting fetchFunction lets the real write batch reach the real database only
 * after something else has changed what the submit read.
 */
import { neonConfig } from '@neondatabase/serverless'
import { and, count, eq, sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attempts, sessions, skillStates } from '../src/db/schema.ts'
import { api, beforeBatchWith, expectProblem, json, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()
const ACTIVITY = PRACTICE.activities.addition
const answers = { response: { answers: { q1: 5, q2: 8, q3: 9 } } }

const submit = (cookie: string, attemptId: string, key?: string) =>
  api(`/v1/attempts/${attemptId}/submit`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/json', ...(key && { 'Idempotency-Key': key }) },
    body: JSON.stringify(answers),
  })

async function startAttempt(cookie: string) {
  return (
    await json<{ id: string }>(await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie }), 201)
  ).id
}

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

afterEach(() => {
  neonConfig.fetchFunction = undefined
})

describe('a submit whose reads went stale before its write', () => {
  it('skill_state_unchanged: the state moved meanwhile, so the submit runs again on fresh reads', async () => {
    const { cookie, id } = await newLearner()
    await json(await submit(cookie, await startAttempt(cookie)), 200)
    const attemptId = await startAttempt(cookie)
    // The review cron (or another device) bumps the version between this submit's read and its write.
    beforeBatchWith('skill_state_unchanged', () =>
      db
        .update(skillStates)
        .set({ version: sql`${skillStates.version} + 10` })
        .where(eq(skillStates.learnerId, id)),
    )
    const body = await json<{ attempt: { status: string } }>(await submit(cookie, attemptId), 200)
    expect(body.attempt.status).toBe('completed')
    const [state] = await db.select().from(skillStates).where(eq(skillStates.learnerId, id))
    expect(state?.version).toBe(12) // 1, then +10 meanwhile, then the retried write
  })

  it('attempt_in_progress: the attempt was abandoned meanwhile, so nothing is written and the answer is 409', async () => {
    const { cookie, id } = await newLearner()
    const attemptId = await startAttempt(cookie)
    beforeBatchWith('attempt_in_progress', () =>
      db.update(attempts).set({ status: 'abandoned' }).where(eq(attempts.id, attemptId)),
    )
    const problem = await expectProblem(await submit(cookie, attemptId), 409)
    expect(problem.detail).toMatch(/no longer in progress/)
    expect(await db.select().from(skillStates).where(eq(skillStates.learnerId, id))).toEqual([])
    const [attempt] = await db.select().from(attempts).where(eq(attempts.id, attemptId))
    expect(attempt).toMatchObject({ status: 'abandoned', score: null })
  })

  it('session_active: the session was revoked meanwhile, so the answer is 401 and nothing is written', async () => {
    const { cookie, id } = await newLearner()
    const attemptId = await startAttempt(cookie)
    beforeBatchWith('session_active', () => db.delete(sessions).where(eq(sessions.learnerId, id)))
    await expectProblem(await submit(cookie, attemptId), 401)
    const [attempt] = await db.select().from(attempts).where(eq(attempts.id, attemptId))
    expect(attempt?.status).toBe('in_progress')
  })

  it('key_claimed: a duplicate that answered first is replayed, and the attempt is completed once', async () => {
    const { cookie, id } = await newLearner()
    const attemptId = await startAttempt(cookie)
    // The duplicate runs (and is read) inside the first request's database call, before its write.
    let first = { status: 0, body: '' }
    beforeBatchWith('key_claimed', async () => {
      const res = await submit(cookie, attemptId, 'double-click')
      first = { status: res.status, body: await res.text() }
    })
    const second = await submit(cookie, attemptId, 'double-click')
    expect(first.status).toBe(200)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(await json(second, 200)).toEqual(JSON.parse(first.body))
    const [completed] = await db
      .select({ n: count() })
      .from(attempts)
      .where(and(eq(attempts.learnerId, id), eq(attempts.status, 'completed')))
    expect(completed?.n).toBe(1)
    const [state] = await db.select().from(skillStates).where(eq(skillStates.learnerId, id))
    expect(state?.version).toBe(1)
  })
})
