import { describe, expect, it } from 'vitest'
import { type ActivityContentInput, activityContent } from '../src/content/schema.ts'
import { grade, invalidAnswers } from '../src/grading/grade.ts'
import { answerErrors } from '../src/progress/attempts/submit.ts'

const content = activityContent.parse({
  passingScore: 0.75,
  questions: [
    {
      id: 'single',
      kind: 'single_choice',
      prompt: 'Pick b',
      choices: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
      ],
      answer: 'b',
      explanation: 'Because b.',
    },
    {
      id: 'multi',
      kind: 'multiple_choice',
      prompt: 'Pick a and c',
      points: 2,
      choices: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
        { id: 'c', text: 'C' },
      ],
      answers: ['c', 'a'],
    },
    { id: 'num', kind: 'numeric', prompt: 'About 4.5', answer: 4.5, tolerance: 0.05 },
    { id: 'exact', kind: 'numeric', prompt: '0.1 + 0.2', answer: 0.3 },
    {
      id: 'text',
      kind: 'short_text',
      prompt: 'Say hypothesis',
      acceptedAnswers: ['Hypothesis', 'a hypothesis'],
    },
  ],
} satisfies ActivityContentInput)

const correct = { single: 'b', multi: ['a', 'c'], num: 4.5, exact: 0.3, text: 'hypothesis' }

const ALL = content.questions.map((q) => q.id)

describe('grade()', () => {
  it('scores all-correct answers in full, with points', () => {
    const result = grade(content, ALL, correct)
    expect(result).toMatchObject({ score: 6, maxScore: 6, ratio: 1, passed: true })
    expect(result.feedback.every((f) => f.correct && f.answered)).toBe(true)
  })

  it('single choice: only the answer id', () => {
    expect(grade(content, ALL, { single: 'a' }).feedback[0]).toMatchObject({
      correct: false,
      expected: 'b',
      explanation: 'Because b.',
      pointsAwarded: 0,
      points: 1,
    })
  })

  it('multiple choice is all-or-nothing, in any order, with no extras or duplicates counting', () => {
    const multi = (answer: string[]) => grade(content, ALL, { multi: answer }).feedback[1]?.correct
    expect(multi(['c', 'a'])).toBe(true)
    expect(multi(['a'])).toBe(false)
    expect(multi(['a', 'b', 'c'])).toBe(false)
    expect(multi(['a', 'a'])).toBe(false)
    expect(grade(content, ALL, { multi: ['a'] }).feedback[1]?.expected).toEqual(['a', 'c'])
  })

  it('numeric: within the tolerance, inclusive, and exact answers survive floating point', () => {
    const num = (value: number) => grade(content, ALL, { num: value }).feedback[2]?.correct
    expect([num(4.45), num(4.55), num(4.5), num(4.56), num(4.44)]).toEqual([true, true, true, false, false])
    expect(grade(content, ALL, { exact: 0.1 + 0.2 }).feedback[3]?.correct).toBe(true)
    expect(grade(content, ALL, { exact: 0.31 }).feedback[3]?.correct).toBe(false)
  })

  it('short text: trimmed and case-insensitive, any accepted answer', () => {
    const text = (value: string) => grade(content, ALL, { text: value }).feedback[4]?.correct
    expect([text('  HYPOTHESIS '), text('A Hypothesis'), text('hypotheses'), text('')]).toEqual([
      true,
      true,
      false,
      false,
    ])
  })

  it('unanswered questions score zero and are marked unanswered; the pass mark is a ratio', () => {
    const result = grade(content, ALL, { multi: ['a', 'c'], num: 4.5, exact: 0.3 })
    expect(result).toMatchObject({ score: 4, maxScore: 6, passed: false })
    expect(result.feedback.map((f) => f.answered)).toEqual([false, true, true, true, false])
    expect(grade(content, ALL, { ...correct, text: 'no', single: 'a' })).toMatchObject({
      score: 4,
      passed: false,
    })
    expect(grade(content, ALL, { ...correct, text: 'no' })).toMatchObject({
      score: 5,
      ratio: 5 / 6,
      passed: true,
    })
  })
})

describe('an attempt’s own questions', () => {
  it('are the ones graded, in its order; an answer to a question it did not draw is invalid', () => {
    const drawn = ['num', 'single']
    const result = grade(content, drawn, { single: 'b', num: 4.5 })
    expect(result.feedback.map((f) => f.questionId)).toEqual(['num', 'single'])
    expect(result).toMatchObject({ score: 2, maxScore: 2, passed: true })
    expect(invalidAnswers(content, drawn, { single: 'b', text: 'hypothesis' })).toEqual([
      { questionId: 'text', reason: 'this attempt has no such question' },
    ])
  })
})

describe('invalidAnswers()', () => {
  it('reports unknown questions and answers of the wrong shape, with pointers', () => {
    expect(invalidAnswers(content, ALL, correct)).toEqual([])
    const invalid = invalidAnswers(content, ALL, {
      nope: 'a',
      single: ['b'],
      multi: 'a',
      num: '4.5',
      text: 4,
    })
    expect(invalid.map((answer) => answer.questionId)).toEqual(['nope', 'single', 'multi', 'num', 'text'])
    expect(answerErrors(invalid)).toEqual([
      { pointer: '#/response/answers/nope', detail: 'this attempt has no such question' },
      { pointer: '#/response/answers/single', detail: 'must be one choice id (a string)' },
      { pointer: '#/response/answers/multi', detail: 'must be a list of choice ids' },
      { pointer: '#/response/answers/num', detail: 'must be a number' },
      { pointer: '#/response/answers/text', detail: 'must be a string' },
    ])
  })
})
