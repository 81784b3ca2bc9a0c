/**
 * The activity's content as a form: the activity-wide settings (content-form/settings.ts), and one
 * fieldset per question with the fields of its kind (content-form/question.ts, choices.ts). The form
 * edits a plain object (the same JSON the raw view shows); every input carries the JSON pointer the
 * API would name in a validation error, so an error can be put on its field.
 */
import { h } from '../../dom.ts'
import type { Content, Edits, Question } from './content-form/fields.ts'
import { KINDS, questionEditor } from './content-form/question.ts'
import { activitySettings } from './content-form/settings.ts'

export type { Content } from './content-form/fields.ts'

const TWO_CHOICES = () => [
  { id: 'a', text: 'A' },
  { id: 'b', text: 'B' },
]

/** A new question of `kind`, valid as it is, with an id not taken yet. */
function newQuestion(kind: Question['kind'], taken: Question[]): Question {
  let n = taken.length + 1
  while (taken.some((q) => q.id === `q${n}`)) n++
  const base = { id: `q${n}`, kind, prompt: 'A new question', points: 1 }
  switch (kind) {
    case 'single_choice':
      return { ...base, choices: TWO_CHOICES(), answer: 'a' }
    case 'multiple_choice':
      return { ...base, choices: TWO_CHOICES(), answers: ['a'] }
    case 'numeric':
      return { ...base, answer: 0, tolerance: 0 }
    case 'short_text':
      return { ...base, acceptedAnswers: ['answer'] }
  }
}

/**
 * The form for `content`; `changed` runs after every edit (the caller redraws the JSON and the
 * preview), `redraw` after edits that change the form's shape (a question or a choice added).
 */
export function contentForm(content: Content, changed: () => void, redraw: () => void) {
  const edits: Edits = {
    changed,
    reshape: (apply) => () => {
      apply()
      changed()
      redraw()
    },
  }
  const kind = h(
    'select',
    { id: 'new-question-kind' },
    Object.entries(KINDS).map(([value, label]) => h('option', { value }, label)),
  )
  const addQuestion = edits.reshape(() => {
    content.questions.push(newQuestion(kind.value as Question['kind'], content.questions))
  })
  return h(
    'div',
    { class: 'content-form' },
    activitySettings(content, changed),
    content.questions.map((_, q) => questionEditor(content, q, edits)),
    h(
      'p',
      { class: 'field' },
      h('label', { for: 'new-question-kind' }, 'New question of kind'),
      kind,
      h('button', { type: 'button', class: 'secondary', onclick: addQuestion }, 'Add question'),
    ),
  )
}
