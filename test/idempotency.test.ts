/** Idempotency-Key on progress POSTs (IETF draft): replay, mismatch, concurrency, expiry, lost responses. */

import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { neonConfig } from '@neondatabase/serverless'
import { count, eq, sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attempts, idempotencyKeys } from '../src/db/schema.ts'
import worker from '../src/index.ts'
import { api, expectProblem, json, newLearner, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()
const ACTIVITY = PRACTICE.activities.addition
const attemptCount = async () => (await db.select({ n: count() }).from(attempts))[0]?.n

function post(path: string, cookie: string, key?: string, body?: unknown) {
  const headers: Record<string, string> = { Cookie: cookie }
  if (key !== undefined) headers['Idempotency-Key'] = key
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return api(path, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) })
}
const start = (cookie: string, key?: string) => post(`/v1/activities/${ACTIVITY}/attempts`, cookie, key)

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

afterEach(() => {
  neonConfig.fetchFunction = undefined
})

describe('a retried request with the same key', () => {
  it('replays the first answer, marked Idempotent-Replayed, and creates one attempt', async () => {
    const { cookie } = await newLearner()
    const first = await start(cookie, '"start-1"')
    const body = await json<{ id: string }>(first.clone(), 201)
    const again = await start(cookie, '"start-1"')
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.headers.get('location')).toBe(first.headers.get('location'))
    expect(await again.json()).toEqual(body)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(await attemptCount()).toBe(1)
  })

  it('replays a submit with its grade and the skill state as committed then', async () => {
    const { cookie } = await newLearner()
    const attempt = await json<{ id: string }>(await start(cookie), 201)
    const answers = { response: { answers: { q1: 5, q2: 8, q3: 9 } } }
    const firstResponse = await post(`/v1/attempts/${attempt.id}/submit`, cookie, 'submit-1', answers)
    const firstBytes = await firstResponse.clone().text()
    const first = await json(firstResponse, 200)
    // The skill state moves on with another submission; the replay still shows the first answer.
    const other = await json<{ id: string }>(await start(cookie), 201)
    await json(
      await post(`/v1/attempts/${other.id}/submit`, cookie, 'submit-2', { response: { answers: {} } }),
      200,
    )
    const replay = await post(`/v1/attempts/${attempt.id}/submit`, cookie, 'submit-1', answers)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    // The same bytes, not only the same JSON: keys in the order the first answer had them.
    expect(await replay.text()).toBe(firstBytes)
    expect(first).toHaveProperty('knowledge')
  })

  it('replays an abandon', async () => {
    const { cookie } = await newLearner()
    const attempt = await json<{ id: string }>(await start(cookie), 201)
    const first = await json(await post(`/v1/attempts/${attempt.id}/abandon`, cookie, 'abandon-1'), 200)
    const replay = await post(`/v1/attempts/${attempt.id}/abandon`, cookie, 'abandon-1')
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(await json(replay, 200)).toEqual(first)
    // Without the key, abandoning again is a conflict.
    await expectProblem(await post(`/v1/attempts/${attempt.id}/abandon`, cookie), 409)
  })
})

describe('misuse', () => {
  it('the same key for a different request is a 422, and changes nothing', async () => {
    const { cookie } = await newLearner()
    const attempt = await json<{ id: string }>(await start(cookie, 'k'), 201)
    await expectProblem(
      await post(`/v1/attempts/${attempt.id}/submit`, cookie, 'k', { response: { answers: {} } }),
      422,
    )
    await json(await post(`/v1/attempts/${attempt.id}/abandon`, cookie), 200)
    const submitted = await json<{ id: string }>(await start(cookie), 201)
    const answers = (q1: number) => ({ response: { answers: { q1 } } })
    await json(await post(`/v1/attempts/${submitted.id}/submit`, cookie, 'k2', answers(5)), 200)
    await expectProblem(await post(`/v1/attempts/${submitted.id}/submit`, cookie, 'k2', answers(6)), 422)
    expect(await attemptCount()).toBe(2)
  })

  it('keys are per learner: another learner’s same key is independent', async () => {
    const a = await newLearner()
    const b = await newLearner()
    const first = await json<{ id: string }>(await start(a.cookie, 'shared'), 201)
    const second = await start(b.cookie, 'shared')
    expect(second.headers.get('idempotent-replayed')).toBeNull()
    expect((await json<{ id: string }>(second, 201)).id).not.toBe(first.id)
    expect(await attemptCount()).toBe(2)
  })

  it('malformed keys are a 400 before anything runs', async () => {
    const { cookie } = await newLearner()
    for (const key of [
      '',
      '"unterminated',
      `"${'x'.repeat(256)}"`,
      'x'.repeat(256),
      'has space',
      '"quote"inside"',
    ]) {
      const problem = await expectProblem(await start(cookie, key), 400)
      expect(problem.errors?.[0]?.parameter).toBe('Idempotency-Key')
    }
    expect(await attemptCount()).toBe(0)
  })

  it('a request that failed stores nothing: the same key then works', async () => {
    const { cookie } = await newLearner()
    await expectProblem(await post(`/v1/activities/${crypto.randomUUID()}/attempts`, cookie, 'retry-me'), 404)
    expect(await db.select().from(idempotencyKeys)).toEqual([])
    const attempt = await json<{ id: string }>(await start(cookie), 201)
    await expectProblem(
      await post(`/v1/attempts/${attempt.id}/submit`, cookie, 'fix-me', { response: { answers: { q9: 1 } } }),
      400,
    )
    const fixed = await post(`/v1/attempts/${attempt.id}/submit`, cookie, 'fix-me', {
      response: { answers: { q1: 5 } },
    })
    expect(fixed.status).toBe(200)
    expect(fixed.headers.get('idempotent-replayed')).toBeNull()
  })
})

