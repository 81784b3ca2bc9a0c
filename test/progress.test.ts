import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { and, eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { attempts, skillStates } from '../src/db/schema.ts'
import worker from '../src/index.ts'
import { bktUpdate, DEFAULT_BKT, type Observation } from '../src/mastery/bkt.ts'
import { api, countRoundTrips, expectProblem, json, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE, PRACTICE_SHAPE } from './practice-catalogue.ts'

const db = testDb()

const MATH = PRACTICE.skills.math
/** A Basic Mathematics progress: the share of its published activities passed. */
const MATH_PASSED = (passed: number) => passed / PRACTICE_SHAPE.math.activities
const SCIENCE = PRACTICE.skills.science
const activity = PRACTICE.activities
/** All-correct answers for the seeded activities. */
const perfect: Record<string, Record<string, unknown>> = {
  [activity.addition]: { q1: 5, q2: 8, q3: 9 },
  [activity.additionQuiz]: { q1: 'b', q2: ['c', 'a'], q3: 42 },
  [activity.takeAway]: { q1: 5, q2: 7, q3: ' Zero ' },
  [activity.challenge]: { q1: 63, q2: 4.5, q3: 'b' },
  [activity.scientificMethod]: { q1: 'a', q2: ['a', 'b'], q3: 'hypothesis' },
}

type Attempt = {
  id: string
  status: string
  score: number | null
  maxScore: number | null
  startedAt: string
}
type SubmitResult = {
  attempt: Attempt & { feedback: Record<string, unknown>[] }
  passed: boolean
  review: string | null
  skillState: { status: string; progress: number; masteryScore: number; nextReviewAt: string | null }
  knowledge: { unitId: string; before: number; after: number }[]
}

/** BKT observations: `c` correct, `w` wrong; single-choice questions of 3 choices are guessed 1 in 3. */
const obs = (pattern: string, guesses: number[] = []): Observation[] =>
  [...pattern].map((ch, i) => ({ correct: ch === 'c', pGuess: guesses[i] ?? DEFAULT_BKT.pGuess }))
/** All-correct observations of each seeded activity, with its guess probabilities. */
const perfectObservations: Record<string, Observation[]> = {
  [activity.addition]: obs('ccc'),
  [activity.additionQuiz]: obs('ccc', [1 / 3]),
  [activity.takeAway]: obs('ccc'),
  [activity.challenge]: obs('ccc', [0.2, 0.2, 0.5]),
  [activity.scientificMethod]: obs('ccc', [1 / 3]),
}
/** A unit's P(L) after these observations. */
const unit = (...observations: Observation[][]) =>
  bktUpdate(DEFAULT_BKT.pInit, observations.flat(), DEFAULT_BKT)
/** A skill of two units (Basic Mathematics: Addition, Subtraction): the mean of their P(L). */
const twoUnits = (addition: number, subtraction = DEFAULT_BKT.pInit) => (addition + subtraction) / 2

async function start(cookie: string, activityId: string) {
  return json<Attempt>(await send('POST', `/v1/activities/${activityId}/attempts`, { cookie }), 201)
}

async function submit(cookie: string, attemptId: string, answers: Record<string, unknown>) {
  return send('POST', `/v1/attempts/${attemptId}/submit`, { cookie, body: { response: { answers } } })
}

async function complete(cookie: string, activityId: string, answers = perfect[activityId] ?? {}) {
  const attempt = await start(cookie, activityId)
  return json<SubmitResult>(await submit(cookie, attempt.id, answers), 200)
}

const attemptRow = async (id: string) => (await db.select().from(attempts).where(eq(attempts.id, id)))[0]
const stateRow = async (learnerId: string, skillId: string) =>
  (
    await db
      .select()
      .from(skillStates)
      .where(and(eq(skillStates.learnerId, learnerId), eq(skillStates.skillId, skillId)))
  )[0]

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  )
}

