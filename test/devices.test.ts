/**
 * One learner, one session per device: the device list, signing devices out, the cron's cleanup of
 * what nobody can reach any more, and the export of everything stored about a learner.
 */

import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { learners, passkeys, sessions } from '../src/db/schema.ts'
import worker from '../src/index.ts'
import { deviceLabel } from '../src/session/device-label.ts'
import { api, cookieFrom, expectProblem, json, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'
import { registerPasskey, SoftwareAuthenticator, signIn } from './webauthn.ts'

const db = testDb()

type Device = { id: string; label: string; current: boolean; createdAt: string; lastUsedAt: string }

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0'
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1'

/** A learner signed in on a laptop (Firefox) and, with their passkey, on a phone (Safari). */
async function learnerOnTwoDevices() {
  const created = await api('/v1/session', { method: 'POST', headers: { 'User-Agent': FIREFOX_LINUX } })
  const laptop = cookieFrom(created)
  const { id } = await json<{ id: string }>(created, 201)
  const authenticator = new SoftwareAuthenticator()
  await json(await registerPasskey(laptop, authenticator), 201)
  const options = await json<{ publicKey: Record<string, unknown> }>(
    await send('POST', '/v1/session/passkey/options'),
    200,
  )
  const signedIn = await api('/v1/session/passkey', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': SAFARI_IPHONE },
    body: JSON.stringify({ credential: await authenticator.get(options), merge: false }),
  })
  await json(signedIn.clone(), 200)
  return { id, laptop, phone: cookieFrom(signedIn), authenticator }
}

const devicesOf = async (cookie: string) =>
  (await json<{ items: Device[] }>(await send('GET', '/v1/me/sessions', { cookie }), 200)).items

async function runCron(at = new Date()) {
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/10 * * * *' }), env)
}

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

describe('device labels', () => {
  it('name the browser and the system, and only that', () => {
    const labels = {
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36':
        'Chrome on Windows',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0':
        'Edge on Windows',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15':
        'Safari on macOS',
      'Mozilla/5.0 (Android 15; Mobile; rv:145.0) Gecko/145.0 Firefox/145.0': 'Firefox on Android',
      [SAFARI_IPHONE]: 'Safari on iPhone',
      [FIREFOX_LINUX]: 'Firefox on Linux',
      'curl/8.11.1': 'curl',
      node: 'node',
      '<script>alert(1)</script>': 'Unknown browser',
    }
    for (const [userAgent, label] of Object.entries(labels))
      expect(deviceLabel(userAgent), userAgent).toBe(label)
    expect(deviceLabel(undefined)).toBe('Unknown browser')
  })
})

describe('the device list', () => {
  it('lists each signed-in device with a label, most recent first, and marks this one', async () => {
    const { laptop, phone } = await learnerOnTwoDevices()
    const fromPhone = await devicesOf(phone)
    expect(fromPhone.map(({ label, current }) => ({ label, current }))).toEqual([
      { label: 'Safari on iPhone', current: true },
      { label: 'Firefox on Linux', current: false },
    ])
    expect((await devicesOf(laptop)).map((d) => d.current)).toEqual([false, true])
    expect(JSON.stringify(fromPhone)).not.toMatch(/token|hash/i)
  })

  it('signs one device out: its next request is a 401, the others go on', async () => {
    const { laptop, phone } = await learnerOnTwoDevices()
    const [phoneDevice] = await devicesOf(phone)
    expect((await send('DELETE', `/v1/me/sessions/${phoneDevice?.id}`, { cookie: laptop })).status).toBe(204)
    await expectProblem(await send('GET', '/v1/me', { cookie: phone }), 401)
    expect((await send('GET', '/v1/me', { cookie: laptop })).status).toBe(200)
  })

  it('signs this device out when it names itself, clearing its cookie', async () => {
    const { laptop } = await learnerOnTwoDevices()
    const self = (await devicesOf(laptop)).find((d) => d.current)
    const res = await send('DELETE', `/v1/me/sessions/${self?.id}`, { cookie: laptop })
    expect(res.status).toBe(204)
    expect(res.headers.get('set-cookie')).toMatch(/^sid=; Max-Age=0/)
    await expectProblem(await send('GET', '/v1/me', { cookie: laptop }), 401)
  })

  it('signs every other device out at once', async () => {
    const { laptop, phone } = await learnerOnTwoDevices()
    const third = await json(await signIn((await learnerOnTwoDevices()).authenticator), 200)
    expect(third).toBeDefined()
    expect((await send('DELETE', '/v1/me/sessions', { cookie: laptop })).status).toBe(204)
    await expectProblem(await send('GET', '/v1/me', { cookie: phone }), 401)
    expect((await devicesOf(laptop)).map((d) => d.label)).toEqual(['Firefox on Linux'])
  })

  it('never reaches another learner’s devices', async () => {
    const { phone } = await learnerOnTwoDevices()
    const stranger = await newLearner()
    const [device] = await devicesOf(phone)
    await expectProblem(
      await send('DELETE', `/v1/me/sessions/${device?.id}`, { cookie: stranger.cookie }),
      404,
    )
    expect((await send('GET', '/v1/me', { cookie: phone })).status).toBe(200)
  })

  it('goes with the learner: DELETE /v1/me removes every session and passkey', async () => {
    const { id, laptop, phone } = await learnerOnTwoDevices()
    expect((await send('DELETE', '/v1/me', { cookie: laptop })).status).toBe(204)
    await expectProblem(await send('GET', '/v1/me', { cookie: phone }), 401)
    expect(await db.select().from(sessions).where(eq(sessions.learnerId, id))).toEqual([])
    expect(await db.select().from(passkeys).where(eq(passkeys.learnerId, id))).toEqual([])
  })
})

