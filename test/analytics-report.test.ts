/** The dashboards' arithmetic (src/analytics/report.ts), on rows made by hand. */
import { describe, expect, it } from 'vitest'
import type { QuestionRow } from '../src/analytics/dashboards.ts'
import { activityReport, MIN_RESPONSES } from '../src/analytics/report.ts'
import { activityContent } from '../src/content/schema.ts'

const content = activityContent.parse({
  questions: [{ id: 'q', kind: 'numeric', prompt: 'p', answer: 1 }],
})

/** The sums the aggregates keep, from (correct, rest-of-score) pairs. */
function rowOf(pairs: [correct: 0 | 1, rest: number][]): QuestionRow {
  const sum = (f: (pair: [number, number]) => number) => pairs.reduce((total, pair) => total + f(pair), 0)
  return {
    question_id: 'q',
    responses: pairs.length,
    correct: sum(([x]) => x),
    rest_sum: sum(([, y]) => y),
    rest_squares: sum(([, y]) => y * y),
    correct_rest_sum: sum(([x, y]) => x * y),
  }
}

/** Pearson's r computed the plain way, to hold the sums formula to. */
function pearson(pairs: [number, number][]) {
  const n = pairs.length
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n
  const cov = pairs.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0)
  const vx = pairs.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  const vy = pairs.reduce((s, [, y]) => s + (y - my) ** 2, 0)
  return cov / Math.sqrt(vx * vy)
}

const questionOf = (pairs: [0 | 1, number][]) =>
  activityReport(content, { daily: [], bands: [], questions: [rowOf(pairs)], picks: [] }).questions[0]

describe('item analysis', () => {
  it('computes discrimination from the kept sums exactly as Pearson’s r of the raw pairs', () => {
    const pairs: [0 | 1, number][] = [
      [1, 9],
      [1, 7],
      [0, 3],
      [1, 8],
      [0, 5],
      [0, 2],
      [1, 4],
      [0, 6],
    ]
    expect(questionOf(pairs)?.discrimination).toBeCloseTo(pearson(pairs), 12)
    // Undefined without variation, or with a single response.
    expect(
      questionOf([
        [1, 3],
        [1, 5],
      ])?.discrimination,
    ).toBeNull()
    expect(questionOf([[1, 3]])?.discrimination).toBeNull()
  })

  it(`flags from ${MIN_RESPONSES} responses on, with the usual bands`, () => {
    const many = (correct: number, total: number, rest: (i: number) => number): [0 | 1, number][] =>
      Array.from({ length: total }, (_, i) => [i < correct ? 1 : 0, rest(i)])
    // 19 of 20 right, the strong ones right: too easy, discriminating.
    expect(questionOf(many(19, 20, (i) => 20 - i))?.flags).toEqual(['too_easy'])
    // 2 of 10 right, and those the weakest: too hard and negatively discriminating.
    expect(questionOf(many(2, 10, (i) => i))?.flags).toEqual(['too_hard', 'negatively_discriminating'])
    // Half right, barely related to the rest of the score: poorly discriminating.
    const noise = [5, 1, 4, 2, 3, 3, 2, 4, 1, 5]
    expect(questionOf(many(5, 10, (i) => noise[i] ?? 0))?.flags).toEqual(['poorly_discriminating'])
    // Half right, the strong ones right: nothing to say.
    expect(questionOf(many(5, 10, (i) => 10 - i))?.flags).toEqual([])
    // Too few responses: no flag, however it looks.
    expect(questionOf(many(1, MIN_RESPONSES - 1, (i) => i))?.flags).toEqual([])
  })
})
