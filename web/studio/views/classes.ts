/** Classes: a teacher's group, joined with a code; every dashboard can show one class. */
import { action } from '../../action.ts'
import { h, plural } from '../../dom.ts'
import { admin, read } from '../api.ts'
import { field } from './catalogue.ts'

export async function classesView() {
  const classes = await read(admin.classes.$get())
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'New class' },
    field('Class name', 'class-name', { maxlength: 200 }),
  )
  const create = action('Create class', async () => {
    await read(admin.classes.$post({ json: { name: String(new FormData(form).get('class-name') ?? '') } }))
    location.reload()
  })
  return {
    title: 'Classes',
    content: [
      h('h1', {}, 'Classes'),
      h(
        'p',
        {},
        'Give learners the join code: they join on the learner page, under Your account → Your classes. ' +
          'They stay anonymous to the class, and every dashboard can show one class.',
      ),
      h(
        'ul',
        { class: 'cards' },
        classes.items.map((item) =>
          h(
            'li',
            { class: 'card' },
            h('h2', {}, item.name),
            h('p', {}, 'Join code: ', h('code', {}, item.joinCode)),
            h('p', { class: 'meta' }, plural(item.members, 'learner')),
          ),
        ),
      ),
      form,
      create,
    ],
  }
}
