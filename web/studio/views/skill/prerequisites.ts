/** What a skill builds on: learners see it recommended after these (a soft lock). */
import { action } from '../../../action.ts'
import { h } from '../../../dom.ts'
import { admin, read } from '../../api.ts'
import type { CatalogueDocument } from '../catalogue.ts'
import type { DocumentSkill } from './types.ts'

export function prerequisitesSection(skill: DocumentSkill, catalogue: CatalogueDocument) {
  const skillId = skill.id
  const names = new Map(catalogue.skills.map((s) => [s.id, s.name]))
  const nameOf = (id: string) => names.get(id) ?? id
  const listed = h(
    'ul',
    { class: 'prerequisites' },
    skill.prerequisites.map((requiredSkillId) =>
      h(
        'li',
        {},
        nameOf(requiredSkillId),
        ' ',
        action(
          `Stop requiring “${nameOf(requiredSkillId)}”`,
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
  const add = action(
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
  return [
    h('h2', {}, 'Prerequisites'),
    skill.prerequisites.length === 0
      ? h('p', { class: 'meta' }, 'None: learners may start it at once.')
      : listed,
    candidates.length > 0 && [
      h('p', { class: 'field' }, h('label', { for: 'new-prerequisite' }, 'Skill to require first'), required),
      add,
    ],
  ]
}
