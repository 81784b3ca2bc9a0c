/**
 * The activity editor: its fields, its content as a form per question kind (content-form.ts) and as
 * raw JSON — the same object, edit either — with the API's validation errors put on their fields,
 * and a live preview drawn by the learner page's own question view.
 */
import { action, invalidFields, UserError } from '../../action.ts'
import { h, statusBadge } from '../../dom.ts'
import { announce } from '../../router.ts'
import { questionField } from '../../views/activity.ts'
import { admin, download, read } from '../api.ts'
import { field } from './catalogue.ts'
import { type Content, contentForm } from './content-form.ts'
import { confirmDelete } from './skill.ts'

const TYPES = ['practice', 'quiz', 'test', 'challenge'] as const

export async function activityEditorView([activityId = '']: string[]) {
  const activity = await read(admin.activities[':activityId'].$get({ param: { activityId } }))
  const content = h(
    'textarea',
    { id: 'content', name: 'content', rows: 24, spellcheck: false, 'aria-describedby': 'content-hint' },
    JSON.stringify(activity.content, null, 2),
  )
  const type = h(
    'select',
    { id: 'field-type', name: 'type' },
    TYPES.map((value) => h('option', { value, selected: value === activity.type }, value)),
  )
  const form = h(
    'form',
    { class: 'editor-form', 'aria-labelledby': 'activity-details' },
    field('Name', 'name', { value: activity.name, required: true, maxlength: 200 }),
    field('Description', 'description', { value: activity.description ?? '', maxlength: 2000 }),
    h('p', { class: 'field' }, h('label', { for: 'field-type' }, 'Type'), type),
  )
  // One object is the content: the form edits it, the JSON view shows it, the preview draws it.
  let edited = structuredClone(activity.content) as Content
  const questionsForm = h('div', {})
  const preview = h('div', { class: 'preview' })
  const drawPreview = () =>
    preview.replaceChildren(
      h(
        'form',
        { class: 'questions', 'aria-label': 'Preview' },
        // What the API fills in when left out (points: 1), so the preview shows what learners will see.
        edited.questions.map((question, index) =>
          questionField(
            { ...question, points: question.points ?? 1 } as Parameters<typeof questionField>[0],
            index,
          ),
        ),
      ),
    )
  const changed = () => {
    content.value = JSON.stringify(edited, null, 2)
    drawPreview()
  }
  const drawForm = () => questionsForm.replaceChildren(contentForm(edited, changed, drawForm))
  // Raw JSON edits take over once they parse; until then the form and the preview wait.
  content.addEventListener('input', () => {
    try {
      edited = JSON.parse(content.value) as Content
      if (!Array.isArray(edited.questions)) throw new Error('no questions')
    } catch {
      preview.replaceChildren(h('p', { class: 'error' }, 'The JSON is not valid content yet.'))
      return
    }
    drawForm()
    drawPreview()
  })
  drawForm()
  drawPreview()

  /** The API's validation errors, put on their fields: marked invalid, the first one focused. */
  const markInvalid = (failure: unknown) => {
    for (const control of document.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid')
    const pointers = invalidFields(failure).flatMap((error) => error.pointer ?? [])
    const controls = pointers.flatMap((pointer) => [
      ...document.querySelectorAll<HTMLElement>(`[data-pointer="${CSS.escape(pointer.replace(/^#/, ''))}"]`),
    ])
    for (const control of controls) control.setAttribute('aria-invalid', 'true')
    controls[0]?.focus()
  }

  const save = action('Save activity', async () => {
    const data = new FormData(form)
    let parsed: unknown
    try {
      parsed = JSON.parse(content.value)
    } catch {
      throw new UserError('The content is not valid JSON.')
    }
    try {
      await read(
        admin.activities[':activityId'].$patch({
          param: { activityId },
          json: {
            name: String(data.get('name')),
            description: String(data.get('description') ?? '') || null,
            type: String(data.get('type')) as (typeof TYPES)[number],
            content: parsed as never,
          },
        }),
      )
    } catch (failure) {
      markInvalid(failure)
      throw failure
    }
    markInvalid(null)
    announce('Activity saved.')
  })
  const publish = action(
    activity.status === 'draft' ? 'Publish activity' : 'Back to draft',
    async () => {
      await read(
        admin.activities[':activityId'].$patch({
          param: { activityId },
          json: { status: activity.status === 'draft' ? 'published' : 'draft' },
        }),
      )
      location.reload()
    },
    'secondary',
  )
  const remove = action(
    'Delete activity…',
    async () => {
      if (!(await confirmDelete('activities', activityId, activity.name))) return
      await admin.activities[':activityId'].$delete({ param: { activityId } })
      history.back()
    },
    'secondary',
  )

  return {
    title: activity.name,
    content: [
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Catalogue'), ' / ', activity.name),
      h('h1', {}, activity.name, ' ', statusBadge(activity.status)),
      h(
        'p',
        { class: 'meta' },
        activity.publishedAt
          ? `Published since ${new Date(activity.publishedAt).toLocaleDateString()}`
          : 'Draft: learners do not see it',
        activity.updatedBy && ` · last changed by ${activity.updatedBy}`,
      ),
      h(
        'p',
        {},
        h('a', { href: `#/activities/${activityId}/analytics` }, 'Dashboard: attempts, items, distractors'),
      ),
      h(
        'div',
        { class: 'editor' },
        h(
          'section',
          { 'aria-labelledby': 'activity-details' },
          h('h2', { id: 'activity-details' }, 'Details'),
          form,
          h('h2', {}, 'Questions'),
          questionsForm,
          h(
            'details',
            { class: 'raw-json' },
            h('summary', {}, 'Content as JSON'),
            h('p', { class: 'field' }, h('label', { for: 'content' }, 'Content (JSON)'), content),
            h(
              'p',
              { class: 'hint', id: 'content-hint' },
              'The same content as the form, as the API takes it: edit either.',
            ),
          ),
          save,
          publish,
        ),
        h(
          'section',
          { 'aria-labelledby': 'preview-heading' },
          h('h2', { id: 'preview-heading' }, 'Preview, as learners see it'),
          preview,
        ),
      ),
      h('h2', {}, 'For researchers'),
      action(
        'Download completed attempts (CSV)',
        () => download(`/v1/admin/activities/${activityId}/attempts.csv`),
        'secondary',
      ),
      h('h2', {}, 'Danger zone'),
      remove,
    ],
  }
}
