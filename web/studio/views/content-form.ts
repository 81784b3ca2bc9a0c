/**
 * The activity's content as a form: one fieldset per question with the fields of its kind, and the
 * activity-wide settings. The form edits a plain object (the same JSON the raw view shows); every
 * input carries the JSON pointer the API would name in a validation error, so an error can be put
 * on its field.
 */
import { h } from '../../dom.ts'

type Choice = { id: string; text: string }
type Question = {
  id: string
  kind: 'single_choice' | 'multiple_choice' | 'numeric' | 'short_text'
  prompt: string
  points?: number
  explanation?: string
  choices?: Choice[]
  answer?: string | number
  answers?: string[]
  tolerance?: number
  acceptedAnswers?: string[]
}
export type Content = {
  instructions?: string
  passingScore?: number
  questions: Question[]
  draw?: number
  shuffle?: boolean
  review?: { correctness?: boolean; answers?: 'always' | 'after_pass' | 'never' }
}

const KINDS = {
  single_choice: 'Single choice',
  multiple_choice: 'Multiple choice',
  numeric: 'Number (with tolerance)',
  short_text: 'Short text',
} as const

/** A new question of `kind`, valid as it is, with an id not taken yet. */
function newQuestion(kind: Question['kind'], taken: Question[]): Question {
  let n = taken.length + 1
  while (taken.some((q) => q.id === `q${n}`)) n++
  const base = { id: `q${n}`, kind, prompt: 'A new question', points: 1 }
  switch (kind) {
    case 'single_choice':
      return {
        ...base,
        choices: [
          { id: 'a', text: 'A' },
          { id: 'b', text: 'B' },
        ],
        answer: 'a',
      }
    case 'multiple_choice':
      return {
        ...base,
        choices: [
          { id: 'a', text: 'A' },
          { id: 'b', text: 'B' },
        ],
        answers: ['a'],
      }
    case 'numeric':
      return { ...base, answer: 0, tolerance: 0 }
    case 'short_text':
      return { ...base, acceptedAnswers: ['answer'] }
  }
}

let fieldIds = 0

/** A labelled input bound to `read`/`write`, named by its JSON pointer. */
function input(
  label: string,
  pointer: string,
  value: string | number | undefined,
  write: (value: string) => void,
  attributes: Record<string, string | number | boolean> = {},
) {
  const id = `content-field-${++fieldIds}`
  const control = h('input', { id, type: 'text', value: value ?? '', 'data-pointer': pointer, ...attributes })
  control.addEventListener('input', () => write(control.value))
  return h('p', { class: 'field' }, h('label', { for: id }, label), control)
}

const numberOr = (text: string, fallback?: number) => (text.trim() === '' ? fallback : Number(text))

/**
 * The form for `content`; `changed` runs after every edit (the caller redraws the JSON and the
 * preview), `redraw` after edits that change the form's shape (a question or a choice added).
 */
