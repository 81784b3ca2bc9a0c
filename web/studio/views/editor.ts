/**
 * The activity editor: its fields, its content as a form per question kind and as raw JSON — the
 * same object, edit either — with a live preview (editor/content-editor.ts), and saving with the
 * API's validation errors put on their fields (editor/actions.ts).
 */
import { action } from '../../action.ts'
import { formatDate, h, statusBadge } from '../../dom.ts'
import { announce } from '../../router.ts'
import { admin, download, read } from '../api.ts'
import { field, readCatalogue } from './catalogue.ts'
import { activityActions, TYPES } from './editor/actions.ts'
import { contentEditor } from './editor/content-editor.ts'

/** Where an activity sits, for the breadcrumbs: its skill and unit, drafts included. */
async function placeOf(activityId: string) {
  const catalogue = await readCatalogue()
  for (const skill of catalogue.skills)
    for (const unit of skill.units)
      if (unit.activities.some((a) => a.id === activityId)) return { skill, unit }
  return null
}

export async function activityEditorView([activityId = '']: string[]) {
  const [activity, place] = await Promise.all([
    read(admin.activities[':activityId'].$get({ param: { activityId } })),
    placeOf(activityId),
  ])
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
  const content = contentEditor(activity.content)
  const { save, publish, remove } = activityActions({ activity, form, json: content.json })

  return {
    title: activity.name,
    content: [
      h(
        'p',
        { class: 'crumbs' },
        h('a', { href: '#/' }, 'Catalogue'),
        place && [
          ' / ',
          h('a', { href: `#/skills/${place.skill.id}` }, place.skill.name),
          ` / ${place.unit.name}`,
        ],
        ` / ${activity.name}`,
      ),
      h('h1', {}, activity.name, ' ', statusBadge(activity.status)),
      h(
        'p',
        { class: 'meta' },
        activity.publishedAt
          ? `Published since ${formatDate(activity.publishedAt)}`
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
          content.questionsForm,
          content.rawJson,
          save,
          publish,
        ),
        h(
          'section',
          { 'aria-labelledby': 'preview-heading' },
          h('h2', { id: 'preview-heading' }, 'Preview, as learners see it'),
          content.preview,
        ),
      ),
      h('h2', {}, 'Export as…'),
      h(
        'p',
        { class: 'hint' },
        'The questions as a file other platforms read: Moodle, Canvas and QTI tools.',
      ),
      exportButtons(activityId),
      h('h2', {}, 'For researchers'),
      action(
        'Download completed attempts (CSV)',
        async () => {
          await download(`/v1/admin/activities/${activityId}/attempts.csv`)
        },
        'secondary',
      ),
      h('h2', {}, 'Danger zone'),
      remove,
    ],
  }
}

const EXPORTS = [
  ['gift', 'GIFT'],
  ['moodle-xml', 'Moodle XML'],
  ['qti', 'QTI 3.0 package'],
] as const

/** A download per format; what a format cannot hold is said after the download. */
function exportButtons(activityId: string) {
  return h(
    'div',
    { class: 'export-buttons' },
    EXPORTS.map(([format, label]) =>
      action(
        `Export as ${label}`,
        async () => {
          const headers = await download(`/v1/admin/activities/${activityId}/export?format=${format}`)
          const skipped = headers.get('export-skipped')
          announce(
            skipped
              ? `Exported as ${label}, without ${skipped}: ${label} cannot hold parameterised questions${format === 'moodle-xml' ? ' of this kind' : ''}.`
              : `Exported as ${label}.`,
          )
        },
        'secondary',
      ),
    ),
  )
}
