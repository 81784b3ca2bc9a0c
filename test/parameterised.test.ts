/**
 * Parameterised questions (content/parameterised.ts) and the credit rule (mastery/credit.ts), pure:
 * properties over random seeds, ordinals and ranges, and the rule's window, doubling and cap.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { drawBindings, instantiate } from '../src/content/bindings.ts'
import { evaluate, parseExpression } from '../src/content/expression.ts'
import { satisfies } from '../src/content/instances.ts'
import { instanceSpec } from '../src/content/parameterised.ts'
import { type ActivityContent, activityContent } from '../src/content/schema.ts'
import { grade } from '../src/grading/grade.ts'
import {
  CAP_AFTER_SHOWN,
  type CreditHistory,
  countsAgainAt,
  credits,
  recordSubmission,
} from '../src/mastery/credit.ts'

const HOUR = 3_600_000

/** A product of two ranges under a constraint, a computed choice question, and a decimal answer. */
const contentOf = (lo: number, hi: number, step: number): ActivityContent =>
  activityContent.parse({
    questions: [
      {
        id: 'times',
        kind: 'numeric',
        prompt: '{a} × {b} = ?',
        variables: { a: { min: lo, max: hi, step }, b: { min: lo, max: hi, step } },
        constraints: ['a <= b'],
        answer: 'a * b',
        tolerance: 0.001,
      },
      {
        id: 'bigger',
        kind: 'single_choice',
        prompt: 'Which is more than {a}?',
        variables: { a: { min: lo, max: hi, step } },
        choices: [
          { id: 'more', text: '{= a + 1}' },
          { id: 'less', text: '{= a - 1}' },
        ],
        answer: 'more',
      },
    ],
  })

const ranges = fc
  .record({
    lo: fc.integer({ min: -20, max: 20 }),
    span: fc.integer({ min: 0, max: 12 }),
    tenths: fc.boolean(),
  })
  .map(({ lo, span, tenths }) => ({ lo, hi: lo + span, step: tenths ? 0.5 : 1 }))
const seeds = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
const ordinals = fc.nat({ max: 400 })

describe('instances of parameterised questions (fast-check)', () => {
  it('the same seed and ordinal give the same instance, whichever Worker draws it', () => {
    fc.assert(
      fc.property(ranges, seeds, ordinals, ({ lo, hi, step }, seed, ordinal) => {
        const content = contentOf(lo, hi, step)
        const ids = ['times', 'bigger']
        expect(drawBindings(content, ids, seed, ordinal)).toEqual(
          drawBindings(contentOf(lo, hi, step), ids, seed, ordinal),
        )
      }),
    )
  })

  it('every instance satisfies its constraints', () => {
    fc.assert(
      fc.property(ranges, seeds, ordinals, ({ lo, hi, step }, seed, ordinal) => {
        const content = contentOf(lo, hi, step)
        const binding = drawBindings(content, ['times'], seed, ordinal).times
        const question = content.questions[0]
        if (!binding || !question) throw new Error('a product always has an instance')
        expect(satisfies(instanceSpec(question), new Map(Object.entries(binding.values)))).toBe(true)
      }),
    )
  })

  it('grading an instance equals evaluating its answer expression on its values, choices by this attempt’s ids', () => {
    fc.assert(
      fc.property(
        ranges,
        seeds,
        ordinals,
        fc.double({ min: -1, max: 1, noNaN: true }),
        (range, seed, ordinal, off) => {
          const content = contentOf(range.lo, range.hi, range.step)
          const ids = ['times', 'bigger']
          const bindings = drawBindings(content, ids, seed, ordinal)
          const { values } = bindings.times ?? { values: {} }
          const answer = parseExpression('a * b', new Set(['a', 'b']))
          const key = evaluate(answer, new Map(Object.entries(values) as [string, number][])) as number
          const shown = Object.entries(bindings.bigger?.choices ?? {}).find(
            ([, authored]) => authored === 'more',
          )?.[0]
          const instance = instantiate(
            content,
            ids.map((id) => ({ id })),
            bindings,
          ).content
          const right = grade(instance, ids, { times: key + off / 2000, bigger: shown as string })
          expect(right.feedback.map((f) => f.correct)).toEqual([true, true])
          // The authored id is no answer: this attempt's ids are its own.
          const authored = grade(instance, ids, { times: key + 0.01, bigger: 'more' })
          expect(authored.feedback.map((f) => f.correct)).toEqual([false, false])
        },
      ),
    )
  })
})

describe('values as shown', () => {
  it('grades a variable that declares decimals on the value it shows, not the one drawn', () => {
    const content = activityContent.parse({
      questions: [
        {
          id: 'double',
          kind: 'numeric',
          prompt: 'Double {x}',
          variables: { x: { min: 0.25, max: 0.25, step: 0.25, decimals: 1 } },
          answer: 'x * 2',
          tolerance: 0.001,
        },
      ],
    })
    const bindings = drawBindings(content, ['double'], 7, 0)
    expect(bindings.double?.values).toEqual({ x: 0.3 }) // 0.25 shown to one decimal, half away from zero
    const [question] = instantiate(content, [{ id: 'double' }], bindings).content.questions
    expect(question).toMatchObject({ prompt: 'Double 0.3', answer: 0.6 })
  })
})

describe('the credit rule', () => {
  const at = (hours: number) => Date.UTC(2026, 0, 1) + hours * HOUR
  const answer = (history: CreditHistory, hours: number, revealed = true) => {
    const credited = credits(history.q, 20, at(hours))
    return {
      credited,
      history: recordSubmission(
        history,
        [{ questionId: 'q', answered: true, revealed, credited }],
        at(hours),
      ),
    }
  }

  it('doubles the window with each credited repeat', () => {
    let history: CreditHistory = {}
    const credited: boolean[] = []
    for (const hours of [0, 19, 40, 79, 81, 161, 163]) {
      const next = answer(history, hours, false)
      credited.push(next.credited)
      history = next.history
    }
    // 0 ✓ · 19: inside 20 h · 40: 21 h after 19 ✓, the window doubles · 79, 81: inside 40 h of the last
    // answer · 161: 80 h after 81 ✓, doubled again · 163: inside 80 h
    expect(credited).toEqual([true, false, true, false, false, true, false])
    expect(history.q?.repeats).toBe(2)
  })

  it(`credits a question whose answer was shown at most ${CAP_AFTER_SHOWN} times more`, () => {
    let history: CreditHistory = {}
    const credited: boolean[] = []
    for (let n = 0, hours = 0; n < 8; n++, hours += 2000) {
      const next = answer(history, hours)
      credited.push(next.credited)
      history = next.history
    }
    expect(credited).toEqual([true, true, true, true, false, false, false, false])
    expect(countsAgainAt(history.q, 20)).toBe(Number.POSITIVE_INFINITY)
  })

  it('never credits again once shown when the window is null; an answer only answered always counts', () => {
    const shown = recordSubmission(
      {},
      [{ questionId: 'q', answered: false, revealed: true, credited: true }],
      at(0),
    )
    expect(credits(shown.q, null, at(10_000))).toBe(false)
    const answered = recordSubmission(
      {},
      [{ questionId: 'q', answered: true, revealed: false, credited: true }],
      at(0),
    )
    expect(credits(answered.q, null, at(0))).toBe(true)
  })
})
