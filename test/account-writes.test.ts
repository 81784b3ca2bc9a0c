/**
 * The learner's account writes (PATCH/DELETE /v1/me, joining and leaving classes, signing devices
 * out, renaming and removing passkeys) go through the one learner-write protocol: an optional
 * Idempotency-Key replays the first answer, a lost response is an outcome-unknown 503 naming where
 * to look, and a session ended meanwhile is a 401.
 */
import { neonConfig } from '@neondatabase/serverless'
import { count, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { classes, classMembers, learners, sessions } from '../src/db/schema.ts'
import { api, cookieFrom, expectProblem, json, newLearner, testDb } from './helpers.ts'

const db = testDb()

afterEach(() => {
  neonConfig.fetchFunction = undefined
})

function send(method: string, path: string, cookie: string, key?: string, body?: unknown) {
  const headers: Record<string, string> = { Cookie: cookie }
  if (key !== undefined) headers['Idempotency-Key'] = key
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return api(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

async function newClass(name: string) {
  const joinCode = Array.from({ length: 8 }, (_, i) => CODE_ALPHABET[(name.length * 7 + i * 5) % 32]).join('')
  const [made] = await db.insert(classes).values({ name, joinCode, createdBy: 'test' }).returning()
  if (!made) throw new Error('no class')
  return made
}

describe('account writes with an Idempotency-Key', () => {
  it('a renamed learner: the retry replays the same answer; another body with the key is a 422', async () => {
    const { cookie } = await newLearner()
    const first = await send('PATCH', '/v1/me', cookie, '"rename-1"', { displayName: 'Ada' })
    const body = await first.clone().text()
    expect(first.status).toBe(200)
    const again = await send('PATCH', '/v1/me', cookie, '"rename-1"', { displayName: 'Ada' })
    expect(again.status).toBe(200)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(JSON.parse(await again.text())).toEqual(JSON.parse(body))
    await expectProblem(await send('PATCH', '/v1/me', cookie, '"rename-1"', { displayName: 'Bea' }), 422)
    const [learner] = await db.select().from(learners)
    expect(learner?.displayName).toBe('Ada')
  })

  it('joining a class: the replay keeps the first status (201), not the 200 of joining again', async () => {
    const { cookie } = await newLearner()
    const joined = await newClass('Year 4')
    const first = await send('POST', '/v1/me/classes', cookie, 'join-1', { code: joined.joinCode })
    expect(await json(first.clone(), 201)).toMatchObject({ id: joined.id, name: 'Year 4' })
    const replay = await send('POST', '/v1/me/classes', cookie, 'join-1', { code: joined.joinCode })
    expect(replay.status).toBe(201)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(await replay.json()).toEqual(await first.json())
    // Without the key, joining again is the ordinary 200.
    expect((await send('POST', '/v1/me/classes', cookie, undefined, { code: joined.joinCode })).status).toBe(
      200,
    )
    expect((await db.select({ n: count() }).from(classMembers))[0]?.n).toBe(1)
  })

  it('leaving a class, signing a device out, removing nothing: replays are 204, misses stay 404', async () => {
    const { cookie } = await newLearner()
    const joined = await newClass('Year 5')
    await json(await send('POST', '/v1/me/classes', cookie, undefined, { code: joined.joinCode }), 201)
    const leave = () => send('DELETE', `/v1/me/classes/${joined.id}`, cookie, 'leave-1')
    expect((await leave()).status).toBe(204)
    const replayed = await leave()
    expect(replayed.status).toBe(204)
    expect(replayed.headers.get('idempotent-replayed')).toBe('true')
    // A miss records nothing: the same key answers the same 404 again.
    const missing = `/v1/me/passkeys/${crypto.randomUUID()}`
    await expectProblem(await send('DELETE', missing, cookie, 'miss-1'), 404)
    await expectProblem(await send('DELETE', missing, cookie, 'miss-1'), 404)
  })
})

describe('account writes whose response is lost', () => {
  it('answer 503 naming where to look, and the retry with the same key replays', async () => {
    const { cookie, id } = await newLearner()
    // A second device of the same learner, to sign out.
    const [device] = await db
      .insert(sessions)
      .values({ learnerId: id, tokenHash: 'f'.repeat(64), label: 'Firefox on Linux' })
      .returning()
    if (!device) throw new Error('no device')
    neonConfig.fetchFunction = async (url: string, init: RequestInit) => {
      const res = await fetch(url, init)
      if (/delete from \\"sessions\\"/i.test(String(init.body)))
        throw new TypeError('Network connection lost.')
      return res
    }
    const lost = await expectProblem(
      await send('DELETE', `/v1/me/sessions/${device.id}`, cookie, 'out-1'),
      503,
    )
    neonConfig.fetchFunction = undefined
    expect(lost.detail).toMatch(/may or may not have been applied/)
    expect(lost.resource).toBe('/v1/me/sessions')
    const retry = await send('DELETE', `/v1/me/sessions/${device.id}`, cookie, 'out-1')
    expect(retry.status).toBe(204)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await db.select().from(sessions).where(eq(sessions.id, device.id))).toEqual([])
  })
})

describe('account writes after the session ended', () => {
  it('are a 401 that clears the cookie, and change nothing', async () => {
    const created = await api('/v1/session', { method: 'POST' })
    const cookie = cookieFrom(created)
    await db.delete(sessions)
    const refused = await send('PATCH', '/v1/me', cookie, undefined, { displayName: 'Ada' })
    await expectProblem(refused.clone(), 401)
    expect(refused.headers.get('set-cookie')).toMatch(/sid=;/)
    const [learner] = await db.select().from(learners)
    expect(learner?.displayName).toBeNull()
  })
})
