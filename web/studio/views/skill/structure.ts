/**
 * A skill's units and their activities in order: moved with buttons (the moved item keeps the
 * focus), saved in one atomic request; each unit renamed or deleted in place.
 */
import { action } from '../../../action.ts'
import { h, statusBadge } from '../../../dom.ts'
import { announce } from '../../../router.ts'
import { admin, read } from '../../api.ts'
import { field } from '../catalogue.ts'
import { importQuestions } from './import-questions.ts'
import { confirmDelete } from './settings.ts'
import type { DocumentUnit } from './types.ts'

type Direction = 'up' | 'down'

/** Moves `items[from]` to `to`; false when `to` is past an end. */
function move<T>(items: T[], from: number, to: number) {
  if (to < 0 || to >= items.length) return false
  const [item] = items.splice(from, 1)
  items.splice(to, 0, item as T)
  return true
}

/** Renaming or deleting a unit (after saying what would go with it). */
function unitEditor(unit: DocumentUnit) {
  const form = h(
    'form',
    { class: 'inline-form' },
    field(`New name for “${unit.name}”`, `unit-${unit.id}`, { value: unit.name, maxlength: 200 }),
  )
  const rename = action(
    'Rename unit',
    async () => {
      const name = String(new FormData(form).get(`unit-${unit.id}`) ?? '')
      await read(admin.units[':unitId'].$patch({ param: { unitId: unit.id }, json: { name } }))
      location.reload()
    },
    'secondary',
  )
  const remove = action(
    'Delete unit…',
    async () => {
      if (!(await confirmDelete('units', unit.id, unit.name))) return
      await admin.units[':unitId'].$delete({ param: { unitId: unit.id } })
      location.reload()
    },
    'secondary',
  )
  return h(
    'details',
    { class: 'unit-edit' },
    h('summary', {}, `Rename or delete “${unit.name}”`),
    form,
    rename,
    remove,
  )
}

export function structureSection(skillId: string, units: DocumentUnit[]) {
  const list = h('ol', { class: 'structure', 'aria-label': 'Units and activities, in order' })
  /** Redraws the list; the moved item's button keeps the focus (at an end, its other button takes it). */
  const draw = (moved?: { id: string; direction: Direction }) => {
    list.replaceChildren(...units.map(unitItem))
    if (!moved) return
    const button = (direction: Direction) =>
      list.querySelector<HTMLButtonElement>(`[data-move="${moved.id}-${direction}"]`)
    const same = button(moved.direction)
    ;(same && !same.disabled ? same : button(moved.direction === 'up' ? 'down' : 'up'))?.focus()
  }
  const mover = (label: string, items: unknown[], index: number, id: string, name: string) =>
    (['up', 'down'] as const).map((direction: Direction) =>
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          'data-move': `${id}-${direction}`,
          'aria-label': `Move ${label} “${name}” ${direction}`,
          disabled: direction === 'up' ? index === 0 : index === items.length - 1,
          onclick: () => {
            if (!move(items, index, direction === 'up' ? index - 1 : index + 1)) return
            draw({ id, direction })
            announce(`Moved “${name}” ${direction}. Save the order to keep it.`)
          },
        },
        direction === 'up' ? '↑' : '↓',
      ),
    )
  const unitItem = (unit: DocumentUnit, u: number) =>
    h(
      'li',
      { class: 'unit' },
      h('h3', {}, unit.name, ' ', mover('unit', units, u, unit.id, unit.name)),
      h(
        'ol',
        { class: 'activities' },
        unit.activities.map((activity, a) =>
          h(
            'li',
            {},
            h('a', { href: `#/activities/${activity.id}` }, activity.name),
            ' ',
            statusBadge(activity.status),
            ' ',
            mover('activity', unit.activities, a, activity.id, activity.name),
          ),
        ),
      ),
      unitEditor(unit),
      importQuestions(unit),
    )
  draw()
  const saveOrder = action('Save the order', async () => {
    const order = units.map((unit) => ({ id: unit.id, activities: unit.activities.map((a) => a.id) }))
    await read(admin.skills[':skillId'].order.$put({ param: { skillId }, json: { units: order } }))
    announce('Order saved.')
  })
  return [
    h('h2', {}, 'Units and activities'),
    h(
      'p',
      { class: 'hint' },
      'Move items with the arrow buttons, then save the order: one request, all or nothing.',
    ),
    list,
    saveOrder,
  ]
}
