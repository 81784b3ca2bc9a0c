/** Buttons that run a request: busy meanwhile, with the problem's detail shown beside them on failure. */
import { DetailedError } from 'hono/client'
import { describeError } from './api.ts'
import { h } from './dom.ts'

/** Each invalid field of a problem (RFC 9457 `errors`), where it is and what is wrong. */
function problemDetails(failure: unknown): string[] {
  if (!(failure instanceof DetailedError)) return []
  const errors = (
    failure.detail as { data?: { errors?: { pointer?: string; parameter?: string; detail: string }[] } }
  )?.data?.errors
  return (errors ?? []).map((e) => `${e.pointer ?? e.parameter ?? ''}: ${e.detail}`)
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
