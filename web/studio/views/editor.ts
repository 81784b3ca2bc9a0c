/**
 * The activity editor: its fields, its content as JSON (every question kind, points, explanations,
 * passing score, review policy, draw and shuffle: what the API validates, with errors pointing at
 * the field), and a live preview drawn by the learner page's own question view.
 */
import { action, UserError } from '../../action.ts'
import { h } from '../../dom.ts'
import { announce } from '../../router.ts'
import { questionField } from '../../views/activity.ts'
import { admin, download, read } from '../api.ts'
import { field, statusBadge } from './catalogue.ts'
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
    h('p', { class: 'field' }, h('label', { for: 'content' }, 'Content (JSON)'), content),
    h(
      'p',
      { class: 'hint', id: 'content-hint' },
      'Questions: single_choice (choices, answer), multiple_choice (choices, answers), numeric (answer, tolerance), ' +
        'short_text (acceptedAnswers); each with points and an optional explanation. Also passingScore (0–1), ' +
        'review, draw and shuffle.',
    ),
  )
  const preview = h('div', { class: 'preview' })
  const drawPreview = () => {
    try {
      const parsed = JSON.parse(content.value) as { questions?: Parameters<typeof questionField>[0][] }
      preview.replaceChildren(
        h(
          'form',
          { class: 'questions', 'aria-label': 'Preview' },
          // What the API fills in when left out (points: 1), so the preview shows what learners will see.
          (parsed.questions ?? []).map((question, index) =>
            questionField({ ...question, points: question.points ?? 1 }, index),
          ),
        ),
      )
    } catch {
      preview.replaceChildren(h('p', { class: 'error' }, 'The content is not valid JSON yet.'))
    }
  }
  content.addEventListener('input', drawPreview)
  drawPreview()

  const save = action('Save activity', async () => {
    const data = new FormData(form)
    let parsed: unknown
    try {
      parsed = JSON.parse(content.value)
    } catch {
      throw new UserError('The content is not valid JSON.')
    }
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
