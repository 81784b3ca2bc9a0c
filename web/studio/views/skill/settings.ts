/** A skill's settings: its fields and BKT parameters, saving, publishing and deleting it. */
import { action } from '../../../action.ts'
import { h, plural } from '../../../dom.ts'
import { announce } from '../../../router.ts'
import { admin, read } from '../../api.ts'
import { field } from '../catalogue.ts'
import type { DocumentSkill } from './types.ts'

/** BKT parameters with what each means and the range the API accepts. */
const BKT = [
  ['pInit', 'P(L0): prior knowledge before any answer', 0.2],
  ['pTransit', 'P(T): chance of learning at each step', 0.15],
  ['pSlip', 'P(S): a wrong answer despite knowing', 0.1],
  ['pGuess', 'P(G): a right answer without knowing', 0.2],
] as const

/** The BKT parameters' fieldset, with the skill's values (or the defaults). */
function bktParameters(bkt: Record<string, number>) {
  return h(
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
  )
}

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

/** The details form with its save and publish buttons, and the delete button of the danger zone. */
export function skillSettings(skill: DocumentSkill) {
  const skillId = skill.id
  const details = h(
    'form',
    { class: 'editor-form', 'aria-labelledby': 'skill-details' },
    field('Name', 'name', { value: skill.name, required: true, maxlength: 200 }),
    field('Description', 'description', { value: skill.description ?? '', maxlength: 2000 }),
    field('Level (1–10)', 'level', { type: 'number', min: 1, max: 10, value: skill.level }),
    bktParameters((skill.metadata.bkt ?? {}) as Record<string, number>),
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
      const status = skill.status === 'draft' ? 'published' : 'draft'
      await read(admin.skills[':skillId'].$patch({ param: { skillId }, json: { status } }))
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
  return { settings: [details, save, publish], remove }
}
