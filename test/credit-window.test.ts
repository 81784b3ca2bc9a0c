/**
 * The credit rule (mastery/credit.ts) through the API: a fixed question answered or shown within its
 * window is no evidence; after the window it is, the window doubling; probing a score-only activity
 * earns nothing for the keys it harvests; and the learner is told what counts, and when.
 */
import { describe, expect, it } from 'vitest'
import type { ActivityContentInput } from '../src/content/schema.ts'
import { authoredActivity, json, newLearner, send, submitTokenOf } from './helpers.ts'

type Feedback = { questionId: string; credited: boolean; countsAgainAt: string | null; retired: boolean }
type Submitted = {
  attempt: { feedback: Feedback[]; score: number; completedAt: string }
  knowledge: { unitId: string; before: number; after: number }[]
}
type Credit = {
  renews: boolean
  creditAgainAfterHours: number | null
  questions: { id: string; renews: boolean; countsAgainAt: string | null; retired: boolean }[]
}

const HOUR = 3_600_000

const fixed = (review: object = {}): ActivityContentInput => ({
  questions: [
    { id: 'q1', kind: 'numeric', prompt: '2 + 3?', answer: 5 },
    {
      id: 'q2',
      kind: 'single_choice',
      prompt: 'Which is even?',
      choices: [
        { id: 'a', text: '3' },
        { id: 'b', text: '4' },
        { id: 'c', text: '5' },
      ],
      answer: 'b',
    },
  ],
  review,
})

async function attempt(cookie: string, activityId: string, answers: object) {
  const start = await send('POST', `/v1/activities/${activityId}/attempts`, { cookie })
  const { id } = await json<{ id: string }>(start.clone(), 201)
  return json<Submitted>(
    await send('POST', `/v1/attempts/${id}/submit`, {
      cookie,
      body: { response: { answers } },
      headers: submitTokenOf(start),
    }),
    200,
  )
}

const credited = (submitted: Submitted) => submitted.attempt.feedback.map((f) => f.credited)
const credit = async (cookie: string, activityId: string) =>
  json<Credit>(await send('GET', `/v1/me/activities/${activityId}/credit`, { cookie }), 200)

describe('the credit window', () => {
  it('credits a practice retake of fixed questions again only after 20 h, and says when', async () => {
    const activity = await authoredActivity(fixed())
    const { cookie } = await newLearner()
    expect(await credit(cookie, activity.id)).toEqual({
      renews: false,
      draw: null,
      creditAgainAfterHours: 20,
      questions: ['q1', 'q2'].map((id) => ({ id, renews: false, countsAgainAt: null, retired: false })),
    })
    const first = await attempt(cookie, activity.id, { q1: 5, q2: 'b' })
    expect(credited(first)).toEqual([true, true])
    const again = Date.parse(first.attempt.completedAt) + 20 * HOUR
    for (const f of first.attempt.feedback)
      expect(Math.abs(Date.parse(f.countsAgainAt ?? '') - again)).toBeLessThan(5)

    const retake = await attempt(cookie, activity.id, { q1: 5, q2: 'b' })
    expect(credited(retake)).toEqual([false, false])
    const unit = retake.knowledge.find((k) => k.unitId === activity.unitId)
    expect(unit?.after).toBe(unit?.before) // a 2/2 pass, and no evidence
    // Not credited, so the window has not doubled: it still ends 20 h after the latest answer.
    const latest = Date.parse(retake.attempt.completedAt) + 20 * HOUR
    const told = await credit(cookie, activity.id)
    for (const q of told.questions)
      expect(Math.abs(Date.parse(q.countsAgainAt ?? '') - latest)).toBeLessThan(5)
  })

  it('credits again once a short window has passed, and doubles the window with each credited repeat', async () => {
    const activity = await authoredActivity(fixed({ creditAgainAfterHours: 0.001 })) // 3.6 s
    const { cookie } = await newLearner()
    await attempt(cookie, activity.id, { q1: 5, q2: 'b' })
    expect(credited(await attempt(cookie, activity.id, { q1: 5, q2: 'b' }))).toEqual([false, false])
    await new Promise((resolve) => setTimeout(resolve, 4000))
    const later = await attempt(cookie, activity.id, { q1: 5, q2: 'b' })
    expect(credited(later)).toEqual([true, true])
    // One credited repeat: the next window is 7.2 s.
    const next = Date.parse(later.attempt.feedback[0]?.countsAgainAt ?? '')
    expect(Math.round((next - Date.parse(later.attempt.completedAt)) / 100) * 100).toBe(7200)
  }, 20_000)

  it('gives nothing for keys harvested by probing a score-only test', async () => {
    const activity = await authoredActivity(fixed(), 'test')
    const { cookie } = await newLearner()
    const probeA = await attempt(cookie, activity.id, { q2: 'a' })
    const probeB = await attempt(cookie, activity.id, { q2: 'b' })
    expect([probeA.attempt.score, probeB.attempt.score]).toEqual([0, 1]) // the key is "b"
    const final = await attempt(cookie, activity.id, { q1: 5, q2: 'b' })
    expect(final.attempt.score).toBe(2)
    // q1 was never answered before: evidence. q2's key was harvested: none, for a week.
    expect(credited(final)).toEqual([true, false])
    const told = await credit(cookie, activity.id)
    expect(told.creditAgainAfterHours).toBe(168)
    const q2 = told.questions.find((q) => q.id === 'q2')
    expect(Date.parse(q2?.countsAgainAt ?? '') - Date.parse(final.attempt.completedAt)).toBeGreaterThan(
      167 * HOUR,
    )
  })

  it('retires a question shown under a window of null: it never counts again', async () => {
    const activity = await authoredActivity(fixed({ creditAgainAfterHours: null }))
    const { cookie } = await newLearner()
    await attempt(cookie, activity.id, {})
    const told = await credit(cookie, activity.id)
    expect(told.questions.map((q) => [q.countsAgainAt, q.retired])).toEqual([
      [null, true],
      [null, true],
    ])
    expect(credited(await attempt(cookie, activity.id, { q1: 5, q2: 'b' }))).toEqual([false, false])
  })
})
