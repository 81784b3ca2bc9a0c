import { env } from 'cloudflare:workers'
import { count, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { attempts, learners, sessions, skillStates } from '../src/db/schema.ts'
import { hashSessionId, newSessionId, sessionKeys, signSessionId } from '../src/session/cookie.ts'
import { insertCatalogue } from './fixtures.ts'
import {
  api,
  callWorker,
  cookieFrom,
  countRoundTrips,
  expectProblem,
  json,
  newLearner,
  send,
  testDb,
} from './helpers.ts'

const db = testDb()
const learnerCount = async () => (await db.select({ n: count() }).from(learners))[0]?.n

/** A correctly signed cookie for `sessionId`, under the given secret. */
async function signedWith(secret: string, sessionId: string) {
  const keys = await sessionKeys([secret])
  if (!keys) throw new Error('bad test secret')
  return `sid=${await signSessionId(sessionId, keys.signing)}`
}

/** Replaces one character in the middle of the signature (the last base64 character has spare bits). */
function tamperSignature(cookie: string) {
  const at = cookie.indexOf('.') + 10
  const flipped = cookie[at] === 'A' ? 'B' : 'A'
  return cookie.slice(0, at) + flipped + cookie.slice(at + 1)
}

const [CURRENT_SECRET = '', PREVIOUS_SECRET = ''] = env.SESSION_SECRETS.split(',')

describe('POST /v1/session', () => {
  it('creates one learner and sets an HttpOnly, SameSite=Lax, one-year cookie', async () => {
    const res = await api('/v1/session', { method: 'POST' })
    const learner = await json<{ id: string; displayName: null }>(res.clone(), 201)
    const setCookie = res.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(
      /^sid=[0-9a-f]{64}\.[A-Za-z0-9_-]{43}; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(learner.displayName).toBeNull()
    expect(await learnerCount()).toBe(1)
  })

  it('uses the __Host- prefix and Secure over https', async () => {
    const res = await callWorker(new Request('https://api.example/v1/session', { method: 'POST' }))
    expect(res.status).toBe(201)
    expect(res.headers.get('set-cookie')).toMatch(
      /^__Host-sid=[0-9a-f]{64}\.\S{43}; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    )
  })

  it('stores only the SHA-256 of the session id', async () => {
    const res = await api('/v1/session', { method: 'POST' })
    const sessionId = cookieFrom(res).slice('sid='.length).split('.')[0] as string
    const [row] = await db.select().from(sessions)
    expect(row?.tokenHash).toBe(await hashSessionId(sessionId))
    expect(JSON.stringify(await db.select().from(learners))).not.toContain(sessionId)
    expect(JSON.stringify(row)).not.toContain(sessionId)
  })

  it('returns the current learner with 200 when the session is valid, re-issues the cookie, creates nobody', async () => {
    const { cookie, id } = await newLearner()
    const res = await send('POST', '/v1/session', { cookie })
    expect((await json<{ id: string }>(res.clone(), 200)).id).toBe(id)
    // The same session, re-issued: its one-year lifetime starts again.
    expect(cookieFrom(res)).toBe(cookie)
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=31536000/)
    expect(await learnerCount()).toBe(1)
  })

  it('never reuses the id of a signed cookie whose learner is gone (strict sessions)', async () => {
    const sessionId = newSessionId()
    const res = await send('POST', '/v1/session', { cookie: await signedWith(CURRENT_SECRET, sessionId) })
    await json(res.clone(), 201)
    expect(cookieFrom(res)).not.toContain(sessionId)
    const [row] = await db.select().from(sessions)
    expect(row?.tokenHash).not.toBe(await hashSessionId(sessionId))
  })

  it('treats a tampered cookie as no session and issues a fresh one', async () => {
    const { cookie } = await newLearner()
    const res = await send('POST', '/v1/session', { cookie: tamperSignature(cookie) })
    await json(res.clone(), 201)
    expect(cookieFrom(res)).not.toBe(cookie)
    expect(await learnerCount()).toBe(2)
  })
})

describe('GET /v1/me', () => {
  it('returns the learner behind the cookie in one round trip, privately', async () => {
    const { cookie, id } = await newLearner()
    const { result: res, roundTrips } = await countRoundTrips(() => send('GET', '/v1/me', { cookie }))
    const me = await json<Record<string, unknown>>(res.clone(), 200)
    expect(me).toMatchObject({ id, displayName: null, metadata: {} })
    expect(me).not.toHaveProperty('sessionId')
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(roundTrips).toBe(1)
  })

  it('is a 401 problem without a cookie, and clears nothing', async () => {
    const res = await api('/v1/me')
    await expectProblem(res, 401)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  const badCookies: [string, (valid: string) => string | Promise<string>][] = [
    ['a flipped middle signature character', tamperSignature],
    ['a flipped session id character', (c) => `sid=${c[4] === 'a' ? 'b' : 'a'}${c.slice(5)}`],
    ['an unsigned value', (c) => c.split('.')[0] as string],
    ['an empty value', () => 'sid='],
    ['a lone dot', () => 'sid=.'],
    ['44 non-base64 characters', (c) => `${c.split('.')[0]}.${'!'.repeat(44)}`],
    ['bad % escapes', () => 'sid=%E0%A4%A'],
    ['an 8 KB value', () => `sid=${'a'.repeat(8192)}`],
    [
      'a signature from an unknown key',
      (c) => signedWith('another-deployment-secret-0123456789abcdef', c.slice(4, 68)),
    ],
    ['a non-canonical signature spelling', (c) => `${c.slice(0, -1)}${c.endsWith('A') ? 'B' : 'A'}`],
  ]
  for (const [what, spoil] of badCookies) {
    it(`treats ${what} as no session: 401, cookie cleared, no learner created`, async () => {
      const { cookie } = await newLearner()
      const before = await learnerCount()
      const res = await send('GET', '/v1/me', { cookie: await spoil(cookie) })
      await expectProblem(res, 401)
      expect(res.headers.get('set-cookie')).toMatch(/^sid=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax$/)
      expect(await learnerCount()).toBe(before)
    })
  }

  it('reads only the first of duplicate cookies, and ignores other names', async () => {
    const { cookie } = await newLearner()
    await expectProblem(await send('GET', '/v1/me', { cookie: `${tamperSignature(cookie)}; ${cookie}` }), 401)
    await expectProblem(await send('GET', '/v1/me', { cookie: cookie.replace('sid=', '__Host-sid=') }), 401)
  })

  it('refreshes last_active_at inside its own round trip, at most every five minutes', async () => {
    const { cookie, id } = await newLearner()
    await db.update(learners).set({ lastActiveAt: sql`now() - interval '1 hour'` }).where(eq(learners.id, id))
    await db
      .update(sessions)
      .set({ lastUsedAt: sql`now() - interval '1 hour'` })
      .where(eq(sessions.learnerId, id))
    const first = await json<{ lastActiveAt: string }>(await send('GET', '/v1/me', { cookie }), 200)
    expect(Date.now() - Date.parse(first.lastActiveAt)).toBeLessThan(60_000)
    const second = await json<{ lastActiveAt: string }>(await send('GET', '/v1/me', { cookie }), 200)
    expect(second.lastActiveAt).toBe(first.lastActiveAt)
  })
})

describe('key rotation', () => {
  it('accepts a cookie signed with an older key and re-issues it with the current one', async () => {
    const { cookie, id } = await newLearner()
    const sessionId = cookie.slice(4, 68)
    const old = await signedWith(PREVIOUS_SECRET, sessionId)
    const res = await send('GET', '/v1/me', { cookie: old })
    expect((await json<{ id: string }>(res.clone(), 200)).id).toBe(id)
    expect(cookieFrom(res)).toBe(cookie)
  })

  it('refuses a cookie whose key has been retired', async () => {
    const { cookie } = await newLearner()
    const retired = await signedWith('a-retired-session-secret-0123456789abcdef', cookie.slice(4, 68))
    await expectProblem(await send('GET', '/v1/me', { cookie: retired }), 401)
  })
})

describe('misconfigured secrets', () => {
  for (const [what, value] of [
    ['missing', undefined],
    ['empty', ''],
    ['too short', 'short-secret'],
    ['one of two too short', `${CURRENT_SECRET},short`],
  ] as const) {
    it(`fails session routes closed when SESSION_SECRETS is ${what}, while the catalogue works`, async () => {
      const call = (method: string, path: string) =>
        callWorker(new Request(`http://api.test${path}`, { method }), { SESSION_SECRETS: value } as Partial<
          typeof env
        >)
      const problem = await expectProblem(await call('POST', '/v1/session'), 500)
      expect(problem.type).toMatch(/misconfigured$/)
      expect(problem.detail).toContain('SESSION_SECRETS')
      await expectProblem(await call('GET', '/v1/me'), 500)
      expect((await call('GET', '/v1/skills')).status).toBe(200)
      expect(await learnerCount()).toBe(0)
    })
  }
})

describe('PATCH /v1/me', () => {
  it('changes the display name, keeping emoji and combining characters intact', async () => {
    const { cookie } = await newLearner()
    const name = 'Zoë 🎓 e\u0301'
    const updated = await json<{ displayName: string }>(
      await send('PATCH', '/v1/me', { cookie, body: { displayName: name } }),
      200,
    )
    expect(updated.displayName).toBe(name)
    const me = await json<{ displayName: string }>(await send('GET', '/v1/me', { cookie }), 200)
    expect(me.displayName).toBe(name)
  })

  it('refuses unknown keys, NUL characters and over-long names', async () => {
    const { cookie } = await newLearner()
    for (const body of [
      { displayName: 'ok', admin: true },
      { displayName: 'a\u0000b' },
      { displayName: 'x'.repeat(81) },
      {},
    ]) {
      await expectProblem(await send('PATCH', '/v1/me', { cookie, body }), 400)
    }
  })
})

describe('DELETE /v1/session', () => {
  it('clears the cookie and revokes the session everywhere, keeping the learner’s history', async () => {
    const { cookie } = await newLearner()
    const res = await send('DELETE', '/v1/session', { cookie })
    expect(res.status).toBe(204)
    expect(res.headers.get('set-cookie')).toMatch(/^sid=; Max-Age=0/)
    await expectProblem(await send('GET', '/v1/me', { cookie }), 401)
    expect(await learnerCount()).toBe(1)
    // A later POST /v1/session with the revoked cookie starts someone new.
    expect((await send('POST', '/v1/session', { cookie })).status).toBe(201)
  })

  it('is 204 without a session too', async () => {
    expect((await api('/v1/session', { method: 'DELETE' })).status).toBe(204)
  })
})

describe('DELETE /v1/me', () => {
  it('deletes the learner with their attempts and skill states, and clears the cookie', async () => {
    const { skill, activity } = await insertCatalogue(db)
    const { cookie, id } = await newLearner()
    const other = await newLearner()
    await db.insert(attempts).values([
      { learnerId: id, activityId: activity.id },
      { learnerId: other.id, activityId: activity.id },
    ])
    await db.insert(skillStates).values({ learnerId: id, skillId: skill.id })

    const res = await send('DELETE', '/v1/me', { cookie })
    expect(res.status).toBe(204)
    expect(res.headers.get('set-cookie')).toMatch(/^sid=; Max-Age=0/)
    expect(await db.select().from(learners).where(eq(learners.id, id))).toEqual([])
    expect((await db.select().from(attempts)).map((a) => a.learnerId)).toEqual([other.id])
    expect(await db.select().from(skillStates)).toEqual([])
    await expectProblem(await send('DELETE', '/v1/me', { cookie }), 401)
  })
})
