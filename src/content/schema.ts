/**
 * The format of `activities.content`: questions with their answer keys, graded on the server.
 * Validated before anything is stored, so grading can trust what it reads back.
 */
import * as z from 'zod'
import { isReservedName } from './expression.ts'
import { MAX_VALUES } from './instances.ts'
import { templateProblems } from './parameterised.ts'

/** Postgres text rejects NUL, so it is refused here rather than failing as a 500 at insert time. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')

/** Question and choice ids. Starting with a letter or digit rules out keys such as `__proto__`. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

const questionId = z
  .string()
  .regex(ID_PATTERN, 'use 1–64 letters, digits, "_" or "-", starting with a letter or digit')
  .meta({ example: 'q1' })

const choice = z.strictObject({
  id: questionId,
  text: text(500),
  feedback: text(1000).optional().meta({
    description:
      'Said to a learner who chose it, where the review policy shows correctness (it tells which choice was wrong).',
  }),
})

/** Letters first, so no name is `__proto__`; never a word of the expression language. */
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/

const variableName = z
  .string()
  .regex(VARIABLE_NAME, 'use 1–32 letters, digits or "_", starting with a letter')
  .refine((name) => !isReservedName(name), 'is a word of the expression language')

const rangeVariable = z
  .strictObject({
    min: z.number().finite(),
    max: z.number().finite(),
    step: z.number().finite().positive(),
    decimals: z.int().min(0).max(10).optional().meta({
      description: 'Decimals to show (and grade) the value with; otherwise at most 10 significant digits.',
    }),
  })
  .refine((range) => range.max >= range.min, { message: 'max must be at least min', path: ['max'] })
  .refine((range) => (range.max - range.min) / range.step < MAX_VALUES, {
    message: `a range may take at most ${MAX_VALUES} values`,
    path: ['step'],
  })

const choicesVariable = z.strictObject({
  choices: z
    .array(z.union([z.number().finite(), text(200)]))
    .min(1)
    .max(100),
})

const parameters = {
  variables: z
    .record(variableName, z.union([rangeVariable, choicesVariable]))
    .refine((variables) => Object.keys(variables).length <= 10, 'at most 10 variables')
    .optional()
    .meta({
      description:
        'Makes the question parameterised: each attempt draws its own values, `{a}` and `{= a * b}` in its texts ' +
        'print them, and `answer` may be an expression. A range takes min + k·step up to max.',
      example: { a: { min: 1, max: 9, step: 1 }, b: { choices: [2, 5, 10] } },
    }),
  constraints: z
    .array(text(500))
    .max(20)
    .optional()
    .meta({ description: 'Conditions every drawn instance satisfies, such as `a > b`.', example: ['a > b'] }),
}

const questionBase = {
  id: questionId,
  prompt: text(2000),
  points: z.int().min(1).max(100).default(1),
  explanation: text(2000).optional(),
  ...parameters,
}

const uniqueChoiceIds = (choices: { id: string }[]) =>
  new Set(choices.map((c) => c.id)).size === choices.length

const singleChoiceQuestion = z
  .strictObject({
    ...questionBase,
    kind: z.literal('single_choice'),
    choices: z.array(choice).min(2).max(20),
    answer: questionId,
  })
  .refine((q) => uniqueChoiceIds(q.choices), { message: 'choice ids must be unique', path: ['choices'] })
  .refine((q) => q.choices.some((c) => c.id === q.answer), {
    message: 'answer must be one of the choice ids',
    path: ['answer'],
  })

const multipleChoiceQuestion = z
  .strictObject({
    ...questionBase,
    kind: z.literal('multiple_choice'),
    choices: z.array(choice).min(2).max(20),
    /** All-or-nothing: the response must select exactly these ids. */
    answers: z
      .array(questionId)
      .min(1)
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'each choice id once'),
  })
  .refine((q) => uniqueChoiceIds(q.choices), { message: 'choice ids must be unique', path: ['choices'] })
  .refine((q) => q.answers.every((a) => q.choices.some((c) => c.id === a)), {
    message: 'every answer must be one of the choice ids',
    path: ['answers'],
  })

const numericQuestion = z.strictObject({
  ...questionBase,
  kind: z.literal('numeric'),
  answer: z
    .union([z.number().finite(), text(500)])
    .meta({ description: 'A number, or in a parameterised question an expression of its variables.' }),
  /** A response within ±tolerance of the answer is correct. */
  tolerance: z.number().finite().min(0).default(0),
})

const shortTextQuestion = z.strictObject({
  ...questionBase,
  kind: z.literal('short_text'),
  /** Compared trimmed and case-insensitively. */
  acceptedAnswers: z.array(text(200)).min(1).max(20),
})

const question = z
  .discriminatedUnion('kind', [
    singleChoiceQuestion,
    multipleChoiceQuestion,
    numericQuestion,
    shortTextQuestion,
  ])
  // Placeholders and expressions parse and name only declared variables (drawing instances is the
  // authoring check’s, content/authoring-check.ts: too much work for every read of stored content).
  .superRefine((q, context) => {
    for (const { path, message } of templateProblems(q)) context.addIssue({ code: 'custom', path, message })
  })

/** When answers and explanations are shown after a submit; see src/content/review.ts for the defaults. */
export const REVEAL = ['always', 'after_pass', 'never'] as const

const reviewPolicy = z
  .strictObject({
    correctness: z.boolean().optional().meta({
      description: 'Whether learners see which questions they got right (default: practice and quiz).',
    }),
    answers: z
      .enum(REVEAL)
      .optional()
      .meta({
        description:
          'When expected answers and explanations are shown: `always`, `after_pass` (answered questions, once the ' +
          'attempt passes) or `never` (default by type: practice always, quiz after_pass, test and challenge never).',
      }),
    creditAgainAfterHours: z
      .number()
      .min(0.001)
      .max(100_000)
      .nullable()
      .optional()
      .meta({
        description:
          'Hours after a learner answered a question, or was shown its answer, before it counts toward mastery ' +
          'again; doubled with each repeat that counted, and at most 3 times once its answer was shown. Default: ' +
          '20 for practice and quiz, 168 for test and challenge; null: never again once shown.',
      }),
  })
  .meta({ id: 'ReviewPolicy' })

export const activityContent = z
  .strictObject({
    instructions: text(2000).optional(),
    /** Share of the maximum score needed to pass, in [0, 1]. */
    passingScore: z.number().min(0).max(1).default(0.7),
    questions: z.array(question).min(1).max(50),
    /** Each attempt answers this many questions, drawn at random from `questions` (a pool). */
    draw: z.int().min(1).max(50).optional(),
    /** Each attempt shows the questions, and each question's choices, in an order of its own. */
    shuffle: z.boolean().optional(),
    review: reviewPolicy.optional(),
  })
  .refine((content) => new Set(content.questions.map((q) => q.id)).size === content.questions.length, {
    message: 'question ids must be unique',
    path: ['questions'],
  })
  .refine((content) => content.draw === undefined || content.draw <= content.questions.length, {
    message: 'draw cannot be more than the number of questions',
    path: ['draw'],
  })
  .meta({ id: 'ActivityContent' })

export type Question = z.infer<typeof question>
export type ActivityContent = z.infer<typeof activityContent>
/** What an author sends: defaults (points, passingScore, tolerance) may be left out. */
export type ActivityContentInput = z.input<typeof activityContent>
