/**
 * What an attempt answers and shows: questions drawn and shuffled in SQL at its start and stored;
 * immutable content versions; review policies, decided at submit and stored per question, so every
 * later presentation (history, replays, export) shows exactly what the submit showed.
 */
import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { attempts } from '../src/db/schema.ts'
import { api, expectProblem, json, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()
const activity = PRACTICE.activities

type Question = { id: string; prompt: string; kind: string; choices?: { id: string; text: string }[] }
type Feedback = {
  questionId: string
  correct: boolean | null
  pointsAwarded: number | null
  expected?: unknown
  explanation?: string
  revealed: boolean
  credited: boolean
}
type Attempt = {
  id: string
  contentVersion: number
  score: number | null
  passed: boolean | null
  questions?: Question[]
  feedback: Feedback[] | null
}

const start = async (cookie: string, activityId: string) =>
  json<Attempt>(await send('POST', `/v1/activities/${activityId}/attempts`, { cookie }), 201)

const submit = (cookie: string, attemptId: string, answers: Record<string, unknown>, key?: string) =>
  api(`/v1/attempts/${attemptId}/submit`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/json', ...(key && { 'Idempotency-Key': key }) },
    body: JSON.stringify({ response: { answers } }),
  })

/** The right answer to a seeded times-table question ("What is 7 × 8?", or the choice of 4 + 4 + 4). */
const rightAnswer = (question: Question) => {
  if (question.kind === 'single_choice') return 'a'
  const [, a, b] = question.prompt.match(/(\d+) × (\d+)/) ?? []
  return Number(a) * Number(b)
}
const wrongAnswer = (question: Question) => (question.kind === 'single_choice' ? 'b' : -1)

const patchContent = (activityId: string, content: unknown) =>
  send('PATCH', `/v1/admin/activities/${activityId}`, { admin: true, body: { content } })

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

describe('question pools and shuffling', () => {
  it('draws the attempt’s own questions at its start, stores them, and grades them in the order shown', async () => {
    const { cookie } = await newLearner()
    const attempt = await start(cookie, activity.timesTables)
    const drawn = attempt.questions ?? []
    expect(drawn).toHaveLength(4)
    expect(new Set(drawn.map((q) => q.id)).size).toBe(4)
    const [row] = await db.select().from(attempts).where(eq(attempts.id, attempt.id))
    expect(row?.questions.map((q) => q.id)).toEqual(drawn.map((q) => q.id))

    // The same questions, in the same order, when the attempt is read again.
    const again = await json<Attempt>(await send('GET', `/v1/me/attempts/${attempt.id}`, { cookie }), 200)
    expect(again.questions).toEqual(drawn)

    const answers = Object.fromEntries(drawn.map((q) => [q.id, rightAnswer(q)]))
    const result = await json<{ attempt: Attempt; passed: boolean }>(
      await submit(cookie, attempt.id, answers),
      200,
    )
    expect(result.passed).toBe(true)
    expect(result.attempt.score).toBe(4)
    expect(result.attempt.feedback?.map((f) => f.questionId)).toEqual(drawn.map((q) => q.id))
  })

  it('refuses an answer to a question the attempt did not draw, with a pointer, and writes nothing', async () => {
    const { cookie } = await newLearner()
    const attempt = await start(cookie, activity.timesTables)
    const drawnIds = new Set((attempt.questions ?? []).map((q) => q.id))
    const undrawn = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8'].find((id) => !drawnIds.has(id)) as string
    const problem = await expectProblem(await submit(cookie, attempt.id, { [undrawn]: 1 }), 400)
    expect(problem.errors).toEqual([
      { pointer: `#/response/answers/${undrawn}`, detail: 'this attempt has no such question' },
    ])
    const [row] = await db.select().from(attempts).where(eq(attempts.id, attempt.id))
    expect(row?.status).toBe('in_progress')
  })

  it('varies the selection, the question order and the choice order between attempts', async () => {
    const content = {
      shuffle: true,
      questions: ['a', 'b', 'c', 'd', 'e'].map((id) => ({
        id,
        kind: 'single_choice',
        prompt: `Pick ${id}1`,
        choices: [1, 2, 3, 4].map((n) => ({ id: `${id}${n}`, text: `${id}${n}` })),
        answer: `${id}1`,
      })),
    }
    await json(await patchContent(activity.additionQuiz, content), 200)
    const orders = new Set<string>()
    const choiceOrders = new Set<string>()
    const selections = new Set<string>()
    for (let i = 0; i < 8; i++) {
      const { cookie } = await newLearner()
      const attempt = await start(cookie, activity.additionQuiz)
      const questions = attempt.questions ?? []
      orders.add(questions.map((q) => q.id).join())
      choiceOrders.add(questions[0]?.choices?.map((c) => c.id).join() ?? '')
      // Graded by id, whatever the order shown.
      const answers = Object.fromEntries(questions.map((q) => [q.id, `${q.id}1`]))
      const result = await json<{ attempt: Attempt }>(await submit(cookie, attempt.id, answers), 200)
      expect(result.attempt.score).toBe(5)

      const pool = await newLearner()
      const drawn = await start(pool.cookie, activity.timesTables)
      selections.add(
        (drawn.questions ?? [])
          .map((q) => q.id)
          .sort()
          .join(),
      )
    }
    // 5! orders, 4! choice orders, 70 selections: eight identical draws would be a broken shuffle.
    expect(orders.size).toBeGreaterThan(1)
    expect(choiceOrders.size).toBeGreaterThan(1)
    expect(selections.size).toBeGreaterThan(1)
  })
})

