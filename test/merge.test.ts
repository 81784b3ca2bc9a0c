/**
 * Merging at sign-in: only what is anonymous, only when asked, and the result is what one learner
 * doing all of it would have — checked against a reference learner who really did it all, through
 * the API, in the same order.
 */
import { neonConfig } from '@neondatabase/serverless'
import { and, eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attempts, idempotencyKeys, learners, skillStates } from '../src/db/schema.ts'
import { insertAttempt } from './fixtures.ts'
import {
  api,
  authoredActivity,
  beforeBatchWith,
  cookieFrom,
  expectProblem,
  json,
  newLearner,
  send,
  testDb,
} from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'
import { registerPasskey, SoftwareAuthenticator, signIn, signInOptions } from './webauthn.ts'

const db = testDb()
const { activities: ACTIVITY, skills: SKILL } = PRACTICE

type Answers = Record<string, string | number | string[]>
const RIGHT: Record<string, Answers> = {
  addition: { q1: 5, q2: 8, q3: 9 },
  takeAway: { q1: 5, q2: 7 },
}
const WRONG: Answers = { q1: 0, q2: 0, q3: 0 }

/** Starts and submits an activity (with an Idempotency-Key, so the learner has keys too). */
async function answer(cookie: string, activityId: string, answers: Answers) {
  const started = await json<{ id: string }>(
    await send('POST', `/v1/activities/${activityId}/attempts`, { cookie }),
    201,
  )
  const res = await api(`/v1/attempts/${started.id}/submit`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ response: { answers } }),
  })
  await json(res, 200)
}

type Step = [who: 'owner' | 'device', activity: keyof typeof ACTIVITY, answers: Answers]

/** The steps in order, by the owner and the device; and by a reference learner, all of them. */
async function play(steps: Step[], cookies: { owner: string; device: string; reference?: string }) {
  for (const [who, activity, answers] of steps) {
    await answer(cookies[who], ACTIVITY[activity], answers)
    if (cookies.reference) await answer(cookies.reference, ACTIVITY[activity], answers)
  }
}

const stateOf = async (learnerId: string, skillId: string) =>
  (
    await db
      .select()
      .from(skillStates)
      .where(and(eq(skillStates.learnerId, learnerId), eq(skillStates.skillId, skillId)))
  )[0]

const attemptsOf = (learnerId: string) => db.select().from(attempts).where(eq(attempts.learnerId, learnerId))

/** A learner with a synced passkey, and a copy of it on another device's authenticator. */
async function ownerWithPasskey() {
  const owner = await newLearner()
  const phone = new SoftwareAuthenticator({ synced: true })
  await json(await registerPasskey(owner.cookie, phone), 201)
  return { ...owner, phone }
}

const copyOf = (phone: SoftwareAuthenticator) => {
  const laptop = new SoftwareAuthenticator({ synced: true })
  phone.copyTo(laptop)
  return laptop
}

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

afterEach(() => {
  neonConfig.fetchFunction = undefined
})

