/**
 * A question as learners see it, answerable: the learner page's activity form draws it, and so does
 * the studio's preview, so authors see exactly what learners will.
 */
import type { InferResponseType } from 'hono/client'
import type { api } from '../api.ts'
import { h, plural } from '../dom.ts'

type Activity = InferResponseType<(typeof api.v1.activities)[':activityId']['$get'], 200>
export type LearnerQuestion = Activity['content']['questions'][number]

export function questionField(question: LearnerQuestion, index: number) {
  const id = `question-${question.id}`
  const heading = `${index + 1}. ${question.prompt}`
  const points = h('span', { class: 'meta' }, ` (${plural(question.points, 'point')})`)
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
      return h(
        'fieldset',
        { class: 'question' },
        h(
          'legend',
          { class: 'prompt' },
          heading,
          points,
          question.kind === 'multiple_choice' && h('span', { class: 'hint' }, ' Choose all that apply.'),
        ),
        question.choices.map((choice) =>
          h(
            'label',
            { class: 'choice' },
            h('input', {
              type: question.kind === 'single_choice' ? 'radio' : 'checkbox',
              name: question.id,
              value: choice.id,
            }),
            ` ${choice.text}`,
          ),
        ),
      )
    case 'numeric':
    case 'short_text':
      return h(
        'div',
        { class: 'question' },
        h('label', { for: id, class: 'prompt' }, heading, points),
        h('input', {
          id,
          name: question.id,
          autocomplete: 'off',
          ...(question.kind === 'numeric'
            ? { type: 'number', step: 'any', inputmode: 'decimal' }
            : { type: 'text', maxlength: 500, spellcheck: false }),
        }),
      )
  }
}
