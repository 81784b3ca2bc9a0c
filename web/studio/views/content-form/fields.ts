/** The content form's model and its labelled controls, each named by the JSON pointer it edits. */
import { h } from '../../../dom.ts'

export type Choice = { id: string; text: string }
export type Question = {
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
  variables?: Record<
    string,
    { min: number; max: number; step: number; decimals?: number } | { choices: (number | string)[] }
  >
  constraints?: string[]
}
export type Content = {
  instructions?: string
  passingScore?: number
  questions: Question[]
  draw?: number
  shuffle?: boolean
  review?: { correctness?: boolean; answers?: 'always' | 'after_pass' | 'never' }
}

/**
 * What a component does after an edit: `changed` runs after every one (the caller redraws the JSON
 * and the preview), `reshape(apply)` makes a handler for edits that change the form's shape (a
 * question or a choice added or removed), which also redraws the form.
 */
export type Edits = { changed: () => void; reshape: (apply: () => void) => () => void }

let fieldIds = 0
export const nextFieldId = () => `content-field-${++fieldIds}`

/** A labelled input bound to `write`, named by its JSON pointer. */
export function input(
  label: string,
  pointer: string,
  value: string | number | undefined,
  write: (value: string) => void,
  attributes: Record<string, string | number | boolean> = {},
) {
  const id = nextFieldId()
  const control = h('input', { id, type: 'text', value: value ?? '', 'data-pointer': pointer, ...attributes })
  control.addEventListener('input', () => write(control.value))
  return h('p', { class: 'field' }, h('label', { for: id }, label), control)
}

export const numberOr = (text: string, fallback?: number) => (text.trim() === '' ? fallback : Number(text))

export function checkbox(
  label: string,
  pointer: string,
  checked: boolean,
  write: (on: boolean) => void,
  changed: () => void,
) {
  const id = nextFieldId()
  const box = h('input', { id, type: 'checkbox', checked, 'data-pointer': pointer })
  box.addEventListener('change', () => {
    write(box.checked)
    changed()
  })
  return h('p', { class: 'choice' }, box, h('label', { for: id }, ` ${label}`))
}

export function select(
  label: string,
  pointer: string,
  options: [string, string][],
  value: string,
  write: (value: string) => void,
) {
  const id = nextFieldId()
  const control = h(
    'select',
    { id, 'data-pointer': pointer },
    options.map(([option, text]) => h('option', { value: option, selected: option === value }, text)),
  )
  control.addEventListener('change', () => write(control.value))
  return h('p', { class: 'field' }, h('label', { for: id }, label), control)
}