describe('signing in with merge: true', () => {
  it('brings every attempt over and recomputes each skill as if one learner had done it all, in completion order', async () => {
    const owner = await ownerWithPasskey()
    const device = await newLearner()
    const reference = await newLearner()
    await play(
      [
        ['owner', 'addition', RIGHT.addition as Answers],
        ['device', 'addition', WRONG],
        ['owner', 'takeAway', RIGHT.takeAway as Answers],
        ['device', 'scientificMethod', { q1: 'b' }],
        ['device', 'addition', RIGHT.addition as Answers],
      ],
      { owner: owner.cookie, device: device.cookie, reference: reference.cookie },
    )
    const ownerBefore = await stateOf(owner.id, SKILL.math)
    const deviceBefore = await stateOf(device.id, SKILL.math)

    const preview = (await signInOptions(device.cookie)).merge
    expect(preview).toEqual({
      allowed: true,
      reason: null,
      attempts: 3,
      skills: 2,
      lastActivityAt: expect.any(String),
    })
    // The device's latest attempt: what the page judges "recent" by.
    const latest = (await attemptsOf(device.id))
      .map((a) => Math.max(a.startedAt.getTime(), a.completedAt?.getTime() ?? 0))
      .reduce((a, b) => Math.max(a, b))
    expect(Date.parse((preview as { lastActivityAt: string }).lastActivityAt)).toBe(latest)
    const res = await signIn(copyOf(owner.phone), { cookie: device.cookie, merge: true })
    const body = await json<{ learner: { id: string }; merged: unknown }>(res.clone(), 200)
    expect(body).toEqual({
      learner: expect.objectContaining({ id: owner.id }),
      merged: { attempts: 3, skills: 2 },
    })

    expect(await attemptsOf(owner.id)).toHaveLength(5)
    expect(await db.select().from(learners).where(eq(learners.id, device.id))).toEqual([])
    expect(await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.learnerId, device.id))).toEqual(
      [],
    )
    await expectProblem(await send('GET', '/v1/me', { cookie: device.cookie }), 401)
    expect(
      (await json<{ id: string }>(await send('GET', '/v1/me', { cookie: cookieFrom(res) }), 200)).id,
    ).toBe(owner.id)

    for (const skillId of [SKILL.math, SKILL.science]) {
      const merged = await stateOf(owner.id, skillId)
      const expected = await stateOf(reference.id, skillId)
      expect(merged?.status).toBe(expected?.status)
      expect(merged?.progress).toBeCloseTo(expected?.progress ?? Number.NaN, 12)
      expect(merged?.masteryScore).toBeCloseTo(expected?.masteryScore ?? Number.NaN, 12)
    }
    // Versions only go up: above both learners' versions before.
    const merged = await stateOf(owner.id, SKILL.math)
    expect(merged?.version).toBe(Math.max(ownerBefore?.version ?? 0, deviceBefore?.version ?? 0) + 1)
    // And the API reports what the database holds.
    const skills = await json<{ items: { skillId: string; masteryScore: number }[] }>(
      await send('GET', '/v1/me/skills', { cookie: owner.cookie }),
      200,
    )
    expect(skills.items.find((s) => s.skillId === SKILL.math)?.masteryScore).toBe(merged?.masteryScore)
  })

  it('replays parameterised attempts on their stored values, and rewrites the credit flags with the states', async () => {
    const activity = await authoredActivity({
      questions: [
        {
          id: 'sum',
          kind: 'numeric',
          prompt: 'What is {a} + {b}?',
          variables: { a: { min: 1, max: 9, step: 1 }, b: { min: 1, max: 9, step: 1 } },
          answer: 'a + b',
        },
        { id: 'fixed', kind: 'numeric', prompt: 'What is 3 + 4?', answer: 7 },
      ],
    })
    const practise = async (cookie: string) => {
      const start = await send('POST', `/v1/activities/${activity.id}/attempts`, { cookie })
      const started = await json<{ id: string; questions: { id: string; prompt: string }[] }>(start, 201)
      const [a = 0, b = 0] = (started.questions[0]?.prompt.match(/\d+/g) ?? []).map(Number)
      const body = { response: { answers: { sum: a + b, fixed: 7 } } }
      return json<{ attempt: { id: string } }>(
        await send('POST', `/v1/attempts/${started.id}/submit`, { cookie, body }),
        200,
      )
    }
    const owner = await ownerWithPasskey()
    const device = await newLearner()
    await practise(owner.cookie)
    const { attempt: late } = await practise(device.cookie) // the device's first: its fixed question counted
    const creditOf = async () => {
      const [row] = await db.select().from(attempts).where(eq(attempts.id, late.id))
      if (!row) throw new Error('the attempt is gone')
      return { row, credited: (row.feedback as { credited: boolean }[]).map((f) => f.credited) }
    }
    const before = await creditOf()
    expect(before.credited).toEqual([true, true])

    await json(await signIn(copyOf(owner.phone), { cookie: device.cookie, merge: true }), 200)
    // One learner now answered the fixed question twice within its window: the later is no evidence.
    // The instance was new for each: it counts, on the values each attempt stored.
    const after = await creditOf()
    expect(after.credited).toEqual([true, false])
    expect(after.row.bindings).toEqual(before.row.bindings)
    const { items } = await json<{ items: { id: string; values: unknown }[] }>(
      await send('GET', `/v1/me/attempts?activityId=${activity.id}`, { cookie: owner.cookie }),
      200,
    )
    expect(items.find((item) => item.id === late.id)?.values).toEqual({
      sum: (before.row.bindings as { sum: { values: unknown } }).sum.values,
    })
  })

  it('carries the device learner’s classes over to the merged learner', async () => {
    const created = await send('POST', '/v1/admin/classes', { admin: true, body: { name: 'Year 4' } })
    const year4 = await json<{ id: string; joinCode: string }>(created, 201)
    const owner = await ownerWithPasskey()
    const device = await newLearner()
    await json(
      await send('POST', '/v1/me/classes', { cookie: device.cookie, body: { code: year4.joinCode } }),
      201,
    )
    const res = await signIn(copyOf(owner.phone), { cookie: device.cookie, merge: true })
    await json(res, 200)
    const mine = await json<{ items: { id: string }[] }>(
      await send('GET', '/v1/me/classes', { cookie: cookieFrom(res) }),
      200,
    )
    expect(mine.items.map((item) => item.id)).toEqual([year4.id])
  })

  it('keeps one open attempt per activity: the older of two is abandoned', async () => {
    const owner = await ownerWithPasskey()
    const device = await newLearner()
    const start = async (cookie: string) =>
      (
        await json<{ id: string }>(
          await send('POST', `/v1/activities/${ACTIVITY.challenge}/attempts`, { cookie }),
          201,
        )
      ).id
    const older = await start(owner.cookie)
    const newer = await start(device.cookie)
    await json(await signIn(copyOf(owner.phone), { cookie: device.cookie, merge: true }), 200)
    const rows = await attemptsOf(owner.id)
    expect(rows.map((row) => [row.id, row.status]).sort()).toEqual(
      [
        [older, 'abandoned'],
        [newer, 'in_progress'],
      ].sort(),
    )
  })

  it('is refused for a learner with a passkey, or signed in on another device; nothing moves', async () => {
    const owner = await ownerWithPasskey()
    const device = await newLearner()
    await answer(device.cookie, ACTIVITY.addition, WRONG)
    const own = new SoftwareAuthenticator({ synced: true })
    const passkey = await json<{ id: string }>(await registerPasskey(device.cookie, own), 201)

    expect((await signInOptions(device.cookie)).merge).toEqual({
      allowed: false,
      reason: 'has_passkey',
      attempts: 1,
      skills: 1,
      lastActivityAt: expect.any(String),
    })
    const refused = await expectProblem(
      await signIn(copyOf(owner.phone), { cookie: device.cookie, merge: true }),
      409,
    )
    expect(refused.detail).toMatch(/passkey of their own/)

    // Signed in elsewhere too, then the passkey removed: anonymous, but not only here.
    await json(await signIn(own), 200)
    expect((await send('DELETE', `/v1/me/passkeys/${passkey.id}`, { cookie: device.cookie })).status).toBe(
      204,
    )
    expect((await signInOptions(device.cookie)).merge).toMatchObject({
      allowed: false,
      reason: 'other_sessions',
    })
    await expectProblem(await signIn(copyOf(owner.phone), { cookie: device.cookie, merge: true }), 409)

    expect(await attemptsOf(device.id)).toHaveLength(1)
    expect(await attemptsOf(owner.id)).toHaveLength(0)
  })

  it('merges nothing without a session, or when this device is already the passkey’s learner', async () => {
    const owner = await ownerWithPasskey()
    const fresh = await json<{ merged: unknown }>(await signIn(copyOf(owner.phone), { merge: true }), 200)
    expect(fresh.merged).toBeNull()
    const again = await signIn(owner.phone, { cookie: owner.cookie, merge: true })
    expect((await json<{ merged: unknown }>(again.clone(), 200)).merged).toBeNull()
    expect(cookieFrom(again)).not.toBe(owner.cookie)
    await expectProblem(await send('GET', '/v1/me', { cookie: owner.cookie }), 401)
  })

  it('runs again when the device’s learner changed between its read and its write', async () => {
    const owner = await ownerWithPasskey()
    const device = await newLearner()
    await answer(device.cookie, ACTIVITY.addition, RIGHT.addition as Answers)
    // Another tab of the device starts an activity while the merge is on its way.
    beforeBatchWith('merge_unchanged', () => insertAttempt(db, device.id, ACTIVITY.takeAway))
    const body = await json<{ merged: { attempts: number } }>(
      await signIn(copyOf(owner.phone), { cookie: device.cookie, merge: true }),
      200,
    )
    expect(body.merged.attempts).toBe(2)
    expect(await attemptsOf(owner.id)).toHaveLength(2)
  })
})

