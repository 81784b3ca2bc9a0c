/**
 * Questions that renew (content/parameterised.ts) and credit that is honest (mastery/credit.ts), as a
 * learner and an author meet them through the API: instances per attempt, what a learner never sees,
 * the authoring check, the credit window, and what the learner is told counts.
 */
import { eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { consumeChanges } from '../src/analytics/aggregates.ts'
import type { ActivityContentInput } from '../src/content/schema.ts'
import { attempts, skillStates, units } from '../src/db/schema.ts'
import { replaySkill } from '../src/mastery/replay.ts'
import { masteryStateOf } from '../src/mastery/state.ts'
import {
  completedHistory,
  replayable,
  replayedSkill,
  skillActivities,
} from '../src/progress/merge/history.ts'
import { insertSkill, insertUnit } from './fixtures.ts'
import { authoredActivity, expectProblem, json, newLearner, send, submitTokenOf, testDb } from './helpers.ts'

type Choice = { id: string; text: string }
type AttemptQuestion = { id: string; kind: string; prompt: string; renews: boolean; choices?: Choice[] }
type Feedback = {
  questionId: string
  correct: boolean | null
  credited: boolean
  countsAgainAt: string | null
  retired: boolean
}
type Submitted = {
  attempt: { feedback: Feedback[]; values: Record<string, Record<string, number>> | null; score: number }
  knowledge: { unitId: string; before: number; after: number }[]
}

/** Addition within ten, and a product to pick among near misses: both parameterised. */
const RENEWING: ActivityContentInput = {
  questions: [
    {
      id: 'sum',
      kind: 'numeric',
      prompt: 'What is {a} + {b}?',
      variables: { a: { min: 1, max: 9, step: 1 }, b: { min: 1, max: 9, step: 1 } },
      constraints: ['a + b <= 10'],
      answer: 'a + b',
      explanation: '{a} and {b} more is {= a + b}.',
    },
    {
      id: 'product',
      kind: 'single_choice',
      prompt: 'Which is {a} × {b}?',
      variables: { a: { min: 2, max: 9, step: 1 }, b: { min: 2, max: 9, step: 1 } },
      choices: [
        { id: 'right', text: '{= a * b}' },
        { id: 'sum', text: '{= a + b}' },
        { id: 'near', text: '{= a * b + 1}' },
      ],
      answer: 'right',
    },
  ],
}

/** The right answers to an attempt's instances, read off their prompts as a learner would. */
function solve(questions: AttemptQuestion[]): Record<string, unknown> {
  const answers: Record<string, unknown> = {}
  for (const question of questions) {
    const [a, b] = (question.prompt.match(/\d+/g) ?? []).map(Number) as [number, number]
    if (question.id === 'sum') answers.sum = a + b
    if (question.id === 'product')
      answers.product = question.choices?.find((c) => c.text === String(a * b))?.id
  }
  return answers
}

async function start(cookie: string, activityId: string) {
  const res = await send('POST', `/v1/activities/${activityId}/attempts`, { cookie })
  const attempt = await json<{ id: string; questions: AttemptQuestion[] }>(res.clone(), res.status)
  return { attempt, token: submitTokenOf(res) }
}

async function submit(cookie: string, started: Awaited<ReturnType<typeof start>>, answers: object) {
  return json<Submitted>(
    await send('POST', `/v1/attempts/${started.attempt.id}/submit`, {
      cookie,
      body: { response: { answers } },
      headers: started.token,
    }),
    200,
  )
}

describe('parameterised questions', () => {
  it('give each attempt its own instance, graded on its values, and a retake a new one, credited', async () => {
    const activity = await authoredActivity(RENEWING)
    const { cookie } = await newLearner()
    const first = await start(cookie, activity.id)
    expect(first.attempt.questions.map((q) => q.renews)).toEqual([true, true])
    expect(first.attempt.questions[0]?.prompt).toMatch(/^What is \d \+ \d+\?$/)
    // This attempt's own choice ids: never the authored ones.
    const ids = first.attempt.questions[1]?.choices?.map((c) => c.id) ?? []
    expect(ids).toHaveLength(3)
    for (const id of ids) expect(['right', 'sum', 'near']).not.toContain(id)

    const graded = await submit(cookie, first, solve(first.attempt.questions))
    expect(graded.attempt.score).toBe(2)
    expect(graded.attempt.feedback.map((f) => [f.correct, f.credited, f.countsAgainAt])).toEqual([
      [true, true, null],
      [true, true, null],
    ])
    const [a, b] = (first.attempt.questions[0]?.prompt.match(/\d+/g) ?? []).map(Number)
    expect(graded.attempt.values?.sum).toEqual({ a, b })

    const second = await start(cookie, activity.id)
    expect(second.attempt.questions.map((q) => q.prompt)).not.toEqual(
      first.attempt.questions.map((q) => q.prompt),
    )
    const retake = await submit(cookie, second, solve(second.attempt.questions))
    expect(retake.attempt.feedback.map((f) => f.credited)).toEqual([true, true])
    const unit = retake.knowledge.find((k) => k.unitId === activity.unitId)
    expect(unit?.after).toBeGreaterThan(unit?.before ?? 1)

    // The item analysis counts the picks by the authored choices, whatever ids each attempt drew.
    await consumeChanges(testDb()) // what the cron does
    const dashboard = await json<{
      questions: { questionId: string; choices: { choiceId: string; picks: number }[] | null }[]
    }>(await send('GET', `/v1/admin/activities/${activity.id}/analytics`, { admin: true }), 200)
    const product = dashboard.questions.find((q) => q.questionId === 'product')
    expect(product?.choices?.map((c) => [c.choiceId, c.picks])).toEqual([
      ['right', 2],
      ['sum', 0],
      ['near', 0],
    ])
  })

  it('draws the same instance again after an abandon: re-drawing for an easy one gets nowhere', async () => {
    const activity = await authoredActivity(RENEWING)
    const { cookie } = await newLearner()
    const first = await start(cookie, activity.id)
    await json(await send('POST', `/v1/attempts/${first.attempt.id}/abandon`, { cookie }), 200)
    const again = await start(cookie, activity.id)
    expect(again.attempt.id).not.toBe(first.attempt.id)
    expect(again.attempt.questions).toEqual(first.attempt.questions)
  })

  it('never shows a learner a template: no variable, expression, raw choice text or authored choice id', async () => {
    const activity = await authoredActivity(RENEWING)
    const { cookie } = await newLearner()
    const bodies: string[] = []
    const read = async (res: Response) => {
      bodies.push(await res.clone().text())
      return res
    }
    const view = await json<{ content: { questions: AttemptQuestion[] } }>(
      await read(await send('GET', `/v1/activities/${activity.id}`)),
      200,
    )
    expect(view.content.questions.map((q) => [q.prompt, q.choices ?? null])).toEqual([
      ['What is … + …?', null],
      ['Which is … × …?', []],
    ])
    const started = await start(cookie, activity.id)
    bodies.push(JSON.stringify(started.attempt))
    await read(
      await send('POST', `/v1/attempts/${started.attempt.id}/submit`, {
        cookie,
        body: { response: { answers: solve(started.attempt.questions) } },
        headers: started.token,
      }),
    )
    for (const path of [
      `/v1/me/attempts/${started.attempt.id}`,
      '/v1/me/attempts',
      '/v1/me/export',
      `/v1/me/activities/${activity.id}/credit`,
    ])
      await read(await send('GET', path, { cookie }))
    for (const body of bodies)
      for (const secret of ['variables', 'constraints', '{=', '{a}', 'a + b', '"right"', '"near"'])
        expect(body, `${secret} reached a learner`).not.toContain(secret)
  })
})

describe('history and replay', () => {
  it('replay the stored instances to the same credit, feedback and state as the live submits', async () => {
    // Parameterised and fixed questions side by side, under a window short enough to pass in the test.
    const mixed: ActivityContentInput = {
      questions: [...RENEWING.questions, { id: 'fixed', kind: 'numeric', prompt: '3 + 4?', answer: 7 }],
      review: { creditAgainAfterHours: 0.001 }, // 3.6 s
    }
    const activity = await authoredActivity(mixed)
    const { cookie, id: learnerId } = await newLearner()
    const live: Feedback[][] = []
    const values: Submitted['attempt']['values'][] = []
    for (const pause of [0, 0, 4000, 0]) {
      await new Promise((resolve) => setTimeout(resolve, pause))
      const started = await start(cookie, activity.id)
      const submitted = await submit(cookie, started, { ...solve(started.attempt.questions), fixed: 7 })
      live.push(submitted.attempt.feedback)
      values.push(submitted.attempt.values)
    }
    expect(live.map((feedback) => feedback.map((f) => f.credited))).toEqual([
      [true, true, true],
      [true, true, false], // new instances count; the fixed question inside its window does not
      [true, true, true], // its window passed
      [true, true, false], // …and doubled
    ])

    const db = testDb()
    const [unit] = await db.select().from(units).where(eq(units.id, activity.unitId))
    const skillId = unit?.skillId as string
    const [history, structure, [stored]] = await db.batch([
      completedHistory(db, eq(attempts.learnerId, learnerId)),
      skillActivities(db, inArray(units.skillId, [skillId])),
      db.select().from(skillStates).where(eq(skillStates.learnerId, learnerId)),
    ])
    const replayed = replaySkill(replayedSkill(structure, skillId), replayable(history, skillId))
    expect(stored && masteryStateOf(stored)).toEqual(replayed.state)
    const byCompletion = [...history].sort((a, b) => Number(a.completedAt) - Number(b.completedAt))
    expect(byCompletion.map((row) => replayed.credit.get(row.id))).toEqual(
      live.map((feedback) =>
        feedback.map(({ questionId, credited, countsAgainAt, retired }) => ({
          questionId,
          credited,
          countsAgainAt,
          retired,
        })),
      ),
    )
    // The researchers' CSV reads the stored instances too: one row per question, its values as JSON.
    const csv = await (
      await send('GET', `/v1/admin/activities/${activity.id}/attempts.csv`, { admin: true })
    ).text()
    for (const bound of values) {
      const cell = `"${JSON.stringify(bound?.sum).replaceAll('"', '""')}"`
      expect(csv).toContain(cell)
    }
  }, 20_000)
})

describe('the authoring check', () => {
  const question = (overrides: object) => ({
    questions: [{ ...(RENEWING.questions[0] as object), ...overrides }],
  })
  const refused = async (content: object) => {
    const db = testDb()
    const unit = await insertUnit(db, (await insertSkill(db)).id)
    const res = await send('POST', '/v1/admin/activities', {
      admin: true,
      body: { unitId: unit.id, name: 'Broken', content },
    })
    return (await expectProblem(res, 400)).errors ?? []
  }

  it('points at the field whose placeholder or expression does not parse or names no variable', async () => {
    expect(await refused(question({ prompt: 'What is {a} + {c}?' }))).toContainEqual({
      pointer: '#/content/questions/0/prompt',
      detail: expect.stringContaining('{c}'),
    })
    expect(await refused(question({ answer: 'a +' }))).toContainEqual(
      expect.objectContaining({ pointer: '#/content/questions/0/answer' }),
    )
    expect(await refused(question({ variables: undefined }))).toContainEqual(
      expect.objectContaining({ pointer: '#/content/questions/0/constraints' }),
    )
  })

  it('refuses constraints nothing satisfies, answers that never compute, colliding choices and hidden digits', async () => {
    expect(await refused(question({ constraints: ['a + b > 20'] }))).toContainEqual({
      pointer: '#/content/questions/0/constraints',
      detail: 'No combination of values satisfies the constraints.',
    })
    expect(await refused(question({ answer: 'a / (a - a)' }))).toContainEqual({
      pointer: '#/content/questions/0/answer',
      detail: expect.stringMatching(/^No instance works: .* \(for a = \d, b = \d\)\.$/),
    })
    const collide = structuredClone(RENEWING.questions[1]) as { choices: Choice[] }
    collide.choices[1] = { id: 'sum', text: '{= b * a}' }
    expect(await refused({ questions: [collide] })).toContainEqual({
      pointer: '#/content/questions/0/choices',
      detail: expect.stringMatching(/^Two choices read the same in 100 % of sample instances/),
    })
    expect(await refused(question({ answer: 'a / 3', tolerance: 0 }))).toContainEqual({
      pointer: '#/content/questions/0/tolerance',
      detail: expect.stringContaining('more digits than are shown'),
    })
  })
})
