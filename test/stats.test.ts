/** Item statistics, checked against values computed here from the same answer patterns. */
import { describe, expect, it } from 'vitest'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { countRoundTrips, expectProblem, json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()

function pearson(xs: number[], ys: number[]) {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
  const [mx, my] = [mean(xs), mean(ys)]
  const cov = xs.reduce((sum, x, i) => sum + (x - mx) * ((ys[i] as number) - my), 0)
  const sd = (v: number[], m: number) => Math.sqrt(v.reduce((sum, x) => sum + (x - m) ** 2, 0))
  return cov / (sd(xs, mx) * sd(ys, my))
}

type Stats = {
  attempts: Record<string, number>
  meanScoreRatio: number | null
  passRate: number | null
  questions: {
    questionId: string
    responses: number
    facility: number | null
    discrimination: number | null
  }[]
}

describe('GET /v1/admin/activities/{activityId}/stats', () => {
  it('reports attempts, mean ratio, pass rate, facility and discrimination in one round trip', async () => {
    const unit = await insertUnit(db, (await insertSkill(db)).id)
    const q = (id: string, answer: number, points = 1) => ({
      id,
      kind: 'numeric' as const,
      prompt: id,
      answer,
      points,
    })
    const activity = await insertActivity(db, unit.id, {
      content: { passingScore: 0.5, questions: [q('q1', 1), q('q2', 2, 2), q('q3', 3), q('q4', 4)] },
    })
    // Which questions each of five learners gets right (q4: nobody answers it right).
    const patterns = [
      [1, 1, 1, 0],
      [1, 1, 0, 0],
      [1, 0, 1, 0],
      [0, 0, 0, 0],
      [1, 1, 1, 0],
    ]
    for (const pattern of patterns) {
      const { cookie } = await newLearner()
      const attempt = await json<{ id: string }>(
        await send('POST', `/v1/activities/${activity.id}/attempts`, { cookie }),
        201,
      )
      const answers = Object.fromEntries(pattern.map((right, i) => [`q${i + 1}`, right ? i + 1 : -1]))
      await json(
        await send('POST', `/v1/attempts/${attempt.id}/submit`, { cookie, body: { response: { answers } } }),
        200,
      )
    }
    const abandoner = await newLearner()
    const abandoned = await json<{ id: string }>(
      await send('POST', `/v1/activities/${activity.id}/attempts`, { cookie: abandoner.cookie }),
      201,
    )
    await send('POST', `/v1/attempts/${abandoned.id}/abandon`, { cookie: abandoner.cookie })
    await send('POST', `/v1/activities/${activity.id}/attempts`, { cookie: abandoner.cookie })

    const { result: res, roundTrips } = await countRoundTrips(() =>
      send('GET', `/v1/admin/activities/${activity.id}/stats`, { admin: true }),
    )
    const stats = await json<Stats>(res, 200)
    expect(roundTrips).toBe(1)

    const points = [1, 2, 1, 1]
    const scores = patterns.map((p) => p.reduce((sum, right, i) => sum + right * (points[i] as number), 0))
    expect(stats.attempts).toEqual({ started: 7, completed: 5, abandoned: 1, inProgress: 1 })
    expect(stats.meanScoreRatio).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / 5 / 5, 12)
    expect(stats.passRate).toBeCloseTo(scores.filter((s) => s / 5 >= 0.5).length / 5, 12)
    expect(stats.questions.map((x) => x.questionId)).toEqual(['q1', 'q2', 'q3', 'q4'])
    stats.questions.forEach((question, i) => {
      const right = patterns.map((p) => p[i] as number)
      const rest = scores.map((score, k) => score - (right[k] as number) * (points[i] as number))
      expect(question.responses).toBe(5)
      expect(question.facility).toBeCloseTo(right.reduce((a, b) => a + b, 0) / 5, 12)
      if (i === 3)
        expect(question.discrimination).toBeNull() // no variation: undefined
      else expect(question.discrimination).toBeCloseTo(pearson(right, rest), 10)
    })
  })

  it('is all zeros and nulls for an activity nobody attempted, and 404 for an unknown one', async () => {
    const activity = await insertActivity(db, (await insertUnit(db, (await insertSkill(db)).id)).id)
    const stats = await json<Stats>(
      await send('GET', `/v1/admin/activities/${activity.id}/stats`, { admin: true }),
      200,
    )
    expect(stats).toMatchObject({
      attempts: { started: 0, completed: 0 },
      meanScoreRatio: null,
      passRate: null,
    })
    expect(stats.questions.map((q) => [q.responses, q.facility])).toEqual([
      [0, null],
      [0, null],
    ])
    await expectProblem(
      await send('GET', `/v1/admin/activities/${crypto.randomUUID()}/stats`, { admin: true }),
      404,
    )
    await expectProblem(await send('GET', `/v1/admin/activities/${activity.id}/stats`), 401)
  })
})