describe('two devices merging into one learner at once', () => {
  it('lose and duplicate nothing', async () => {
    const owner = await ownerWithPasskey()
    const devices = [await newLearner(), await newLearner(), await newLearner()]
    const reference = await newLearner()
    await answer(owner.cookie, ACTIVITY.addition, WRONG)
    await answer(reference.cookie, ACTIVITY.addition, WRONG)
    for (const [i, device] of devices.entries()) {
      const answers = i % 2 ? WRONG : (RIGHT.addition as Answers)
      await answer(device.cookie, ACTIVITY.addition, answers)
      await answer(reference.cookie, ACTIVITY.addition, answers)
    }
    const results = await Promise.all(
      devices.map((device) => signIn(copyOf(owner.phone), { cookie: device.cookie, merge: true })),
    )
    for (const res of results) await json(res, 200)
    const rows = await attemptsOf(owner.id)
    expect(rows).toHaveLength(4)
    expect(new Set(rows.map((row) => row.id)).size).toBe(4)
    const merged = await stateOf(owner.id, SKILL.math)
    const expected = await stateOf(reference.id, SKILL.math)
    expect(merged?.masteryScore).toBeCloseTo(expected?.masteryScore ?? Number.NaN, 12)
    expect(merged?.status).toBe(expected?.status)
  })
})