describe('POST /v1/activities/{activityId}/attempts', () => {
  it('starts an attempt in one round trip', async () => {
    const { cookie } = await newLearner()
    const { result: res, roundTrips } = await countRoundTrips(() =>
      send('POST', `/v1/activities/${activity.addition}/attempts`, { cookie }),
    )
    const attempt = await json<Attempt>(res.clone(), 201)
    expect(attempt).toMatchObject({ status: 'in_progress', score: null, maxScore: null })
    expect(res.headers.get('location')).toBe(`/v1/me/attempts/${attempt.id}`)
    expect(roundTrips).toBe(1)
  })

  it('is a 404 for an unknown activity and a 401 without a session, creating nothing', async () => {
    const { cookie } = await newLearner()
    await expectProblem(await send('POST', `/v1/activities/${crypto.randomUUID()}/attempts`, { cookie }), 404)
    await expectProblem(await send('POST', `/v1/activities/${activity.addition}/attempts`), 401)
    expect(await db.select().from(attempts)).toEqual([])
  })

  it('answers the attempt already in progress with 200 instead of opening a second one, even ten at once', async () => {
    const { cookie, id } = await newLearner()
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        send('POST', `/v1/activities/${activity.addition}/attempts`, { cookie }),
      ),
    )
    const statuses = responses.map((res) => res.status).sort()
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201])
    const ids = new Set(await Promise.all(responses.map(async (res) => (await res.json<Attempt>()).id)))
    expect(ids.size).toBe(1)
    expect(await db.select().from(attempts).where(eq(attempts.learnerId, id))).toHaveLength(1)
    // Once it is submitted, starting again opens a new one.
    const [open] = ids
    await json(await submit(cookie, open as string, {}), 200)
    expect((await send('POST', `/v1/activities/${activity.addition}/attempts`, { cookie })).status).toBe(201)
  })

  it('leaves attempts open longer than OPEN_ATTEMPT_HOURS to the cron, which abandons them', async () => {
    const { cookie, id } = await newLearner()
    const old = await start(cookie, activity.addition)
    const recent = await start(cookie, activity.takeAway)
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000)
    await db
      .update(attempts)
      .set({ startedAt: hoursAgo(25) })
      .where(eq(attempts.id, old.id))
    await db
      .update(attempts)
      .set({ startedAt: hoursAgo(23) })
      .where(eq(attempts.id, recent.id))
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: '*/10 * * * *' }),
      env,
    )
    const rows = await db.select().from(attempts).where(eq(attempts.learnerId, id))
    expect(Object.fromEntries(rows.map((row) => [row.id, row.status]))).toEqual({
      [old.id]: 'abandoned',
      [recent.id]: 'in_progress',
    })
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '*/10 * * * *' }), {
      ...env,
      OPEN_ATTEMPT_HOURS: '22',
    })
    const [again] = await db.select().from(attempts).where(eq(attempts.id, recent.id))
    expect(again?.status).toBe('abandoned')
  })
})

