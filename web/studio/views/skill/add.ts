/** Adding to a skill: a unit at its end, or a draft activity at the end of one of its units. */
import { action } from '../../../action.ts'
import { h } from '../../../dom.ts'
import { admin, read } from '../../api.ts'
import { field } from '../catalogue.ts'
import type { DocumentUnit } from './types.ts'

/** A new activity's content until the author writes its own: one question, valid as it is. */
const FIRST_QUESTION = {
  id: 'q1',
  kind: 'single_choice',
  prompt: 'A first question',
  choices: [
    { id: 'a', text: 'Yes' },
    { id: 'b', text: 'No' },
  ],
  answer: 'a',
} as const

export function addSection(skillId: string, units: DocumentUnit[]) {
  const newUnit = h(
    'form',
    { class: 'inline-form', 'aria-label': 'New unit' },
    field('Unit name', 'unit-name', { maxlength: 200 }),
  )
  const addUnit = action(
    'Add unit',
    async () => {
      const name = String(new FormData(newUnit).get('unit-name') ?? '')
      await read(admin.units.$post({ json: { skillId, name, order: units.length } }))
      location.reload()
    },
    'secondary',
  )
  const unitChoice = h(
    'select',
    { id: 'activity-unit', name: 'unit' },
    units.map((unit) => h('option', { value: unit.id }, unit.name)),
  )
  const newActivity = h(
    'form',
    { class: 'inline-form', 'aria-label': 'New activity' },
    field('Activity name', 'activity-name', { maxlength: 200 }),
    h('p', { class: 'field' }, h('label', { for: 'activity-unit' }, 'In unit'), unitChoice),
  )
  const addActivity = action(
    'Add activity (draft)',
    async () => {
      const data = new FormData(newActivity)
      const unitId = String(data.get('unit') ?? '')
      const created = await read(
        admin.activities.$post({
          json: {
            unitId,
            name: String(data.get('activity-name') ?? ''),
            order: units.find((unit) => unit.id === unitId)?.activities.length ?? 0,
            content: { questions: [{ ...FIRST_QUESTION, choices: [...FIRST_QUESTION.choices] }] },
          },
        }),
      )
      location.hash = `#/activities/${created.id}`
    },
    'secondary',
  )
  return [h('h2', {}, 'Add'), newUnit, addUnit, units.length > 0 && [newActivity, addActivity]]
}