export function contentForm(content: Content, changed: () => void, redraw: () => void) {
  const edit = (apply: () => void) => () => {
    apply()
    changed()
  }
  const reshape = (apply: () => void) => () => {
    apply()
    changed()
    redraw()
  }
  const questions = content.questions.map((question, q) => {
    const at = `/content/questions/${q}`
    const set = <K extends keyof Question>(key: K, value: Question[K]) => {
      if (value === undefined || value === '') delete question[key]
      else question[key] = value
      changed()
    }
    const choices = question.choices ?? []
    const kindFields = (() => {
      switch (question.kind) {
        case 'single_choice':
        case 'multiple_choice': {
          const keys = new Set(
            question.kind === 'single_choice' ? [question.answer] : (question.answers ?? []),
          )
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
            choices.map((choice, c) => {
              const id = `content-field-${++fieldIds}`
              const correct = h('input', {
                id,
                type: question.kind === 'single_choice' ? 'radio' : 'checkbox',
                name: `${at}-key`,
                checked: keys.has(choice.id),
                'data-pointer': `${at}/${question.kind === 'single_choice' ? 'answer' : 'answers'}`,
              })
              correct.addEventListener(
                'change',
                edit(() => {
                  if (question.kind === 'single_choice') question.answer = choice.id
                  else
                    question.answers = correct.checked
                      ? [...(question.answers ?? []), choice.id]
                      : (question.answers ?? []).filter((key) => key !== choice.id)
                }),
              )
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
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link',
                      onclick: reshape(() => {
                        choices.splice(c, 1)
                        if (question.answer === choice.id) question.answer = choices[0]?.id
                        question.answers = question.answers?.filter((key) => key !== choice.id)
                      }),
                    },
                    `Remove choice ${c + 1}`,
                  ),
              )
            }),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: reshape(() => {
                  const id = String.fromCharCode(97 + choices.length)
                  question.choices = [...choices, { id, text: id.toUpperCase() }]
                }),
              },
              'Add a choice',
            ),
          )
        }
        case 'numeric':
          return [
            input('Answer', `${at}/answer`, question.answer, (value) => set('answer', numberOr(value)), {
              type: 'number',
              step: 'any',
            }),
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
        case 'short_text':
          return input(
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
      }
    })()
    return h(
      'fieldset',
      { class: 'question-editor' },
      h('legend', {}, `Question ${q + 1}: ${KINDS[question.kind]}`),
      input('Id', `${at}/id`, question.id, (value) => set('id', value)),
      input('Prompt', `${at}/prompt`, question.prompt, (value) => set('prompt', value)),
      input(
        'Points (1–100)',
        `${at}/points`,
        question.points ?? 1,
        (value) => set('points', numberOr(value)),
        {
          type: 'number',
          min: 1,
          max: 100,
        },
      ),
      kindFields,
      input(
        'Explanation (shown with the expected answer)',
        `${at}/explanation`,
        question.explanation,
        (value) => set('explanation', value),
      ),
      h(
        'p',
        { class: 'actions' },
        q > 0 &&
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              onclick: reshape(() => content.questions.splice(q - 1, 0, ...content.questions.splice(q, 1))),
            },
            `Move question ${q + 1} up`,
          ),
        content.questions.length > 1 &&
          h(
            'button',
            { type: 'button', class: 'link', onclick: reshape(() => content.questions.splice(q, 1)) },
            `Remove question ${q + 1}`,
          ),
      ),
    )
  })

  const kind = h(
    'select',
    { id: 'new-question-kind' },
    Object.entries(KINDS).map(([value, label]) => h('option', { value }, label)),
  )
  const review = content.review ?? {}
  const setReview = <K extends keyof typeof review>(key: K, value: (typeof review)[K]) => {
    if (value === undefined) delete review[key]
    else review[key] = value
    content.review = Object.keys(review).length > 0 ? review : undefined
    changed()
  }
  const settings = h(
    'fieldset',
    { class: 'question-editor' },
    h('legend', {}, 'The activity'),
    input('Instructions', '/content/instructions', content.instructions, (value) => {
      content.instructions = value || undefined
      changed()
    }),
    input(
      'Passing score (0–1)',
      '/content/passingScore',
      content.passingScore ?? 0.7,
      (value) => {
        content.passingScore = numberOr(value)
        changed()
      },
      { type: 'number', min: 0, max: 1, step: 0.05 },
    ),
    input(
      'Draw this many questions per attempt (empty: all)',
      '/content/draw',
      content.draw,
      (value) => {
        content.draw = numberOr(value)
        changed()
      },
      { type: 'number', min: 1, max: 50 },
    ),
    checkbox(
      'Shuffle questions and choices in each attempt',
      '/content/shuffle',
      content.shuffle === true,
      (on) => {
        content.shuffle = on || undefined
      },
      changed,
    ),
    select(
      'After a submit, show which answers were right',
      '/content/review/correctness',
      [
        ['', 'As the activity type says'],
        ['true', 'Yes'],
        ['false', 'No, the score only'],
      ],
      review.correctness === undefined ? '' : String(review.correctness),
      (value) => setReview('correctness', value === '' ? undefined : value === 'true'),
    ),
    select(
      'Show the expected answers',
      '/content/review/answers',
      [
        ['', 'As the activity type says'],
        ['always', 'Always'],
        ['after_pass', 'Once the attempt passes'],
        ['never', 'Never'],
      ],
      review.answers ?? '',
      (value) =>
        setReview('answers', value === '' ? undefined : (value as NonNullable<typeof review.answers>)),
    ),
  )
  return h(
    'div',
    { class: 'content-form' },
    settings,
    questions,
    h(
      'p',
      { class: 'field' },
      h('label', { for: 'new-question-kind' }, 'New question of kind'),
      kind,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: reshape(() => {
            content.questions.push(newQuestion(kind.value as Question['kind'], content.questions))
          }),
        },
        'Add question',
      ),
    ),
  )
}

function checkbox(
  label: string,
  pointer: string,
  checked: boolean,
  write: (on: boolean) => void,
  changed: () => void,
) {
  const id = `content-field-${++fieldIds}`
  const box = h('input', { id, type: 'checkbox', checked, 'data-pointer': pointer })
  box.addEventListener('change', () => {
    write(box.checked)
    changed()
  })
  return h('p', { class: 'choice' }, box, h('label', { for: id }, ` ${label}`))
}

function select(
  label: string,
  pointer: string,
  options: [string, string][],
  value: string,
  write: (value: string) => void,
) {
  const id = `content-field-${++fieldIds}`
  const control = h(
    'select',
    { id, 'data-pointer': pointer },
    options.map(([option, text]) => h('option', { value: option, selected: option === value }, text)),
  )
  control.addEventListener('change', () => write(control.value))
  return h('p', { class: 'field' }, h('label', { for: id }, label), control)
}
