/** Attempts: what a learner submits, and how an attempt is presented — only what it showed. */
import * as z from 'zod'
import type { Bindings } from '../content/bindings.ts'
import { attemptView, LearnerQuestion } from '../content/learner-view.ts'
import { type ActivityContent, ID_PATTERN } from '../content/schema.ts'
import { type Attempt, attemptStatus } from '../db/schema.ts'
import type { QuestionOutcome } from '../mastery/decide.ts'
import { Timestamp } from './common.ts'

const questionId = z.string().regex(ID_PATTERN, 'not a question or choice id')
const answerText = z
  .string()
  .max(500)
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')

const AnswerValue = z.union([answerText, z.number().finite(), z.array(questionId).max(20)]).meta({
  id: 'AnswerValue',
  description:
    'single_choice: a choice id; multiple_choice: choice ids; numeric: a number; short_text: text.',
})

export const SubmitAttemptSchema = z
  .strictObject({
    response: z.strictObject({
      answers: z
        .record(questionId, AnswerValue)
        .refine((answers) => Object.keys(answers).length <= 50, 'at most 50 answers')
        .meta({
          description:
            'Answers by question id, to the attempt’s own questions (an answer to a question it did not draw is ' +
            'a 400); unanswered questions score zero.',
          maxProperties: 50,
          // A JSON Schema 2020-12 keyword (OpenAPI 3.1) that zod-to-openapi's metadata type does not list.
          ...({ propertyNames: { pattern: ID_PATTERN.source } } as object),
        }),
    }),
  })
  .meta({
    id: 'SubmitAttempt',
    example: { response: { answers: { q1: 12, q2: 'c', q3: ['b', 'd'], q4: 'photosynthesis' } } },
  })

export const AttemptStatus = z.enum(attemptStatus.enumValues)

const QuestionFeedbackSchema = z
  .object({
    questionId: z.string(),
    answered: z.boolean(),
    points: z.int(),
    correct: z.boolean().nullable().meta({
      description: 'Whether the answer was right; null where the activity shows the score only.',
    }),
    pointsAwarded: z.int().nullable().meta({ description: 'Null where the activity shows the score only.' }),
    expected: AnswerValue.optional().meta({ description: 'The expected answer, where it was revealed.' }),
    explanation: z.string().optional().meta({ description: 'Where the answer was revealed.' }),
    choiceFeedback: z
      .array(z.object({ choiceId: z.string(), text: z.string() }))
      .optional()
      .meta({
        description:
          'What the author says to those who chose each chosen choice, where correctness is shown (it tells which ' +
          'choice was wrong).',
      }),
    revealed: z.boolean().meta({
      description:
        'The expected answer and explanation were shown with this attempt (decided when it was submitted, by ' +
        'the activity’s review policy).',
    }),
    credited: z.boolean().meta({
      description:
        'The answer counted toward mastery. A question this learner had answered, or been shown the answer of, ' +
        'within its credit window counts toward score and pass, not mastery; a new instance of a parameterised ' +
        'question always counts.',
    }),
    countsAgainAt: Timestamp.nullable().meta({
      description:
        'When this question counts toward mastery again, as of this attempt; null when the next attempt’s ' +
        'answer will (a new instance) or never will (`retired`).',
    }),
    retired: z.boolean().meta({
      description:
        'It will not count again: its answer was shown, and it has counted as often as it may since.',
    }),
  })
  .meta({ id: 'QuestionFeedback' })

export const AttemptSchema = z
  .object({
    id: z.guid(),
    activityId: z.guid(),
    status: AttemptStatus,
    contentVersion: z.int().meta({ description: 'The activity’s content version it is graded against.' }),
    score: z.int().nullable(),
    maxScore: z.int().nullable(),
    passed: z.boolean().nullable().meta({ description: 'Null until the attempt is graded.' }),
    questions: z
      .array(LearnerQuestion)
      .optional()
      .meta({
        description:
          'The attempt’s own questions, as drawn and ordered at its start (with choices in the order shown): ' +
          'answer these. Sent by start and by `GET /v1/me/attempts/{attemptId}`.',
      }),
    response: z.object({ answers: z.record(z.string(), AnswerValue) }).nullable(),
    values: z
      .record(z.string(), z.record(z.string(), z.union([z.number(), z.string()])))
      .nullable()
      .meta({
        description:
          'Once submitted: the values each parameterised question of the attempt was bound to, by question id ' +
          '(stored, never drawn again). Null before, and for attempts without parameterised questions.',
        example: { q1: { a: 4, b: 7 } },
      }),
    feedback: z.array(QuestionFeedbackSchema).nullable(),
    startedAt: Timestamp,
    completedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Attempt' })

type Response = z.infer<typeof AttemptSchema>['response']

/** One question's feedback, with only what the attempt showed: its stored flags decide, not today's policy. */
function presentFeedback(outcome: QuestionOutcome): z.infer<typeof QuestionFeedbackSchema> {
  return {
    questionId: outcome.questionId,
    answered: outcome.answered,
    points: outcome.points,
    correct: outcome.marked ? outcome.correct : null,
    pointsAwarded: outcome.marked ? outcome.pointsAwarded : null,
    ...(outcome.revealed && {
      expected: outcome.expected,
      ...(outcome.explanation !== undefined && { explanation: outcome.explanation }),
    }),
    ...(outcome.marked && outcome.choiceFeedback && { choiceFeedback: outcome.choiceFeedback }),
    revealed: outcome.revealed,
    credited: outcome.credited,
    // Feedback stored before credit windows has neither.
    countsAgainAt: outcome.countsAgainAt ?? null,
    retired: outcome.retired ?? false,
  }
}

/** The values of a submitted attempt's instances, by question. */
function valuesOf(bindings: unknown) {
  const entries = Object.entries((bindings ?? {}) as Bindings)
  return entries.length === 0 ? null : Object.fromEntries(entries.map(([id, { values }]) => [id, values]))
}

/** An attempt; with its version's content, also its own questions to answer. */
export const presentAttempt = (
  attempt: Attempt,
  content?: ActivityContent,
): z.infer<typeof AttemptSchema> => ({
  id: attempt.id,
  activityId: attempt.activityId,
  status: attempt.status,
  contentVersion: attempt.contentVersion,
  score: attempt.score,
  maxScore: attempt.maxScore,
  passed: attempt.passed,
  ...(content && { questions: attemptView(content, attempt) }),
  response: (attempt.response ?? null) as Response,
  values: valuesOf(attempt.bindings),
  feedback: attempt.feedback ? (attempt.feedback as QuestionOutcome[]).map(presentFeedback) : null,
  startedAt: attempt.startedAt.toISOString(),
  completedAt: attempt.completedAt?.toISOString() ?? null,
})
