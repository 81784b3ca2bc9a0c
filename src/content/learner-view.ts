import { z } from '@hono/zod-openapi'
import type { ActivityContent, Question } from './schema.ts'

const choice = z.object({ id: z.string(), text: z.string() })
const base = { id: z.string(), prompt: z.string(), points: z.int() }

/** A question as learners see it: no answer key, no tolerance, no explanation. */
const LearnerQuestion = z
  .discriminatedUnion('kind', [
    z.object({ ...base, kind: z.literal('single_choice'), choices: z.array(choice) }),
    z.object({ ...base, kind: z.literal('multiple_choice'), choices: z.array(choice) }),
    z.object({ ...base, kind: z.literal('numeric') }),
    z.object({ ...base, kind: z.literal('short_text') }),
  ])
  .openapi('LearnerQuestion')

export const LearnerContent = z
  .object({
    instructions: z.string().optional(),
    passingScore: z.number().openapi({ description: 'Share of the maximum score needed to pass.' }),
    questions: z.array(LearnerQuestion),
  })
  .openapi('LearnerContent')

function learnerQuestion(question: Question): z.infer<typeof LearnerQuestion> {
  const { id, prompt, points } = question
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
      return { id, prompt, points, kind: question.kind, choices: question.choices }
    case 'numeric':
    case 'short_text':
      return { id, prompt, points, kind: question.kind }
  }
}

/** Built by listing what learners may see (not by deleting keys), so a new secret field stays hidden. */
export function learnerView(content: ActivityContent): z.infer<typeof LearnerContent> {
  return {
    ...(content.instructions !== undefined && { instructions: content.instructions }),
    passingScore: content.passingScore,
    questions: content.questions.map(learnerQuestion),
  }
}
