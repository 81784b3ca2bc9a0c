/** The fields of a single- or multiple-choice question: its choices, each marked correct or not. */
import { h } from '../../../dom.ts'
import { type Choice, type Edits, input, nextFieldId, type Question } from './fields.ts'

/** One choice: whether it is correct, its id (kept in the answer key when renamed), its text. */
function choiceRow(
  question: Question,
  choices: Choice[],
  c: number,
  at: string,
  { changed, reshape }: Edits,
) {
  const choice = choices[c] as Choice
  const single = question.kind === 'single_choice'
  const id = nextFieldId()
  const correct = h('input', {
    id,
    type: single ? 'radio' : 'checkbox',
    name: `${at}-key`,
    checked: single ? question.answer === choice.id : (question.answers ?? []).includes(choice.id),
    'data-pointer': `${at}/${single ? 'answer' : 'answers'}`,
  })
  correct.addEventListener('change', () => {
    if (single) question.answer = choice.id
    else
      question.answers = correct.checked
        ? [...(question.answers ?? []), choice.id]
        : (question.answers ?? []).filter((key) => key !== choice.id)
    changed()
  })
  const remove = reshape(() => {
    choices.splice(c, 1)
    if (question.answer === choice.id) question.answer = choices[0]?.id
    question.answers = question.answers?.filter((key) => key !== choice.id)
  })
  return h(
    'div',
    { class: 'choice-row' },
    h('p', { class: 'choice' }, correct, h('label', { for: id }, ` Correct: choice ${c + 1}`)),
    input(`Choice ${c + 1} id`, `${at}/choices/${c}/id`, choice.id, (value) => {
      const was = choice.id
      choice.id = value
      if (question.answer === was) question.answer = value
      question.answers = question.answers?.map((key) => (key === was ? value : key))
      changed()
    }),
    input(`Choice ${c + 1} text`, `${at}/choices/${c}/text`, choice.text, (value) => {
      choice.text = value
      changed()
    }),
    choices.length > 2 &&
      h('button', { type: 'button', class: 'link', onclick: remove }, `Remove choice ${c + 1}`),
  )
}

export function choiceFields(question: Question, at: string, edits: Edits) {
  const choices = question.choices ?? []
  const addChoice = edits.reshape(() => {
    const id = String.fromCharCode(97 + choices.length)
    question.choices = [...choices, { id, text: id.toUpperCase() }]
  })
  return h(
    'fieldset',
    { class: 'choices-editor' },
    h(
      'legend',
      {},
      question.kind === 'single_choice'
        ? 'Choices (mark the correct one)'
        : 'Choices (mark every correct one)',
    ),
    choices.map((_, c) => choiceRow(question, choices, c, at, edits)),
    h('button', { type: 'button', class: 'secondary', onclick: addChoice }, 'Add a choice'),
  )
}
