/**
 * A skill, as its components show it: settings and BKT parameters (skill/settings.ts),
 * prerequisites, units and activities in order, new units and activities, and deleting it with what
 * would go along counted first.
 */
import { h, statusBadge } from '../../dom.ts'
import { readCatalogue } from './catalogue.ts'
import { addSection } from './skill/add.ts'
import { prerequisitesSection } from './skill/prerequisites.ts'
import { skillSettings } from './skill/settings.ts'
import { structureSection } from './skill/structure.ts'

export async function skillView([skillId = '']: string[]) {
  const catalogue = await readCatalogue()
  const skill = catalogue.skills.find((s) => s.id === skillId.toLowerCase())
  if (!skill)
    return { title: 'Not found', content: [h('h1', {}, 'Not found'), h('p', {}, 'No skill with this id.')] }
  // A copy the order buttons rearrange until it is saved.
  const units = skill.units.map((unit) => ({ ...unit, activities: [...unit.activities] }))
  const { settings, remove } = skillSettings(skill)
  return {
    title: skill.name,
    content: [
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Catalogue'), ` / ${skill.name}`),
      h('h1', {}, skill.name, ' ', statusBadge(skill.status)),
      h('p', {}, h('a', { href: `#/skills/${skill.id}/analytics` }, 'Dashboard: learners, mastery, funnel')),
      h('h2', { id: 'skill-details' }, 'Details'),
      ...settings,
      ...prerequisitesSection(skill, catalogue),
      ...structureSection(skill.id, units),
      ...addSection(skill.id, units),
      h('h2', {}, 'Danger zone'),
      remove,
    ],
  }
}
