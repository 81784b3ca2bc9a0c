/** CSRF (fetch metadata and Origin) and CORS (an exact allowlist, with credentials). */
import { count } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { attempts } from '../src/db/schema.ts'
import { api, expectProblem, json, newLearner, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()
const ACTIVITY = PRACTICE.activities.addition
const attemptCount = async () => (await db.select({ n: count() }).from(attempts))[0]?.n

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

function startAttempt(cookie: string, headers: Record<string, string>) {
  return api(`/v1/activities/${ACTIVITY}/attempts`, {
    method: 'POST',
    headers: { Cookie: cookie, ...headers },
  })
}

describe('cross-site writes with the learner’s cookie', () => {
  it('are refused when the browser says cross-site, even as application/json (Hono csrf() would let it through)', async () => {
    const { cookie } = await newLearner()
    const res = await startAttempt(cookie, {
      'Sec-Fetch-Site': 'cross-site',
      Origin: 'https://evil.example',
      'Content-Type': 'application/json',
    })
    await expectProblem(res, 403)
    expect(await attemptCount()).toBe(0)
  })

  it('are refused for a form-like text/plain POST from a foreign Origin', async () => {
    const { cookie } = await newLearner()
    const res = await api('/v1/attempts/00000000-0000-4000-8000-000000000000/submit', {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
      body: '{"response":{"answers":{}}}',
    })
    await expectProblem(res, 403)
  })

  it('are refused from a sibling subdomain (same-site is not same-origin)', async () => {
    const { cookie } = await newLearner()
    await expectProblem(
      await startAttempt(cookie, { 'Sec-Fetch-Site': 'same-site', Origin: 'http://other.api.test' }),
      403,
    )
  })

  it('are accepted same-origin, from an allowlisted front end, and without browser headers (curl, servers)', async () => {
    const { cookie } = await newLearner()
    // Each is accepted: the first starts the attempt, the others answer it (one open attempt per activity).
    await json(
      await startAttempt(cookie, { 'Sec-Fetch-Site': 'same-origin', Origin: 'http://api.test' }),
      201,
    )
    await json(
      await startAttempt(cookie, { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://app.example' }),
      200,
    )
    await json(await startAttempt(cookie, {}), 200)
    expect(await attemptCount()).toBe(1)
  })

  it('do not apply to reads or to admin routes (bearer tokens are not ambient credentials)', async () => {
    expect(
      (
        await api('/v1/skills', {
          headers: { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
        })
      ).status,
    ).toBe(200)
    const res = await api('/v1/admin/skills', {
      method: 'POST',
      headers: {
        Authorization: 'Bearer test-admin-token-current',
        'Content-Type': 'application/json',
        Origin: 'https://cms.example',
        'Sec-Fetch-Site': 'cross-site',
      },
      body: JSON.stringify({ name: 'From the CMS' }),
    })
    expect(res.status).toBe(201)
  })
})

describe('CORS', () => {
  const preflight = (origin: string) =>
    api('/v1/session', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    })

  it('answers an allowlisted origin with that exact origin and credentials, never *', async () => {
    const res = await preflight('https://app.example')
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('vary')).toMatch(/Origin/)
    const simple = await api('/v1/skills', { headers: { Origin: 'https://app.example' } })
    expect(simple.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(simple.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/)
  })

  it('gives other origins no CORS headers at all', async () => {
    for (const origin of ['https://evil.example', 'https://app.example.evil.example', 'null']) {
      const res = await preflight(origin)
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull()
      expect(res.headers.get('access-control-allow-credentials'), origin).toBeNull()
    }
  })
})
