/**
 * A skill: its fields and BKT parameters, publishing, its units and activities in order (moved
 * with buttons, saved in one atomic request), new units and activities, and deleting with what
 * would go along counted first.
 */
import { action } from '../../action.ts'
import { h, plural, statusBadge } from '../../dom.ts'
import { announce } from '../../router.ts'
import { admin, read } from '../api.ts'
import { type CatalogueDocument, field, readCatalogue } from './catalogue.ts'

type DocumentSkill = CatalogueDocument['skills'][number]
type DocumentUnit = DocumentSkill['units'][number]

/** BKT parameters with what each means and the range the API accepts. */
const BKT = [
  ['pInit', 'P(L0): prior knowledge before any answer', 0.2],
  ['pTransit', 'P(T): chance of learning at each step', 0.15],
  ['pSlip', 'P(S): a wrong answer despite knowing', 0.1],
  ['pGuess', 'P(G): a right answer without knowing', 0.2],
] as const

/** What deleting would take along, in words, from the API's count. */
export async function confirmDelete(kind: 'skills' | 'units' | 'activities', id: string, name: string) {
  const counts =
    kind === 'skills'
      ? await read(admin.skills[':skillId'].cascade.$get({ param: { skillId: id } }))
      : kind === 'units'
        ? await read(admin.units[':unitId'].cascade.$get({ param: { unitId: id } }))
        : await read(admin.activities[':activityId'].cascade.$get({ param: { activityId: id } }))
  const along = [
    kind === 'skills' && plural(counts.units, 'unit'),
    kind !== 'activities' && plural(counts.activities, 'activity'),
    `${plural(counts.attempts, 'attempt')} of ${plural(counts.learners, 'learner')}`,
    plural(counts.skillStates, 'skill state'),
  ].filter(Boolean)
  return confirm(`Delete “${name}”? This also deletes ${along.join(', ')}. It cannot be undone.`)
}

