/** One question's fieldset: the fields every kind has, the fields of its kind, moving and removing it. */
import { h } from '../../../dom.ts'
import { choiceFields } from './choices.ts'
import { type Content, type Edits, input, numberOr, type Question } from './fields.ts'
import { parameterFields } from './parameters.ts'

export const KINDS = {
  single_choice: 'Single choice',
  multiple_choice: 'Multiple choice',
  numeric: 'Number (with tolerance)',
  short_text: 'Short text',
} as const

type Set = <K extends keyof Question>(key: K, value: Question[K]) => void

/** The fields of a number question: its answer and the tolerance around it. */
const numericFields = (question: Question, at: string, set: Set) => [
  input(
    'Answer',
    `${at}/answer`,
    question.answer,
    // A number, or (in a question with variables) an expression of them.
    (value) =>
      set('answer', value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value.trim()),
    { spellcheck: false, placeholder: 'a number, or with variables an expression: a + b' },
  ),
  input(
    'Tolerance (±)',
    `${at}/tolerance`,
    question.tolerance,
    (value) => set('tolerance', numberOr(value, 0)),
    {
      type: 'number',
      step: 'any',
      min: 0,
    },
  ),
]

/** The field of a short-text question: the answers it accepts. */
const shortTextFields = (question: Question, at: string, set: Set) =>
  input(
    'Accepted answers (separated by |)',
    `${at}/acceptedAnswers`,
    (question.acceptedAnswers ?? []).join(' | '),
    (value) =>
      set(
        'acceptedAnswers',
        value
          .split('|')
          .map((answer) => answer.trim())
          .filter(Boolean),
      ),
  )

export function questionEditor(content: Content, q: number, edits: Edits) {
  const question = content.questions[q] as Question
  const at = `/content/questions/${q}`
  const set: Set = (key, value) => {
    if (value === undefined || value === '') delete question[key]
    else question[key] = value
    edits.changed()
  }
  const kindFields =
    question.kind === 'numeric'
      ? numericFields(question, at, set)
      : question.kind === 'short_text'
        ? shortTextFields(question, at, set)
        : choiceFields(question, at, edits)
  const moveUp = edits.reshape(() => content.questions.splice(q - 1, 0, ...content.questions.splice(q, 1)))
  const remove = edits.reshape(() => content.questions.splice(q, 1))
  return h(
    'fieldset',
    { class: 'question-editor' },
    h('legend', {}, `Question ${q + 1}: ${KINDS[question.kind]}`),
    input('Id', `${at}/id`, question.id, (value) => set('id', value)),
    input('Prompt', `${at}/prompt`, question.prompt, (value) => set('prompt', value)),
    input('Points (1–100)', `${at}/points`, question.points ?? 1, (value) => set('points', numberOr(value)), {
      type: 'number',
      min: 1,
      max: 100,
    }),
    kindFields,
    parameterFields(question, at, set),
    input(
      'Explanation (shown with the expected answer)',
      `${at}/explanation`,
      question.explanation,
      (value) => set('explanation', value),
    ),
    h(
      'p',
      { class: 'actions' },
      q > 0 && h('button', { type: 'button', class: 'link', onclick: moveUp }, `Move question ${q + 1} up`),
      content.questions.length > 1 &&
        h('button', { type: 'button', class: 'link', onclick: remove }, `Remove question ${q + 1}`),
    ),
  )
}
