import * as z from 'zod'
import type { ActivityType, DrawnQuestion } from '../db/schema.ts'
import { attemptBindings, instantiate } from './bindings.ts'
import { feedbackPolicy } from './feedback-policy.ts'
import { isParameterised, masked } from './parameterised.ts'
import { type ActivityContent, type Question, REVEAL } from './schema.ts'

const choice = z.object({ id: z.string(), text: z.string() })
const base = {
  id: z.string(),
  prompt: z.string(),
  points: z.int(),
  renews: z.boolean().meta({
    description:
      'A parameterised question: each attempt answers an instance of its own, with its own values and choice ' +
      'ids. Outside an attempt its placeholders read “…” and its choices are not listed.',
  }),
}

/** A question as learners see it: no answer key, no tolerance, no explanation, no template. */
export const LearnerQuestion = z
  .discriminatedUnion('kind', [
    z.object({ ...base, kind: z.literal('single_choice'), choices: z.array(choice) }),
    z.object({ ...base, kind: z.literal('multiple_choice'), choices: z.array(choice) }),
    z.object({ ...base, kind: z.literal('numeric') }),
    z.object({ ...base, kind: z.literal('short_text') }),
  ])
  .meta({ id: 'LearnerQuestion' })

export const LearnerContent = z
  .object({
    instructions: z.string().optional(),
    passingScore: z.number().meta({ description: 'Share of the maximum score needed to pass.' }),
    questions: z.array(LearnerQuestion).meta({
      description:
        'Every question of the activity. An attempt answers its own selection: see `draw` and `shuffle`.',
    }),
    draw: z.int().nullable().meta({
      description:
        'Each attempt answers this many of the questions, drawn at random at its start; null: all of them.',
    }),
    shuffle: z.boolean().meta({
      description: 'Each attempt shows the questions, and each question’s choices, in an order of its own.',
    }),
    review: z
      .object({
        correctness: z.boolean().meta({ description: 'Whether each question is marked right or wrong.' }),
        answers: z.enum(REVEAL).meta({
          description:
            'When expected answers and explanations are shown: `always`, `after_pass` (for answered questions, ' +
            'once the attempt passes) or `never`.',
        }),
      })
      .meta({ description: 'What a submit shows, by the activity’s review policy.' }),
  })
  .meta({ id: 'LearnerContent' })

/** A question as learners see it; a template (not instantiated) shows no value, expression or choice text. */
function learnerQuestion(
  question: Question,
  renews = isParameterised(question),
): z.infer<typeof LearnerQuestion> {
  const { id, points } = question
  const template = isParameterised(question)
  const prompt = template ? masked(question, question.prompt) : question.prompt
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
      return {
        id,
        prompt,
        points,
        renews,
        kind: question.kind,
        choices: template ? [] : question.choices.map((c) => ({ id: c.id, text: c.text })), // never the feedback
      }
    case 'numeric':
    case 'short_text':
      return { id, prompt, points, renews, kind: question.kind }
  }
}

/** Built by listing what learners may see (not by deleting keys), so a new secret field stays hidden. */
export function learnerView(content: ActivityContent, type: ActivityType): z.infer<typeof LearnerContent> {
  return {
    ...(content.instructions !== undefined && { instructions: content.instructions }),
    passingScore: content.passingScore,
    questions: content.questions.map((question) => learnerQuestion(question)),
    draw: content.draw ?? null,
    shuffle: content.shuffle ?? false,
    review: feedbackPolicy(type, content),
  }
}

/**
 * An attempt's own questions, in the order drawn at its start, each with its choices in the order
 * shown: its instances of parameterised questions, with their values and this attempt's choice ids.
 */
export function attemptView(
  authored: ActivityContent,
  attempt: Parameters<typeof attemptBindings>[1] & { questions: readonly DrawnQuestion[] },
) {
  const bindings = attemptBindings(authored, attempt)
  const { content, drawn } = instantiate(authored, attempt.questions, bindings)
  const byId = new Map(content.questions.map((q) => [q.id, q]))
  return drawn.flatMap(({ id, choices: order }) => {
    const question = byId.get(id)
    if (!question) return []
    const view = learnerQuestion(question, Object.hasOwn(bindings, id))
    if (!('choices' in view) || !order) return [view]
    const choices = new Map(view.choices.map((c) => [c.id, c]))
    return [{ ...view, choices: order.flatMap((choiceId) => choices.get(choiceId) ?? []) }]
  })
}
