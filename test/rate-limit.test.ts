/**
 * Rate limits through Miniflare's emulation of the Rate Limiting binding (limits in vitest.config.ts:
 * 50 progress writes and 200 other learner requests per learner, 30 session creations, 10 searches
 * and 5 wrong admin tokens per address, per 60 s). The emulation counts in fixed windows, so a test may straddle
 * a window boundary: it sends until the first 429 and allows for one reset.
 */
import type { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { sessions } from '../src/db/schema.ts'
import { api, callWorker, cookieFrom, expectProblem, json, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()
const ACTIVITY = PRACTICE.activities.addition

async function untilLimited(request: () => Promise<Response>, max: number) {
  for (let sent = 1; sent <= max; sent++) {
    const res = await request()
    if (res.status === 429) return { sent, res }
    expect(res.status, await res.clone().text()).toBeLessThan(300)
  }
  throw new Error(`no 429 within ${max} requests`)
}

describe('progress writes, per learner', () => {
  it('are limited to the configured rate with a 429 problem and Retry-After; other learners are unaffected', async () => {
    await buildPracticeCatalogue(db)
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

describe('everything else a learner does, per learner', () => {
  it('is limited too: reads and profile changes', async () => {
    const { cookie } = await newLearner()
    const { sent, res } = await untilLimited(() => send('GET', '/v1/me', { cookie }), 401)
    expect(sent).toBeGreaterThanOrEqual(201)
    await expectProblem(res, 429)
    await expectProblem(await send('PATCH', '/v1/me', { cookie, body: { displayName: 'Busy' } }), 429)
    const other = await newLearner()
    await json(await send('GET', '/v1/me', { cookie: other.cookie }), 200)
  })
})

describe('session creation, per client address', () => {
  const post = (ip: string, cookie?: string) =>
    api('/v1/session', {
      method: 'POST',
      headers: { 'cf-connecting-ip': ip, ...(cookie && { Cookie: cookie }) },
    })

  it('is limited per cf-connecting-ip', async () => {
    const { sent, res } = await untilLimited(() => post('203.0.113.7'), 61)
    expect(sent).toBeGreaterThanOrEqual(31)
    await expectProblem(res, 429)
    expect((await post('198.51.100.1')).status).toBe(201)
  })

  it('counts creations only: 31 learners with live cookies behind one address all resume', async () => {
    const cookies: string[] = []
    for (let i = 0; i < 31; i++) cookies.push(cookieFrom(await post(`10.0.${i}.1`)))
    for (const cookie of cookies) expect((await post('192.0.2.55', cookie)).status).toBe(200)
    // …and the address still has its whole allowance for new visitors.
    expect((await post('192.0.2.55')).status).toBe(201)
  })

  it('counts a replayed cookie of a revoked session as a creation: it cannot mint unlimited learners', async () => {
    const { cookie } = await newLearner()
    await send('DELETE', '/v1/session', { cookie })
    const { sent, res } = await untilLimited(() => post('192.0.2.66', cookie), 61)
    expect(sent).toBeGreaterThanOrEqual(31)
    await expectProblem(res, 429)
  })
})

describe('searches that reach the database, per client address', () => {
  it('are limited per cf-connecting-ip (10 a minute here), each address on its own', async () => {
    const search = (ip: string, n: number) =>
      api(`/v1/search?q=${encodeURIComponent(`unique query ${n}`)}`, { headers: { 'cf-connecting-ip': ip } })
    let n = 0
    const { sent, res } = await untilLimited(() => search('203.0.113.9', n++), 21)
    expect(sent).toBeGreaterThanOrEqual(11)
    expect((await expectProblem(res, 429)).detail).toBe('Too many requests; slow down.')
    expect(res.headers.get('retry-after')).toBe('60')
    expect((await search('198.51.100.9', n++)).status).toBe(200)
  })
})

describe('the session cookie, kept alive by reads', () => {
  it('is re-issued by a read at most daily, so a learner who keeps coming back keeps it', async () => {
    const { cookie, id } = await newLearner()
    const fresh = await send('GET', '/v1/me', { cookie })
    expect(fresh.headers.get('set-cookie')).toBeNull()
    await db
      .update(sessions)
      .set({ cookieRenewedAt: new Date(Date.now() - 2 * 86_400_000) })
      .where(eq(sessions.learnerId, id))
    const renewed = await send('GET', '/v1/me/skills', { cookie })
    expect(renewed.headers.get('set-cookie')).toMatch(/Max-Age=31536000/)
    expect(cookieFrom(renewed)).toBe(cookie)
    expect((await send('GET', '/v1/me', { cookie })).headers.get('set-cookie')).toBeNull()
  })
})

describe('wrong admin tokens, per client address', () => {
  it('are a brake on guessing: past the limit a 429, even for a right token, until the period ends', async () => {
    const admin = (ip: string, token: string) =>
      api('/v1/admin/skills', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'cf-connecting-ip': ip,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ name: 'Guarded' }),
      })
    let sent = 0
    let res: Response
    do {
      res = await admin('203.0.113.99', 'guess-guess-guess-guess')
      sent++
    } while (res.status === 401 && sent < 12)
    expect(sent).toBeGreaterThanOrEqual(6)
    await expectProblem(res, 429)
    await expectProblem(await admin('203.0.113.99', 'test-admin-token-current'), 429)
    expect((await admin('198.51.100.99', 'test-admin-token-current')).status).toBe(201)
  })
})

describe('a failing limiter', () => {
  const create = (limiter: unknown) =>
    callWorker(
      new Request('http://api.test/v1/session', {
        method: 'POST',
        headers: { 'cf-connecting-ip': '192.0.2.1' },
      }),
      { SESSION_LIMITER: limiter as typeof env.SESSION_LIMITER },
    )

  it('fails open with one warning line', async () => {
    const warn = vi.spyOn(console, 'error')
    const res = await create({ limit: () => Promise.reject(new Error('binding unavailable')) })
    expect(res.status).toBe(201)
    const lines = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('failedOpen'))
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] as string)).toMatchObject({ rateLimiter: 'SESSION_LIMITER', failedOpen: true })
  })

  it('denies when the binding says so', async () => {
    await expectProblem(await create({ limit: async () => ({ success: false }) }), 429)
  })
})