export async function skillView([skillId = '']: string[]) {
  const catalogue = await readCatalogue()
  const skill = catalogue.skills.find((s) => s.id === skillId.toLowerCase())
  if (!skill)
    return { title: 'Not found', content: [h('h1', {}, 'Not found'), h('p', {}, 'No skill with this id.')] }
  const units = skill.units.map((unit) => ({ ...unit, activities: [...unit.activities] }))
  const bkt = (skill.metadata.bkt ?? {}) as Record<string, number>

  const details = h(
    'form',
    { class: 'editor-form', 'aria-labelledby': 'skill-details' },
    field('Name', 'name', { value: skill.name, required: true, maxlength: 200 }),
    field('Description', 'description', { value: skill.description ?? '', maxlength: 2000 }),
    field('Level (1–10)', 'level', { type: 'number', min: 1, max: 10, value: skill.level }),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Knowledge tracing (BKT) — each strictly between 0 and 1, and P(S) + P(G) < 1'),
      BKT.map(([name, meaning, fallback]) =>
        field(meaning, name, {
          type: 'number',
          step: 0.01,
          min: 0.01,
          max: 0.99,
          value: bkt[name] ?? fallback,
        }),
      ),
    ),
  )
  const save = action('Save skill', async () => {
    const data = new FormData(details)
    const number = (name: string) => Number(data.get(name))
    await read(
      admin.skills[':skillId'].$patch({
        param: { skillId },
        json: {
          name: String(data.get('name')),
          description: String(data.get('description') ?? '') || null,
          level: number('level'),
          metadata: { ...skill.metadata, bkt: Object.fromEntries(BKT.map(([name]) => [name, number(name)])) },
        },
      }),
    )
    announce('Skill saved.')
  })
  const publish = action(
    skill.status === 'draft' ? 'Publish skill' : 'Back to draft',
    async () => {
      await read(
        admin.skills[':skillId'].$patch({
          param: { skillId },
          json: { status: skill.status === 'draft' ? 'published' : 'draft' },
        }),
      )
      location.reload()
    },
    'secondary',
  )
  const remove = action(
    'Delete skill…',
    async () => {
      if (!(await confirmDelete('skills', skillId, skill.name))) return
      await admin.skills[':skillId'].$delete({ param: { skillId } })
      location.hash = '#/'
    },
    'secondary',
  )

  // Prerequisites: what this skill builds on (learners see it recommended after them; a soft lock).
  const names = new Map(catalogue.skills.map((s) => [s.id, s.name]))
  const prerequisites = h(
    'ul',
    { class: 'prerequisites' },
    skill.prerequisites.map((requiredSkillId) =>
      h(
        'li',
        {},
        names.get(requiredSkillId) ?? requiredSkillId,
        ' ',
        action(
          `Stop requiring “${names.get(requiredSkillId) ?? requiredSkillId}”`,
          async () => {
            await admin.skills[':skillId'].prerequisites[':requiredSkillId'].$delete({
              param: { skillId, requiredSkillId },
            })
            location.reload()
          },
          'link',
        ),
      ),
    ),
  )
  const candidates = catalogue.skills.filter((s) => s.id !== skill.id && !skill.prerequisites.includes(s.id))
  const required = h(
    'select',
    { id: 'new-prerequisite' },
    candidates.map((s) => h('option', { value: s.id }, s.name)),
  )
  const addPrerequisite = action(
    'Require this skill first',
    async () => {
      await read(
        admin.skills[':skillId'].prerequisites[':requiredSkillId'].$put({
          param: { skillId, requiredSkillId: required.value },
        }),
      )
      location.reload()
    },
    'secondary',
  )

  const list = h('ol', { class: 'structure', 'aria-label': 'Units and activities, in order' })
  type Direction = 'up' | 'down'
  /** Redraws the list; the moved item's button keeps the focus (at an end, its other button takes it). */
  const drawStructure = (moved?: { id: string; direction: Direction }) => {
    list.replaceChildren(...units.map((unit, u) => unitItem(unit, u)))
    if (!moved) return
    const button = (direction: Direction) =>
      list.querySelector<HTMLButtonElement>(`[data-move="${moved.id}-${direction}"]`)
    const same = button(moved.direction)
    ;(same && !same.disabled ? same : button(moved.direction === 'up' ? 'down' : 'up'))?.focus()
  }
  const move = <T>(items: T[], from: number, to: number) => {
    if (to < 0 || to >= items.length) return false
    const [item] = items.splice(from, 1)
    items.splice(to, 0, item as T)
    return true
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
            if (move(items, index, direction === 'up' ? index - 1 : index + 1)) {
              drawStructure({ id, direction })
              announce(`Moved “${name}” ${direction}. Save the order to keep it.`)
            }
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
    )
  /** Renaming or deleting a unit (after saying what would go with it). */
  const unitEditor = (unit: DocumentUnit) => {
    const form = h(
      'form',
      { class: 'inline-form' },
      field(`New name for “${unit.name}”`, `unit-${unit.id}`, { value: unit.name, maxlength: 200 }),
    )
    return h(
      'details',
      { class: 'unit-edit' },
      h('summary', {}, `Rename or delete “${unit.name}”`),
      form,
      action(
        'Rename unit',
        async () => {
          const name = String(new FormData(form).get(`unit-${unit.id}`) ?? '')
          await read(admin.units[':unitId'].$patch({ param: { unitId: unit.id }, json: { name } }))
          location.reload()
        },
        'secondary',
      ),
      action(
        'Delete unit…',
        async () => {
          if (!(await confirmDelete('units', unit.id, unit.name))) return
          await admin.units[':unitId'].$delete({ param: { unitId: unit.id } })
          location.reload()
        },
        'secondary',
      ),
    )
  }
  drawStructure()
  const saveOrder = action('Save the order', async () => {
    await read(
      admin.skills[':skillId'].order.$put({
        param: { skillId },
        json: { units: units.map((unit) => ({ id: unit.id, activities: unit.activities.map((a) => a.id) })) },
      }),
    )
    announce('Order saved.')
  })

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
            content: {
              questions: [
                {
                  id: 'q1',
                  kind: 'single_choice',
                  prompt: 'A first question',
                  choices: [
                    { id: 'a', text: 'Yes' },
                    { id: 'b', text: 'No' },
                  ],
                  answer: 'a',
                },
              ],
            },
          },
        }),
      )
      location.hash = `#/activities/${created.id}`
    },
    'secondary',
  )

  return {
    title: skill.name,
    content: [
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Catalogue'), ` / ${skill.name}`),
      h('h1', {}, skill.name, ' ', statusBadge(skill.status)),
      h('p', {}, h('a', { href: `#/skills/${skillId}/analytics` }, 'Dashboard: learners, mastery, funnel')),
      h('h2', { id: 'skill-details' }, 'Details'),
      details,
      save,
      publish,
      h('h2', {}, 'Prerequisites'),
      skill.prerequisites.length === 0
        ? h('p', { class: 'meta' }, 'None: learners may start it at once.')
        : prerequisites,
      candidates.length > 0 && [
        h(
          'p',
          { class: 'field' },
          h('label', { for: 'new-prerequisite' }, 'Skill to require first'),
          required,
        ),
        addPrerequisite,
      ],
      h('h2', {}, 'Units and activities'),
      h(
        'p',
        { class: 'hint' },
        'Move items with the arrow buttons, then save the order: one request, all or nothing.',
      ),
      list,
      saveOrder,
      h('h2', {}, 'Add'),
      newUnit,
      addUnit,
      units.length > 0 && [newActivity, addActivity],
      h('h2', {}, 'Danger zone'),
      remove,
    ],
  }
}
