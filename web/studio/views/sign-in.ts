/** The only thing the studio shows without a valid token: a form for it. */
import { h } from '../../dom.ts'
import { admin, read, token } from '../api.ts'

/** Resolves once a token the API accepts is in sessionStorage. */
export function showSignIn(reason?: string): Promise<void> {
  const main = document.getElementById('main') as HTMLElement
  const error = h('p', { class: 'error', role: 'alert' }, reason ?? '')
  const input = h('input', {
    id: 'token',
    type: 'password',
    name: 'token',
    autocomplete: 'current-password',
    required: true,
    spellcheck: false,
  })
  const form = h(
    'form',
    { class: 'sign-in' },
    h('label', { for: 'token' }, 'Author token'),
    h('p', { class: 'hint', id: 'token-hint' }, 'Your entry of ADMIN_TOKENS. It is kept in this tab only.'),
    input,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in'), error),
  )
  input.setAttribute('aria-describedby', 'token-hint')
  main.replaceChildren(h('h1', {}, 'Sign in to the studio'), form)
  document.title = 'Sign in · Studio'
  input.focus()
  return new Promise((resolve) => {
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      token.set(input.value.trim())
      error.textContent = ''
      try {
        // Any admin read tells whether the token is accepted.
        await read(admin.classes.$get())
        input.value = ''
        resolve()
      } catch {
        token.clear()
        error.textContent = 'This token was not accepted.'
        input.focus()
      }
    })
  })
}