describe('concurrency and expiry', () => {
  it('two simultaneous requests with one key make one attempt; the other gets the same answer or a 409', async () => {
    const { cookie } = await newLearner()
    const responses = await Promise.all(Array.from({ length: 5 }, () => start(cookie, 'racing')))
    const bodies = await Promise.all(
      responses.map(async (res) => ({ status: res.status, body: await res.text() })),
    )
    const created = bodies.filter((r) => r.status === 201)
    expect(created.length).toBeGreaterThanOrEqual(1)
    expect(new Set(created.map((r) => JSON.parse(r.body).id)).size).toBe(1)
    expect(bodies.every((r) => r.status === 201 || r.status === 409)).toBe(true)
    expect(await attemptCount()).toBe(1)
  })

  it('a key older than 24 hours counts as new, and the cron deletes it', async () => {
    const { cookie } = await newLearner()
    const first = await json<{ id: string }>(await start(cookie, 'daily'), 201)
    await json(await post(`/v1/attempts/${first.id}/abandon`, cookie), 200)
    await db.update(idempotencyKeys).set({ createdAt: sql`now() - interval '25 hours'` })
    const second = await start(cookie, 'daily')
    expect(second.headers.get('idempotent-replayed')).toBeNull()
    expect((await json<{ id: string }>(second, 201)).id).not.toBe(first.id)

    await db.update(idempotencyKeys).set({ createdAt: sql`now() - interval '25 hours'` })
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: '*/10 * * * *' }),
      env,
    )
    expect(await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'daily'))).toEqual([])
  })
})

describe('the response is lost after the commit', () => {
  it('the client sees a 503, retries with the same key, and gets the answer; one attempt exists', async () => {
    const { cookie } = await newLearner()
    // Forward the write to the database, let it commit, then lose the response on the way back.
    neonConfig.fetchFunction = async (url: string, init: RequestInit) => {
      const res = await fetch(url, init)
      if (
        String(init.body).includes('idempotency_keys') &&
        String(init.body).includes('INSERT INTO \\"attempts\\"')
      ) {
        throw new TypeError('Network connection lost.')
      }
      return res
    }
    const lost = await expectProblem(await start(cookie, 'lost'), 503)
    neonConfig.fetchFunction = undefined
    expect(await attemptCount()).toBe(1)
    // The problem says the outcome is unknown, and where to look: the attempt exists there.
    expect(lost.detail).toMatch(/may or may not have been applied/)
    expect(lost.resource).toMatch(/^\/v1\/me\/attempts\/[0-9a-f-]{36}$/)
    expect((await api(lost.resource as string, { headers: { Cookie: cookie } })).status).toBe(200)
    const retry = await start(cookie, 'lost')
    expect(retry.status).toBe(201)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await attemptCount()).toBe(1)
  })

  it('the same holds for a submit', async () => {
    const { cookie } = await newLearner()
    const attempt = await json<{ id: string }>(await start(cookie), 201)
    neonConfig.fetchFunction = async (url: string, init: RequestInit) => {
      const res = await fetch(url, init)
      if (String(init.body).includes('batch_assert')) throw new TypeError('Network connection lost.')
      return res
    }
    const answers = { response: { answers: { q1: 5, q2: 8, q3: 9 } } }
    await expectProblem(await post(`/v1/attempts/${attempt.id}/submit`, cookie, 'lost-submit', answers), 503)
    neonConfig.fetchFunction = undefined
    const retry = await post(`/v1/attempts/${attempt.id}/submit`, cookie, 'lost-submit', answers)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await json<{ attempt: { status: string; score: number } }>(retry, 200)).toMatchObject({
      attempt: { status: 'completed', score: 3 },
    })
  })
})