describe('POST /v1/attempts/{attemptId}/submit', () => {
  it('grades on the server, stores the response and feedback, and updates the skill state, in two round trips', async () => {
    const { cookie, id: learnerId } = await newLearner()
    const attempt = await start(cookie, activity.additionQuiz)
    const { result: res, roundTrips } = await countRoundTrips(() =>
      submit(cookie, attempt.id, { q1: 'b', q2: ['a'], q3: 42 }),
    )
    const result = await json<SubmitResult>(res, 200)
    expect(roundTrips).toBe(2)
    expect(result.attempt).toMatchObject({ status: 'completed', score: 3, maxScore: 4 })
    expect(result.passed).toBe(true) // 3/4 = 0.75, the quiz's passing score
    expect(result.attempt.feedback.map((f) => [f.questionId, f.correct, f.expected])).toEqual([
      ['q1', true, 'b'],
      ['q2', false, ['a', 'c']],
      ['q3', true, 42],
    ])
    expect(result.attempt.feedback[0]).toHaveProperty('explanation', '12 + 8 = 20, and one more is 21.')
    // A quiz reveals the answered questions after a pass; all of them counted toward mastery.
    expect(result.attempt.feedback.map((f) => [f.revealed, f.credited])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ])
    expect(result.knowledge).toEqual([
      { unitId: PRACTICE.units.addition, before: 0.2, after: unit(obs('cwc', [1 / 3])) },
      { unitId: PRACTICE.units.subtraction, before: 0.2, after: 0.2 },
    ])
    // Basic Mathematics has 4 activities, one passed; the Addition unit's P(L) saw right (1 in 3
    // guessable), wrong, right; Subtraction is untouched, at the prior.
    const expected = twoUnits(unit(obs('cwc', [1 / 3])))
    expect(result.skillState).toEqual({
      skillId: MATH,
      status: 'in_progress',
      progress: MATH_PASSED(1),
      masteryScore: expected,
      nextReviewAt: null,
      updatedAt: expect.any(String),
    })
    expect(result.review).toBeNull()
    const row = await attemptRow(attempt.id)
    expect(row).toMatchObject({ status: 'completed', score: 3, maxScore: 4 })
    expect(row?.response).toEqual({ answers: { q1: 'b', q2: ['a'], q3: 42 } })
    expect(row?.completedAt).toBeInstanceOf(Date)
    expect(await stateRow(learnerId, MATH)).toMatchObject({
      progress: MATH_PASSED(1),
      masteryScore: expected,
      version: 1,
    })
  })

  it('counts only passing attempts toward progress; answers already shown count toward the score, not mastery', async () => {
    const { cookie } = await newLearner()
    const failed = await complete(cookie, activity.addition, { q1: 5 })
    expect(failed).toMatchObject({
      passed: false,
      skillState: { progress: 0, masteryScore: twoUnits(unit(obs('cww'))) },
    })
    // Practice shows every expected answer: the retake passes, and proves nothing about knowledge.
    const passed = await complete(cookie, activity.addition)
    expect(passed.skillState).toMatchObject({
      progress: MATH_PASSED(1),
      masteryScore: twoUnits(unit(obs('cww'))),
    })
    expect(passed.attempt.feedback.map((f) => f.credited)).toEqual([false, false, false])
    // The quiz's questions were never shown: they count.
    const quiz = await complete(cookie, activity.additionQuiz)
    expect(quiz.skillState.masteryScore).toBeCloseTo(
      twoUnits(unit(obs('cww'), perfectObservations[activity.additionQuiz] ?? [])),
      14,
    )
  })

  it('an empty submit then a retake with the keys it showed: the skill is not mastered, P(L) does not rise', async () => {
    const { cookie } = await newLearner()
    const empty = await complete(cookie, activity.addition, {})
    expect(empty.attempt.feedback.map((f) => f.expected)).toEqual([5, 8, 9])
    const retake = await complete(cookie, activity.addition, { q1: 5, q2: 8, q3: 9 })
    expect(retake).toMatchObject({ passed: true, skillState: { status: 'in_progress' } })
    expect(retake.skillState.masteryScore).toBe(empty.skillState.masteryScore)
    expect(retake.skillState.masteryScore).toBeLessThan(DEFAULT_BKT.pInit)
  })

  it('uses the skill’s own BKT parameters from its metadata', async () => {
    const tuned = { pInit: 0.5, pTransit: 0.05, pSlip: 0.2, pGuess: 0.3 }
    await json(
      await send('PATCH', `/v1/admin/skills/${MATH}`, { admin: true, body: { metadata: { bkt: tuned } } }),
      200,
    )
    const { cookie } = await newLearner()
    const result = await complete(cookie, activity.addition, { q1: 5, q2: 0, q3: 9 })
    const expected = (bktUpdate(0.5, obs('cwc', [0.3, 0.3, 0.3]), tuned) + 0.5) / 2
    expect(result.skillState.masteryScore).toBeCloseTo(expected, 14)
  })

  it('masters a skill once every unit is at P(L) ≥ 0.95, and schedules its review', async () => {
    const { cookie } = await newLearner()
    const addition = await complete(cookie, activity.addition)
    expect(addition.knowledge[0]?.after).toBeGreaterThan(0.95)
    // Subtraction untouched: 98% of Addition is half of Basic Mathematics.
    expect(addition.skillState.masteryScore).toBeCloseTo(twoUnits(unit(obs('ccc'))), 14)
    expect(addition.skillState).toMatchObject({ status: 'in_progress', nextReviewAt: null })
    const takeAway = await complete(cookie, activity.takeAway)
    expect(takeAway.skillState).toMatchObject({ status: 'mastered', progress: MATH_PASSED(2) })
    expect(takeAway.review).toBe('easy')
    expect(Date.parse(takeAway.skillState.nextReviewAt ?? '')).toBeGreaterThan(Date.now() + 86_400_000)
    const science = await complete(cookie, activity.scientificMethod)
    expect(science.skillState).toMatchObject({ skillId: SCIENCE, status: 'mastered', progress: 1 })
  })

  it('refuses a second submission with 409 and changes nothing', async () => {
    const { cookie, id } = await newLearner()
    const attempt = await start(cookie, activity.addition)
    await json(await submit(cookie, attempt.id, perfect[activity.addition] ?? {}), 200)
    const [attemptBefore, stateBefore] = [await attemptRow(attempt.id), await stateRow(id, MATH)]
    const problem = await expectProblem(await submit(cookie, attempt.id, {}), 409)
    expect(problem.detail).toMatch(/already completed/)
    expect(await attemptRow(attempt.id)).toEqual(attemptBefore)
    expect(await stateRow(id, MATH)).toEqual(stateBefore)
  })

  it('lets exactly one of ten concurrent submissions of one attempt win', async () => {
    const { cookie, id } = await newLearner()
    const attempt = await start(cookie, activity.addition)
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => submit(cookie, attempt.id, perfect[activity.addition] ?? {})),
    )
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)])
    expect(await stateRow(id, MATH)).toMatchObject({
      progress: MATH_PASSED(1),
      masteryScore: twoUnits(unit(obs('ccc'))),
      version: 1,
    })
  })

  it('loses no update when attempts at different activities of one skill are submitted at once', async () => {
    const { cookie, id } = await newLearner()
    const math = [activity.addition, activity.additionQuiz, activity.takeAway, activity.challenge]
    const started = await Promise.all(math.map((activityId) => start(cookie, activityId)))
    const responses = await Promise.all(
      started.map((attempt, i) => submit(cookie, attempt.id, perfect[math[i] as string] ?? {})),
    )
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200])
    const state = await stateRow(id, MATH)
    expect(state).toMatchObject({ status: 'mastered', progress: 1, version: 4 })
    // BKT steps do not commute: each unit's P(L) must be that of one of the orders of its activities.
    const orders = (a: string, b: string) =>
      permutations([a, b]).map((order) => unit(...order.map((id) => perfectObservations[id] ?? [])))
    const candidates = orders(activity.addition, activity.additionQuiz).flatMap((add) =>
      orders(activity.takeAway, activity.challenge).map((sub) => twoUnits(add, sub)),
    )
    expect(candidates.some((value) => Math.abs(value - (state?.masteryScore ?? 0)) < 1e-12)).toBe(true)
  })

  it('is a 404 for another learner’s attempt, and changes nothing', async () => {
    const owner = await newLearner()
    const intruder = await newLearner()
    const attempt = await start(owner.cookie, activity.addition)
    await expectProblem(await submit(intruder.cookie, attempt.id, perfect[activity.addition] ?? {}), 404)
    await expectProblem(
      await send('POST', `/v1/attempts/${attempt.id}/abandon`, { cookie: intruder.cookie }),
      404,
    )
    await expectProblem(await send('GET', `/v1/me/attempts/${attempt.id}`, { cookie: intruder.cookie }), 404)
    expect((await attemptRow(attempt.id))?.status).toBe('in_progress')
    expect(await db.select().from(skillStates)).toEqual([])
  })

  it('refuses answers it cannot grade, listing each, and writes nothing', async () => {
    const { cookie } = await newLearner()
    const attempt = await start(cookie, activity.additionQuiz)
    const problem = await expectProblem(await submit(cookie, attempt.id, { q1: ['b'], q3: '42', q9: 1 }), 400)
    expect(problem.errors?.map((e) => e.pointer)).toEqual([
      '#/response/answers/q1',
      '#/response/answers/q3',
      '#/response/answers/q9',
    ])
    expect((await attemptRow(attempt.id))?.status).toBe('in_progress')
  })

  it('refuses malformed bodies before any query', async () => {
    const { cookie } = await newLearner()
    const attempt = await start(cookie, activity.addition)
    const path = `/v1/attempts/${attempt.id}/submit`
    const post = (body: string, contentType?: string) =>
      countRoundTrips(() =>
        api(path, {
          method: 'POST',
          body,
          headers: { Cookie: cookie, ...(contentType && { 'Content-Type': contentType }) },
        }),
      )
    const valid = JSON.stringify({ response: { answers: { q1: 5 } } })
    const cases: [string, string | undefined, number][] = [
      ['{', 'application/json', 400],
      [
        JSON.stringify({ response: { answers: {} }, learnerId: crypto.randomUUID() }),
        'application/json',
        400,
      ],
      [JSON.stringify({ answers: { q1: 5 } }), 'application/json', 400],
      [JSON.stringify({ response: { answers: { q1: 'x'.repeat(501) } } }), 'application/json', 400],
      [JSON.stringify({ response: { answers: { q1: 'a\u0000' } } }), 'application/json', 400],
      [valid, 'text/plain', 415],
      [valid, 'application/x-www-form-urlencoded', 415],
      [valid, undefined, 415],
      [JSON.stringify({ response: { answers: { q1: 'x'.repeat(70_000) } } }), 'application/json', 413],
    ]
    for (const [body, contentType, status] of cases) {
      const { result, roundTrips } = await post(body, contentType)
      await expectProblem(result, status)
      expect(roundTrips, `${contentType} ${body.slice(0, 40)}`).toBe(0)
    }
    const { result } = await post(valid, 'application/json; charset=utf-8')
    expect(result.status).toBe(200)
  })
})