describe('content versions', () => {
  it('grades an attempt against the version it started on, whatever an author does meanwhile', async () => {
    const { cookie } = await newLearner()
    const before = await start(cookie, activity.addition)
    expect(before.contentVersion).toBe(1)
    // The author changes the answer of q1 (2 + 3 becomes 2 + 4) while the attempt is open.
    const edited = {
      questions: [
        { id: 'q1', kind: 'numeric', prompt: 'What is 2 + 4?', answer: 6 },
        { id: 'q2', kind: 'numeric', prompt: 'What is 4 + 4?', answer: 8 },
      ],
    }
    await json(await patchContent(activity.addition, edited), 200)
    const old = await json<{ attempt: Attempt }>(
      await submit(cookie, before.id, { q1: 5, q2: 8, q3: 9 }),
      200,
    )
    expect(old.attempt).toMatchObject({ contentVersion: 1, score: 3 })

    const after = await start(cookie, activity.addition)
    expect(after.contentVersion).toBe(2)
    expect(after.questions?.map((q) => q.prompt)).toEqual(['What is 2 + 4?', 'What is 4 + 4?'])
    const graded = await json<{ attempt: Attempt }>(await submit(cookie, after.id, { q1: 6, q2: 8 }), 200)
    expect(graded.attempt).toMatchObject({ contentVersion: 2, score: 2 })

    // Renaming does not make a version; only content does.
    await json(
      await send('PATCH', `/v1/admin/activities/${activity.addition}`, {
        admin: true,
        body: { name: 'Sums' },
      }),
      200,
    )
    expect((await start(cookie, activity.addition)).contentVersion).toBe(2)
  })

  it('keeps item statistics per version: an edited question is another question', async () => {
    const { cookie } = await newLearner()
    const first = await start(cookie, activity.addition)
    await json(await submit(cookie, first.id, { q1: 5, q2: 8, q3: 9 }), 200)
    await json(
      await patchContent(activity.addition, {
        questions: [{ id: 'q1', kind: 'numeric', prompt: '1 + 1?', answer: 2 }],
      }),
      200,
    )
    const second = await start(cookie, activity.addition)
    await json(await submit(cookie, second.id, { q1: 3 }), 200)

    type Stats = {
      version: number
      currentVersion: number
      attempts: { completed: number }
      questions: { questionId: string; facility: number | null }[]
    }
    const stats = (query = '') =>
      send('GET', `/v1/admin/activities/${activity.addition}/stats${query}`, { admin: true })
    const current = await json<Stats>(await stats(), 200)
    expect(current).toMatchObject({ version: 2, currentVersion: 2, attempts: { completed: 1 } })
    expect(current.questions).toEqual([expect.objectContaining({ questionId: 'q1', facility: 0 })])
    const v1 = await json<Stats>(await stats('?version=1'), 200)
    expect(v1).toMatchObject({ version: 1, currentVersion: 2, attempts: { completed: 1 } })
    expect(v1.questions.map((q) => [q.questionId, q.facility])).toEqual([
      ['q1', 1],
      ['q2', 1],
      ['q3', 1],
    ])
    await expectProblem(await stats('?version=3'), 404)
  })
})

