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

/** The control a pointer names under `root`, or else the nearest field above it that has one. */
function nearestControl(root: ParentNode, pointer: string) {
  for (let at = pointer; at !== ''; at = at.slice(0, Math.max(0, at.lastIndexOf('/')))) {
    const control = root.querySelector<HTMLElement>(`[data-pointer="${CSS.escape(at)}"]`)
    if (control) return control
  }
  return null
}

let messageIds = 0

/**
 * Messages beside the fields they concern (by JSON pointer), each field marked `aria-invalid` and
 * naming its message in `aria-describedby`. `source` keeps the live checks' marks (as the author
 * types) and the API's (after a save) apart: each call clears only its own earlier ones, and a field
 * stays invalid while either still marks it. The fields marked, in order.
 */
export function markFields(
  root: ParentNode,
  source: 'live' | 'server',
  messages: readonly { pointer: string; message: string }[],
): HTMLElement[] {
  const flag = `data-invalid-${source}`
  for (const old of root.querySelectorAll(`.field-message-${source}`)) old.remove()
  for (const control of root.querySelectorAll<HTMLElement>(`[${flag}]`)) {
    const ids = new Set((control.getAttribute(flag) ?? '').split(' '))
    const kept = (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && !ids.has(id))
    if (kept.length > 0) control.setAttribute('aria-describedby', kept.join(' '))
    else control.removeAttribute('aria-describedby')
    control.removeAttribute(flag)
    if (!control.hasAttribute('data-invalid-live') && !control.hasAttribute('data-invalid-server'))
      control.removeAttribute('aria-invalid')
  }
  const marked: HTMLElement[] = []
  for (const { pointer, message } of messages) {
    const control = nearestControl(root, pointer.replace(/^#/, ''))
    if (!control) continue
    const id = `field-message-${++messageIds}`
    const className = `field-message-${source} ${source === 'live' ? 'field-problem' : 'field-error'} error`
    control.setAttribute('aria-invalid', 'true')
    control.setAttribute(flag, [control.getAttribute(flag), id].filter(Boolean).join(' '))
    control.setAttribute(
      'aria-describedby',
      [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '),
    )
    // After the field's last message (or the control): several read in order.
    const last = [...(control.parentElement?.querySelectorAll(`.field-message-${source}`) ?? [])].at(-1)
    ;(last ?? control).after(h('span', { class: className, id }, message))
    marked.push(control)
  }
  return marked
}

/** The API's validation errors, in words beside their fields; the first one focused. */
export function markProblemFields(failure: unknown) {
  const messages = invalidFields(failure).flatMap(({ pointer, detail }) =>
    pointer === undefined ? [] : [{ pointer, message: inWords(detail) }],
  )
  markFields(document, 'server', messages)[0]?.focus()
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
