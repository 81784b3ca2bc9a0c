/**
 * The classes the learner joined: join one with the code a teacher gives, leave one. A class sees
 * how its learners do in counts, never who they are.
 */
import type { InferResponseType } from 'hono/client'
import { api, describeError, once, read } from '../../api.ts'
import { formatDate, h } from '../../dom.ts'
import { announce, render } from '../../router.ts'
import { act } from './act.ts'

type Classes = InferResponseType<typeof api.v1.me.classes.$get, 200>

function joinForm() {
  const input = h('input', {
    id: 'class-code',
    name: 'code',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: false,
    maxlength: 32,
    'aria-describedby': 'class-code-hint class-code-error',
  })
  const error = h('p', { class: 'error', id: 'class-code-error', role: 'alert' })
  const form = h(
    'form',
    { class: 'join-class' },
    h('label', { for: 'class-code' }, 'Class code'),
    h(
      'p',
      { class: 'hint', id: 'class-code-hint' },
      'The eight characters your teacher gives you, such as K7QM-2XHP.',
    ),
    h(
      'div',
      { class: 'inline-field' },
      input,
      h('button', { type: 'submit', class: 'primary' }, 'Join class'),
    ),
    error,
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    error.textContent = ''
    input.removeAttribute('aria-invalid')
    try {
      const joined = await read(api.v1.me.classes.$post({ header: once(), json: { code: input.value } }))
      await render({ focus: false })
      announce(`You joined ${joined.name}.`)
    } catch (failure) {
      // The API's words ("No class has this code."), next to the field they concern.
      error.textContent = describeError(failure)
      input.setAttribute('aria-invalid', 'true')
      input.focus()
    }
  })
  return form
}

export function classesSection(classes: Classes) {
  return h(
    'section',
    { 'aria-labelledby': 'classes-heading' },
    h('h2', { id: 'classes-heading' }, 'Your classes'),
    classes.items.length === 0
      ? h('p', { class: 'meta' }, 'You are in no class yet.')
      : h(
          'ul',
          { class: 'cards', 'aria-label': 'Classes you joined' },
          classes.items.map((item) =>
            h(
              'li',
              { class: 'card', 'data-class': item.id },
              h('h3', {}, item.name),
              h(
                'p',
                { class: 'meta' },
                `Joined ${formatDate(item.joinedAt)}. Your teacher sees counts, never your name.`,
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  onclick: () => {
                    if (!confirm(`Leave ${item.name}?`)) return
                    void act(
                      () =>
                        read(
                          api.v1.me.classes[':classId'].$delete({
                            param: { classId: item.id },
                            header: once(),
                          }),
                        ),
                      `You left ${item.name}.`,
                    )
                  },
                },
                `Leave ${item.name}`,
              ),
            ),
          ),
        ),
    joinForm(),
  )
}