describe('review policies', () => {
  it('`answers: never` marks each question without ever showing a key, in every later presentation', async () => {
    const { cookie } = await newLearner()
    const attempt = await start(cookie, activity.timesTables)
    const [first, ...rest] = attempt.questions ?? []
    const answers = {
      [first?.id as string]: wrongAnswer(first as Question),
      ...Object.fromEntries(rest.map((q) => [q.id, rightAnswer(q)])),
    }
    const res = await submit(cookie, attempt.id, answers, 'never-key')
    const submitted = (await json<{ attempt: Attempt }>(res, 200)).attempt
    expect(submitted.feedback?.map((f) => f.correct)).toEqual([false, true, true, true])
    for (const feedback of submitted.feedback ?? []) {
      expect(feedback).toMatchObject({ revealed: false })
      expect(feedback).not.toHaveProperty('expected')
      expect(feedback).not.toHaveProperty('explanation')
    }
    // The policy changes to `always` afterwards: what this attempt showed does not.
    await json(
      await send('PATCH', `/v1/admin/activities/${activity.timesTables}`, {
        admin: true,
        body: {
          content: {
            draw: 4,
            shuffle: true,
            review: { answers: 'always' },
            questions: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
              id: `q${n}`,
              kind: 'numeric',
              prompt: `What is ${n} × 3?`,
              answer: n * 3,
            })),
          },
        },
      }),
      200,
    )
    const replay = await submit(cookie, attempt.id, answers, 'never-key')
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    const history = await json<Attempt>(await send('GET', `/v1/me/attempts/${attempt.id}`, { cookie }), 200)
    const exported = await json<{ attempts: Attempt[] }>(await send('GET', '/v1/me/export', { cookie }), 200)
    for (const shown of [
      (await json<{ attempt: Attempt }>(replay, 200)).attempt,
      history,
      exported.attempts[0],
    ]) {
      expect(shown?.feedback).toEqual(submitted.feedback)
      expect(JSON.stringify(shown?.feedback)).not.toContain('expected')
    }
  })

  it('a challenge shows the score only: no correctness, no points per question, no keys', async () => {
    const { cookie } = await newLearner()
    const attempt = await start(cookie, activity.challenge)
    const result = await json<{ attempt: Attempt }>(
      await submit(cookie, attempt.id, { q1: 63, q2: 1, q3: 'b' }),
      200,
    )
    expect(result.attempt.score).toBe(3) // q1 is worth 2 points
    for (const feedback of result.attempt.feedback ?? []) {
      expect(feedback).toMatchObject({ correct: null, pointsAwarded: null, revealed: false })
      expect(feedback).not.toHaveProperty('expected')
    }
  })

  it('a quiz reveals answered questions’ keys only once passed; unanswered ones stay hidden', async () => {
    const { cookie } = await newLearner()
    // q1 and q2 (2 of 4 points) pass it now; q3 stays unanswered.
    const admin = await json<{ content: Record<string, unknown> }>(
      await send('GET', `/v1/admin/activities/${activity.additionQuiz}`, { admin: true }),
      200,
    )
    await json(await patchContent(activity.additionQuiz, { ...admin.content, passingScore: 0.5 }), 200)
    const failed = await start(cookie, activity.additionQuiz)
    const failedResult = await json<{ attempt: Attempt }>(await submit(cookie, failed.id, { q1: 'a' }), 200)
    expect(failedResult.attempt.feedback?.map((f) => f.revealed)).toEqual([false, false, false])
    const passing = await start(cookie, activity.additionQuiz)
    const passed = await json<{ attempt: Attempt; passed: boolean }>(
      await submit(cookie, passing.id, { q1: 'b', q2: ['c', 'a'] }),
      200,
    )
    expect(passed.passed).toBe(true)
    const byId = Object.fromEntries((passed.attempt.feedback ?? []).map((f) => [f.questionId, f]))
    expect(byId.q1).toMatchObject({ revealed: true, expected: 'b' })
    expect(byId.q3).toMatchObject({ revealed: false })
    expect(byId.q3).not.toHaveProperty('expected')
  })

  it('lists the activity’s draw, shuffle and effective review policy in the catalogue', async () => {
    type Activity = { content: { draw: number | null; shuffle: boolean; review: unknown } }
    const pool = await json<Activity>(await send('GET', `/v1/activities/${activity.timesTables}`), 200)
    expect(pool.content).toMatchObject({
      draw: 4,
      shuffle: true,
      review: { correctness: true, answers: 'never' },
    })
    const challenge = await json<Activity>(await send('GET', `/v1/activities/${activity.challenge}`), 200)
    expect(challenge.content).toMatchObject({
      draw: null,
      shuffle: false,
      review: { correctness: false, answers: 'never' },
    })
  })
})
