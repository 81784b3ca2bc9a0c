/** Request and response shapes of learner progress, and presenters from rows to them. */
import { z } from '@hono/zod-openapi'
import { ID_PATTERN } from '../content/schema.ts'
import { type Attempt, attemptStatus, type SkillState, skillStateStatus } from '../db/schema.ts'
import { REVIEW_RATINGS } from '../mastery/fsrs.ts'
import { effectiveStatus } from '../mastery/state.ts'
import { Timestamp } from './common.ts'

const questionId = z.string().regex(ID_PATTERN, 'not a question or choice id')
const answerText = z
  .string()
  .max(500)
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')

const AnswerValue = z
  .union([answerText, z.number().finite(), z.array(questionId).max(20)])
  .openapi('AnswerValue', {
    description:
      'single_choice: a choice id; multiple_choice: choice ids; numeric: a number; short_text: text.',
  })

export const SubmitAttemptSchema = z
  .strictObject({
    response: z.strictObject({
      answers: z
        .record(questionId, AnswerValue)
        .refine((answers) => Object.keys(answers).length <= 50, 'at most 50 answers')
        .openapi({
          description: 'Answers by question id; unanswered questions score zero.',
          maxProperties: 50,
          // A JSON Schema 2020-12 keyword (OpenAPI 3.1) that zod-to-openapi's metadata type does not list.
          ...({ propertyNames: { pattern: ID_PATTERN.source } } as object),
        }),
    }),
  })
  .openapi('SubmitAttempt', {
    example: { response: { answers: { q1: 12, q2: 'c', q3: ['b', 'd'], q4: 'photosynthesis' } } },
  })

export const AttemptStatus = z.enum(attemptStatus.enumValues)
const SkillStateStatus = z.enum(skillStateStatus.enumValues)

const QuestionFeedbackSchema = z
  .object({
    questionId: z.string(),
    correct: z.boolean(),
    answered: z.boolean(),
    pointsAwarded: z.int(),
    points: z.int(),
    expected: AnswerValue,
    explanation: z.string().optional(),
  })
  .openapi('QuestionFeedback')

export const AttemptSchema = z
  .object({
    id: z.uuid(),
    activityId: z.uuid(),
    status: AttemptStatus,
    score: z.int().nullable(),
    maxScore: z.int().nullable(),
    response: z.object({ answers: z.record(z.string(), AnswerValue) }).nullable(),
    feedback: z.array(QuestionFeedbackSchema).nullable(),
    startedAt: Timestamp,
    completedAt: Timestamp.nullable(),
  })
  .openapi('Attempt')

export const SkillStateSchema = z
  .object({
    skillId: z.uuid(),
    status: SkillStateStatus,
    progress: z.number().openapi({ description: 'Share of the skill’s activities passed, in [0, 1].' }),
    masteryScore: z.number().openapi({
      description:
        'The mastery model’s probability that the learner knows the skill (Bayesian Knowledge Tracing P(L)), ' +
        'in [0, 1]; mastered at 0.95. 0 while not started.',
    }),
    nextReviewAt: Timestamp.nullable().openapi({
      description: 'When the skill is due for review (its FSRS card), once mastered; null before.',
    }),
    updatedAt: Timestamp.nullable().openapi({ description: 'Null while not started.' }),
  })
  .openapi('SkillState')

export const SubmitResultSchema = z
  .object({
    attempt: AttemptSchema,
    passed: z.boolean(),
    review: z.enum(REVIEW_RATINGS).nullable().openapi({
      description: 'The FSRS rating, when this submission reviewed a mastered skill (or first mastered it).',
    }),
    skillState: SkillStateSchema,
  })
  .openapi('SubmitResult')

export const MySkillSchema = SkillStateSchema.extend({ name: z.string(), level: z.int() }).openapi('MySkill')

const UnitProgressSchema = z
  .object({
    unitId: z.uuid(),
    name: z.string(),
    order: z.int(),
    activityCount: z.int(),
    completedCount: z.int().openapi({ description: 'Activities with at least one completed attempt.' }),
    passedCount: z.int().openapi({ description: 'Activities completed at or above their passing score.' }),
  })
  .openapi('UnitProgress')

export const MySkillDetailSchema = MySkillSchema.extend({ units: z.array(UnitProgressSchema) }).openapi(
  'MySkillDetail',
)

type Feedback = z.infer<typeof QuestionFeedbackSchema>[]
type Response = z.infer<typeof AttemptSchema>['response']

export const presentAttempt = (attempt: Attempt): z.infer<typeof AttemptSchema> => ({
  id: attempt.id,
  activityId: attempt.activityId,
  status: attempt.status,
  score: attempt.score,
  maxScore: attempt.maxScore,
  response: (attempt.response ?? null) as Response,
  feedback: (attempt.feedback ?? null) as Feedback | null,
  startedAt: attempt.startedAt.toISOString(),
  completedAt: attempt.completedAt?.toISOString() ?? null,
})

/** A skill with no row yet is `not_started`, at zero; a mastered skill past its due date reads review_needed. */
export const presentSkillState = (
  skillId: string,
  state: SkillState | null,
  now = new Date(),
): z.infer<typeof SkillStateSchema> => ({
  skillId,
  status: effectiveStatus(state, now),
  progress: state?.progress ?? 0,
  masteryScore: state?.masteryScore ?? 0,
  nextReviewAt: state?.due?.toISOString() ?? null,
  updatedAt: state?.updatedAt.toISOString() ?? null,
})
