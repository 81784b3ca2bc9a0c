/** Buttons that run a request: busy meanwhile, with the problem's detail shown beside them on failure. */
import { DetailedError } from 'hono/client'
import { describeError } from './api.ts'
import { h } from './dom.ts'

type InvalidField = { pointer?: string; parameter?: string; detail: string }

/** Each invalid field of a problem (RFC 9457 `errors`): where it is and what is wrong. */
function invalidFields(failure: unknown): InvalidField[] {
  if (!(failure instanceof DetailedError)) return []
  return (failure.detail as { data?: { errors?: InvalidField[] } } | undefined)?.data?.errors ?? []
}

/** A validation message in words: "Too small: expected number to be >=0" says "Must be at least 0." */
function inWords(detail: string): string {
  const rules: [RegExp, (...groups: string[]) => string][] = [
    [/^Too small: expected number to be >=?(\S+)$/, (n) => `Must be at least ${n}.`],
    [/^Too big: expected number to be <=?(\S+)$/, (n) => `Must be at most ${n}.`],
    [/^Too small: expected string to have >=1 characters?$/, () => 'Must not be empty.'],
    [/^Too small: expected string to have >=(\d+) characters$/, (n) => `Must have at least ${n} characters.`],
    [/^Too big: expected string to have <=(\d+) characters$/, (n) => `Must have at most ${n} characters.`],
    [/^Too small: expected array to have >=(\d+) items?$/, (n) => `Needs at least ${n}.`],
    [/^Too big: expected array to have <=(\d+) items$/, (n) => `At most ${n}.`],
    [
      /^Invalid input: expected (\w+), received (\w+)$/,
      (want) => `Must be a ${want === 'int' ? 'whole number' : want}.`,
    ],
  ]
  for (const [pattern, words] of rules) {
    const match = pattern.exec(detail)
    if (match) return words(...match.slice(1))
  }
  const sentence = detail.charAt(0).toUpperCase() + detail.slice(1)
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`
}

/** The control a problem's pointer names on this page (`data-pointer`), if there is one. */
const controlOf = (pointer: string | undefined) =>
  pointer === undefined
    ? null
    : document.querySelector<HTMLElement>(`[data-pointer="${CSS.escape(pointer.replace(/^#/, ''))}"]`)

/** The field's label, or where it is when the page has no such field. */
function whereOf(error: InvalidField) {
  const control = controlOf(error.pointer)
  const label = control?.id
    ? document.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent
    : null
  return label ?? error.parameter ?? error.pointer?.replace(/^#\//, '').replaceAll('/', ' › ') ?? ''
}

const problemDetails = (failure: unknown) =>
  invalidFields(failure).map((error) => `${whereOf(error)}: ${inWords(error.detail)}`)

/**
 * Each invalid field of a problem, marked where it is: `aria-invalid`, its message in words beside it
 * (and named by `aria-describedby`); the first one focused. Earlier marks are cleared.
 */
export function markFields(failure: unknown) {
  for (const old of document.querySelectorAll('.field-error')) old.remove()
  for (const control of document.querySelectorAll('[data-server-invalid]')) {
    control.removeAttribute('aria-invalid')
    control.removeAttribute('data-server-invalid')
  }
  const marked: HTMLElement[] = []
  for (const error of invalidFields(failure)) {
    const control = controlOf(error.pointer)
    if (!control) continue
    const id = `${control.id || 'field'}-error`
    control.setAttribute('aria-invalid', 'true')
    control.setAttribute('data-server-invalid', '')
    control.setAttribute(
      'aria-describedby',
      [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '),
    )
    control.after(h('span', { class: 'field-error error', id }, inWords(error.detail)))
    marked.push(control)
  }
  marked[0]?.focus()
}

/** A failure to tell the person as it is (a file not chosen, JSON that does not parse). */
export class UserError extends Error {}

export function action(label: string, task: () => Promise<void>, className = 'primary') {
  const error = h('div', { class: 'error', role: 'alert' })
  const button = h('button', { type: 'button', class: className }, label)
  button.addEventListener('click', async () => {
    button.disabled = true
    error.replaceChildren()
    try {
      await task()
    } catch (failure) {
      const fields = problemDetails(failure)
      error.append(h('p', {}, failure instanceof UserError ? failure.message : describeError(failure)))
      if (fields.length > 0) error.append(h('ul', {}, ...fields.map((line) => h('li', {}, line))))
    } finally {
      button.disabled = false
    }
  })
  return h('div', { class: 'actions' }, button, error)
}