describe('the cron', () => {
  const yearAndADay = sql`now() - interval '366 days'`

  it('deletes sessions idle past a year, and anonymous learners nobody can reach any more', async () => {
    const abandoned = await newLearner()
    const active = await newLearner()
    const { id: withPasskey } = await learnerOnTwoDevices()
    const signedOut = await newLearner()
    await send('DELETE', '/v1/session', { cookie: signedOut.cookie })
    for (const id of [abandoned.id, withPasskey, signedOut.id]) {
      await db.update(sessions).set({ lastUsedAt: yearAndADay }).where(eq(sessions.learnerId, id))
      await db.update(learners).set({ lastActiveAt: yearAndADay }).where(eq(learners.id, id))
    }

    await runCron()

    const remaining = (await db.select({ id: learners.id }).from(learners)).map((row) => row.id)
    expect(remaining.sort()).toEqual([active.id, withPasskey].sort())
    expect(await db.select().from(sessions).where(eq(sessions.learnerId, withPasskey))).toEqual([])
    expect(await db.select().from(passkeys).where(eq(passkeys.learnerId, withPasskey))).toHaveLength(1)
  })

  it('keeps a signed-out learner until a year after their last activity', async () => {
    const signedOut = await newLearner()
    await send('DELETE', '/v1/session', { cookie: signedOut.cookie })
    await runCron()
    expect(await db.select().from(learners).where(eq(learners.id, signedOut.id))).toHaveLength(1)
  })
})

describe('GET /v1/me/export', () => {
  it('is everything stored about the learner, as an attachment, without hashes or keys', async () => {
    const { laptop, id } = await learnerOnTwoDevices()
    const started = await json<{ id: string }>(
      await send('POST', `/v1/activities/${PRACTICE.activities.addition}/attempts`, { cookie: laptop }),
      201,
    )
    await json(
      await send('POST', `/v1/attempts/${started.id}/submit`, {
        cookie: laptop,
        body: { response: { answers: { q1: 5, q2: 8, q3: 1 } } },
      }),
      200,
    )
    const res = await send('GET', '/v1/me/export', { cookie: laptop })
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="learning-progress-\d{4}-\d\d-\d\d\.json"$/,
    )
    const body = await json<Record<string, { length: number } & unknown[]>>(res, 200)
    expect(body).toMatchObject({
      learner: { id },
      devices: [
        { label: 'Firefox on Linux', current: true },
        { label: 'Safari on iPhone', current: false },
      ],
      passkeys: [{ name: 'Unknown browser', backedUp: false }],
      attempts: [
        {
          id: started.id,
          status: 'completed',
          score: 2,
          response: { answers: { q1: 5, q2: 8, q3: 1 } },
          feedback: expect.any(Array),
        },
      ],
      skillStates: [
        {
          skillId: PRACTICE.skills.math,
          status: 'in_progress',
          reviewCard: expect.objectContaining({ reps: 0 }),
        },
      ],
    })
    const text = JSON.stringify(body)
    const [stored] = await db.select().from(passkeys).where(eq(passkeys.learnerId, id))
    expect(text).not.toContain(stored?.publicKey.x)
    expect(text).not.toContain(stored?.credentialId)
  })
})
