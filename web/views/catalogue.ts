/** The catalogue: every skill, then one skill's units and activities with this learner's progress. */
import { api, read } from '../api.ts'
import { bar, h, plural, statusBadge } from '../dom.ts'
import type { View } from '../router.ts'

export const skillsView: View = async () => {
  const list = h('ul', { class: 'cards' })
  const more = h('button', { type: 'button', class: 'secondary' }, 'Show more skills')
  const loadPage = async (cursor?: string) => {
    const page = await read(api.v1.skills.$get({ query: { limit: '20', ...(cursor && { cursor }) } }))
    for (const skill of page.items) {
      list.append(
        h(
          'li',
          { class: 'card' },
          h('h2', {}, h('a', { href: `#/skills/${skill.id}` }, skill.name)),
          skill.description && h('p', {}, skill.description),
          h('p', { class: 'meta' }, `Level ${skill.level}`),
        ),
      )
    }
    more.hidden = !page.nextCursor
    more.onclick = () => void loadPage(page.nextCursor ?? undefined)
  }
  await loadPage()
  return {
    title: 'Skills',
    content: [
      h('h1', {}, 'Skills'),
      h('p', { class: 'lead' }, 'Pick a skill, open an activity, answer.'),
      list,
      more,
    ],
  }
}

export const skillView: View = async ([skillId = '']) => {
  const [skill, mine] = await Promise.all([
    read(api.v1.skills[':skillId'].$get({ param: { skillId } })),
    read(api.v1.me.skills[':skillId'].$get({ param: { skillId } })),
  ])
  const unitProgress = new Map(mine.units.map((unit) => [unit.unitId, unit]))
  return {
    title: skill.name,
    content: [
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Skills')),
      h('h1', {}, skill.name),
      skill.description && h('p', { class: 'lead' }, skill.description),
      h(
        'div',
        { class: 'summary' },
        statusBadge(mine.status),
        bar('Mastery', mine.masteryScore, 'mastery'),
        bar('Activities passed', mine.progress),
      ),
      skill.units.map((unit) => {
        const progress = unitProgress.get(unit.id)
        return h(
          'section',
          { class: 'unit', 'aria-labelledby': `unit-${unit.id}` },
          h('h2', { id: `unit-${unit.id}` }, unit.name),
          progress &&
            h('p', { class: 'meta' }, `${progress.passedCount} of ${progress.activityCount} passed`),
          h(
            'ul',
            { class: 'activities' },
            unit.activities.map((activity) =>
              h(
                'li',
                {},
                h('a', { href: `#/activities/${activity.id}` }, activity.name),
                h(
                  'span',
                  { class: 'meta' },
                  ` ${activity.type} · ${plural(activity.questionCount, 'question')}`,
                ),
              ),
            ),
          ),
        )
      }),
    ],
  }
}
