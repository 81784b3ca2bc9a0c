/**
 * Rate limits through Miniflare's emulation of the Rate Limiting binding (limits lowered in
 * vitest.config.ts: 50 progress writes and 5 sessions per 60 s). The emulation counts in fixed
 * windows, so a test may straddle a window boundary: it sends until the first 429 and allows for one reset.
 */
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { SEED_IDS, seed } from '../scripts/seed.ts'
import worker from '../src/index.ts'
import { api, expectProblem, json, newLearner, send, testDb } from './helpers.ts'

const ACTIVITY = SEED_IDS.activities.addition

async function untilLimited(request: () => Promise<Response>, max: number) {
  for (let sent = 1; sent <= max; sent++) {
    const res = await request()
    if (res.status === 429) return { sent, res }
    expect(res.status).toBeLessThan(300)
  }
  throw new Error(`no 429 within ${max} requests`)
}

describe('progress writes, per learner', () => {
  it('are limited to the configured rate with a 429 problem and Retry-After; other learners are unaffected', async () => {
    await seed(testDb())
    const { cookie } = await newLearner()
    const start = () => send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie })
    const { sent, res } = await untilLimited(start, 101)
    // 50 allowed, the 51st refused; a window reset during the test allows at most 50 more.
    expect(sent).toBeGreaterThanOrEqual(51)
    expect(sent).toBeLessThanOrEqual(101)
    expect(res.headers.get('retry-after')).toBe('60')
    await expectProblem(res, 429)
    const other = await newLearner()
    await json(await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie: other.cookie }), 201)
  })
})

describe('session creation, per client IP', () => {
  it('is limited per cf-connecting-ip', async () => {
    const create = (ip: string) => api('/v1/session', { method: 'POST', headers: { 'cf-connecting-ip': ip } })
    const { sent, res } = await untilLimited(() => create('203.0.113.7'), 11)
    expect(sent).toBeGreaterThanOrEqual(6)
    expect(sent).toBeLessThanOrEqual(11)
    await expectProblem(res, 429)
    expect((await create('198.51.100.1')).status).toBe(201)
  })
})

describe('a failing limiter', () => {
  const fetchWith = (limiter: unknown) =>
    worker.fetch(
      new Request('http://api.test/v1/session', {
        method: 'POST',
        headers: { 'cf-connecting-ip': '192.0.2.1' },
      }),
      { ...env, SESSION_LIMITER: limiter } as typeof env,
      createExecutionContext(),
    )

  it('fails open with one warning line', async () => {
    const warn = vi.spyOn(console, 'error')
    const res = await fetchWith({ limit: () => Promise.reject(new Error('binding unavailable')) })
    expect(res.status).toBe(201)
    const lines = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('failedOpen'))
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] as string)).toMatchObject({ rateLimiter: 'SESSION_LIMITER', failedOpen: true })
  })

  it('denies when the binding says so', async () => {
    await expectProblem(await fetchWith({ limit: async () => ({ success: false }) }), 429)
  })
})
