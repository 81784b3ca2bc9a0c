/**
 * A browser with a learner of its own meets an LTI launch's learner: a top-level page (the new-window
 * launch, a platform on the same site) gets both cookies. The launch's session is the one used, and
 * the learner page may bring the browser's own learner's progress over, as passkey sign-in does.
 */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { attempts, learners, passkeys } from '../src/db/schema.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import {
  completeActivity,
  cookieFrom,
  countRoundTrips,
  expectProblem,
  json,
  send,
  testDb,
} from './helpers.ts'
import { CLAIM, claims, cookieValue, launch, login, registerPlatform, signed } from './lti-launch.ts'

/** The browser's own learner, with one completed activity: their `sid` cookie and id. */
async function browserLearnerWithProgress(activityId: string) {
  const started = await send('POST', '/v1/session')
  const cookie = cookieFrom(started)
  const { id } = await json<{ id: string }>(started, 201)
  await completeActivity(cookie, activityId, { q1: 2, q2: 'b' })
  return { cookie, id }
}

async function launched(issuer: string, activityId: string) {
  const { state, nonce, cookie } = await login(issuer)
  const token = await signed({
    claims: claims(issuer, nonce, { [`${CLAIM}/custom`]: { activity: activityId } }),
  })
  const res = await launch({ id_token: token, state }, cookie)
  expect(res.status).toBe(303)
  return cookieValue(res, 'lti_sid') as string
}

async function setUp() {
  const db = testDb()
  const skill = await insertSkill(db)
  const activity = await insertActivity(db, (await insertUnit(db, skill.id)).id)
  const platform = await registerPlatform()
  const own = await browserLearnerWithProgress(activity.id)
  const lti = await launched(platform.issuer, activity.id)
  // As Chromium sends them: the older cookie first.
  return { db, skill, activity, own, lti, both: `${own.cookie}; ${lti}` }
}

describe('a launch’s learner and the browser’s own', () => {
  it('uses the launch’s session when both come, and brings the browser’s progress over when asked', async () => {
    const { db, skill, own, lti, both } = await setUp()
    const me = await json<{ id: string; displayName: string }>(
      await send('GET', '/v1/me', { cookie: both }),
      200,
    )
    expect(me.displayName).toBe('Ada Lovelace')
    expect(me.id).not.toBe(own.id)

    const preview = await countRoundTrips(() => send('GET', '/v1/me/merge', { cookie: both }))
    expect(preview.roundTrips).toBe(1)
    expect(await json(preview.result, 200)).toEqual({
      merge: { allowed: true, reason: null, attempts: 1, skills: 1, lastActivityAt: expect.any(String) },
    })

    const merged = await countRoundTrips(() => send('POST', '/v1/me/merge', { cookie: both }))
    expect(merged.roundTrips).toBe(2)
    expect(await json(merged.result, 200)).toEqual({ merged: { attempts: 1, skills: 1 } })
    // The browser's own cookie is cleared, the launch's kept.
    const cleared = merged.result.headers.getSetCookie()
    expect(cleared).toEqual([expect.stringMatching(/^sid=; Max-Age=0/)])

    expect(await db.select().from(attempts).where(eq(attempts.learnerId, me.id))).toHaveLength(1)
    expect(await db.select().from(learners).where(eq(learners.id, own.id))).toEqual([])
    const skills = await json<{ items: { skillId: string; status: string }[] }>(
      await send('GET', '/v1/me/skills', { cookie: lti }),
      200,
    )
    expect(skills.items.map((s) => s.skillId)).toContain(skill.id)
    await expectProblem(await send('GET', '/v1/me', { cookie: own.cookie }), 401)

    // Nothing left to merge: null, and a 409 that says so.
    expect(await json(await send('GET', '/v1/me/merge', { cookie: lti }), 200)).toEqual({ merge: null })
    const none = await expectProblem(await send('POST', '/v1/me/merge', { cookie: lti }), 409)
    expect(none.detail).toBe('This browser has no other learner to bring over.')
  })

  it('does not merge a browser learner who has a passkey of their own', async () => {
    const { db, own, both } = await setUp()
    await db.insert(passkeys).values({
      learnerId: own.id,
      credentialId: `credential-${own.id}`,
      publicKey: { kty: 'EC' },
      algorithm: -7,
      name: 'Phone',
    })
    expect(await json(await send('GET', '/v1/me/merge', { cookie: both }), 200)).toMatchObject({
      merge: { allowed: false, reason: 'has_passkey' },
    })
    const refused = await expectProblem(await send('POST', '/v1/me/merge', { cookie: both }), 409)
    expect(refused.detail).toBe(
      'This browser’s other learner has a passkey of their own, so it cannot be merged.',
    )
    expect(await db.select().from(attempts).where(eq(attempts.learnerId, own.id))).toHaveLength(1)
  })
})