describe('POST /v1/attempts/{attemptId}/abandon', () => {
  it('abandons an attempt in progress once; then it can be neither abandoned nor submitted', async () => {
    const { cookie } = await newLearner()
    const attempt = await start(cookie, activity.addition)
    const abandoned = await json<Attempt>(
      await send('POST', `/v1/attempts/${attempt.id}/abandon`, { cookie }),
      200,
    )
    expect(abandoned.status).toBe('abandoned')
    await expectProblem(await send('POST', `/v1/attempts/${attempt.id}/abandon`, { cookie }), 409)
    await expectProblem(await submit(cookie, attempt.id, {}), 409)
    await expectProblem(await send('POST', `/v1/attempts/${crypto.randomUUID()}/abandon`, { cookie }), 404)
  })
})

describe('GET /v1/me/attempts', () => {
  type Page = { items: Attempt[]; nextCursor: string | null }

  it('lists this learner’s attempts newest first, filtered, across pages', async () => {
    const { cookie } = await newLearner()
    const other = await newLearner()
    await start(other.cookie, activity.addition)
    const ids: string[] = []
    // One attempt per activity can be open at a time: each is abandoned before the next starts.
    for (let i = 0; i < 5; i++) {
      const { id } = await start(cookie, activity.addition)
      ids.push(id)
      if (i < 4) await json(await send('POST', `/v1/attempts/${id}/abandon`, { cookie }), 200)
    }
    ids.push((await complete(cookie, activity.takeAway)).attempt.id)

    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: Page = await json<Page>(
        await send('GET', `/v1/me/attempts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { cookie }),
        200,
      )
      seen.push(...page.items.map((a) => a.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([...ids].reverse())

    const completed = await json<Page>(await send('GET', '/v1/me/attempts?status=completed', { cookie }), 200)
    expect(completed.items.map((a) => a.id)).toEqual([ids[5]])
    const addition = await json<Page>(
      await send('GET', `/v1/me/attempts?activityId=${activity.addition}`, { cookie }),
      200,
    )
    expect(addition.items).toHaveLength(5)
  })

  it('pages correctly through attempts started in the same transaction instant', async () => {
    const { cookie, id } = await newLearner()
    const startedAt = new Date('2026-01-01T00:00:00.000Z')
    await db.insert(attempts).values(
      Array.from({ length: 5 }, () => ({
        learnerId: id,
        activityId: activity.addition,
        startedAt,
        status: 'abandoned' as const,
      })),
    )
    const first = await json<Page>(await send('GET', '/v1/me/attempts?limit=3', { cookie }), 200)
    const second = await json<Page>(
      await send('GET', `/v1/me/attempts?limit=3&cursor=${first.nextCursor}`, { cookie }),
      200,
    )
    expect(new Set([...first.items, ...second.items].map((a) => a.id)).size).toBe(5)
    expect(second.nextCursor).toBeNull()
  })

  it('refuses unknown statuses, bad activity ids and tampered cursors', async () => {
    const { cookie } = await newLearner()
    for (const query of ['status=done', 'activityId=123', 'cursor=Zm9v', 'limit=0']) {
      await expectProblem(await send('GET', `/v1/me/attempts?${query}`, { cookie }), 400)
    }
  })

  it('refuses a forged cursor that names no real instant (a 400, never a database error)', async () => {
    const { cookie } = await newLearner()
    const forge = (startedAt: string) =>
      btoa(JSON.stringify([startedAt, crypto.randomUUID()]))
        .replaceAll('+', '-')
        .replaceAll('/', '_')
        .replace(/=+$/, '')
    for (const startedAt of [
      '2026-13-45T99:99:99.000000Z',
      '0000-01-01T00:00:00.000000Z',
      '2026-02-30T10:00:00.000000Z',
    ]) {
      const problem = await expectProblem(
        await send('GET', `/v1/me/attempts?cursor=${forge(startedAt)}`, { cookie }),
        400,
      )
      expect(problem.errors?.[0]?.parameter, startedAt).toBe('cursor')
    }
    const real = forge('2026-02-28T10:00:00.123456Z')
    expect((await send('GET', `/v1/me/attempts?cursor=${real}`, { cookie })).status).toBe(200)
  })
})

describe('GET /v1/me/skills and /v1/me/skills/{skillId}', () => {
  it('lists every skill, not_started (at the prior P(L)) where the learner has no state', async () => {
    const { cookie } = await newLearner()
    await complete(cookie, activity.scientificMethod)
    const { result: res, roundTrips } = await countRoundTrips(() => send('GET', '/v1/me/skills', { cookie }))
    const { items } = await json<{ items: Record<string, unknown>[] }>(res.clone(), 200)
    expect(roundTrips).toBe(1)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(items).toEqual([
      {
        skillId: MATH,
        name: 'Basic Mathematics',
        level: 1,
        status: 'not_started',
        progress: 0,
        masteryScore: DEFAULT_BKT.pInit,
        nextReviewAt: null,
        updatedAt: null,
        recommendedAfter: [],
      },
      // Recommended after Basic Mathematics, which this learner has not mastered.
      expect.objectContaining({
        skillId: PRACTICE.skills.multiplication,
        status: 'not_started',
        recommendedAfter: [{ id: MATH, name: 'Basic Mathematics', level: 1 }],
      }),
      expect.objectContaining({ skillId: SCIENCE, name: 'Science', status: 'mastered', progress: 1 }),
    ])
  })

  it('shows progress and knowledge per unit for one skill', async () => {
    const { cookie } = await newLearner()
    await complete(cookie, activity.addition)
    await complete(cookie, activity.additionQuiz, {})
    const additionKnowledge = unit(obs('ccc'), obs('www', [1 / 3]))
    const { result: res, roundTrips } = await countRoundTrips(() =>
      send('GET', `/v1/me/skills/${MATH}`, { cookie }),
    )
    const detail = await json<{ units: Record<string, unknown>[]; progress: number }>(res, 200)
    expect(roundTrips).toBe(1)
    expect(detail.progress).toBe(MATH_PASSED(1))
    expect(detail.units).toEqual([
      {
        unitId: expect.any(String),
        name: 'Addition',
        order: 1,
        activityCount: 2,
        completedCount: 2,
        passedCount: 1,
        knowledge: additionKnowledge,
      },
      {
        unitId: expect.any(String),
        name: 'Subtraction',
        order: 2,
        activityCount: 2,
        completedCount: 0,
        passedCount: 0,
        knowledge: DEFAULT_BKT.pInit,
      },
    ])
    expect(detail).toMatchObject({ masteryScore: twoUnits(additionKnowledge) })
    await expectProblem(await send('GET', `/v1/me/skills/${crypto.randomUUID()}`, { cookie }), 404)
  })
})
