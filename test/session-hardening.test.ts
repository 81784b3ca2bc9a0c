/** The session cases of SECURITY.md not covered in sessions.test.ts. */
import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { learners, sessions } from '../src/db/schema.ts'
import { newSessionId } from '../src/session/cookie.ts'
import { api, expectProblem, json, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()

describe('session ids', () => {
  it('are 256 random bits from the CSPRNG, never Math.random, and 100k of them are unique', () => {
    const random = vi.spyOn(crypto, 'getRandomValues')
    const mathRandom = vi.spyOn(Math, 'random')
    const ids = new Set(Array.from({ length: 100_000 }, newSessionId))
    expect(ids.size).toBe(100_000)
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^[0-9a-f]{64}$/)
    expect(random).toHaveBeenCalledTimes(100_000)
    expect(mathRandom).not.toHaveBeenCalled()
  })
})

describe('a tampered cookie', () => {
  it('cannot write progress either (401, nothing created), and the catalogue ignores it', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const tampered = `${cookie.slice(0, 20)}${cookie[20] === 'a' ? 'b' : 'a'}${cookie.slice(21)}`
    const res = await send('POST', `/v1/activities/${PRACTICE.activities.addition}/attempts`, {
      cookie: tampered,
    })
    await expectProblem(res, 401)
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    const catalogue = await send('GET', '/v1/skills', { cookie: tampered })
    expect(catalogue.status).toBe(200)
    expect(catalogue.headers.get('set-cookie')).toBeNull()
  })
})

describe('idle timeout', () => {
  it('a session unused for more than a year is over: 401 and the cookie cleared; it cannot be revived', async () => {
    const { cookie, id } = await newLearner()
    await db
      .update(sessions)
      .set({ lastUsedAt: sql`now() - interval '366 days'` })
      .where(eq(sessions.learnerId, id))
    const res = await send('GET', '/v1/me', { cookie })
    await expectProblem(res, 401)
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    // The read did not touch it back to life, and POST /v1/session starts someone new.
    const [row] = await db
      .select()
      .from(sessions)
      .where(and(eq(sessions.learnerId, id), sql`last_used_at < now() - interval '365 days'`))
    expect(row).toBeDefined()
    const resumed = await send('POST', '/v1/session', { cookie })
    expect((await json<{ id: string }>(resumed, 201)).id).not.toBe(id)
  })

  it('a session used within the year goes on', async () => {
    const { cookie, id } = await newLearner()
    await db
      .update(sessions)
      .set({ lastUsedAt: sql`now() - interval '364 days'` })
      .where(eq(sessions.learnerId, id))
    expect((await json<{ id: string }>(await send('GET', '/v1/me', { cookie }), 200)).id).toBe(id)
  })
})

describe('catalogue reads', () => {
  it('write nothing, with or without a cookie', async () => {
    await buildPracticeCatalogue(db)
    const { cookie, id } = await newLearner()
    const [before] = await db.select().from(learners).where(eq(learners.id, id))
    await api('/v1/skills', { headers: { Cookie: cookie } })
    await api(`/v1/skills/${PRACTICE.skills.math}`, { headers: { Cookie: cookie } })
    const [after] = await db.select().from(learners).where(eq(learners.id, id))
    expect(after).toEqual(before)
  })
})
