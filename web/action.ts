/** Buttons that run a request: busy meanwhile, with the problem's detail shown beside them on failure. */
import { DetailedError } from 'hono/client'
import { describeError } from './api.ts'
import { h } from './dom.ts'

type InvalidField = { pointer?: string; parameter?: string; detail: string }

/** Each invalid field of a problem (RFC 9457 `errors`): where it is and what is wrong. */
export function invalidFields(failure: unknown): InvalidField[] {
  if (!(failure instanceof DetailedError)) return []
  return (failure.detail as { data?: { errors?: InvalidField[] } } | undefined)?.data?.errors ?? []
}

const problemDetails = (failure: unknown) =>
  invalidFields(failure).map((e) => `${e.pointer ?? e.parameter ?? ''}: ${e.detail}`)

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
