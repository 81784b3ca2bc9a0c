/** "My progress": every skill's state with mastery bars, and the skills due for review. */
import { api, read } from '../api.ts'
import { bar, formatDate, h, statusBadge } from '../dom.ts'
import type { View } from '../router.ts'

export const progressView: View = async () => {
  const [skills, review] = await Promise.all([read(api.v1.me.skills.$get()), read(api.v1.me.review.$get())])
  const started = skills.items.filter((skill) => skill.status !== 'not_started')
  return {
    title: 'My progress',
    content: [
      h('h1', {}, 'My progress'),
      h(
        'section',
        { 'aria-labelledby': 'skills-heading' },
        h('h2', { id: 'skills-heading' }, 'Skills'),
        started.length === 0 &&
          h('p', {}, 'Nothing yet. ', h('a', { href: '#/' }, 'Pick a skill'), ' and answer an activity.'),
        h(
          'ul',
          { class: 'cards' },
          skills.items.map((skill) =>
            h(
              'li',
              { class: 'card', 'data-skill': skill.skillId },
              h(
                'h3',
                {},
                h('a', { href: `#/skills/${skill.skillId}` }, skill.name),
                ' ',
                statusBadge(skill.status),
              ),
              bar('Mastery', skill.masteryScore, 'mastery'),
              bar('Activities passed', skill.progress),
            ),
          ),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'review-heading' },
        h('h2', { id: 'review-heading' }, 'Due for review'),
        review.items.length === 0
          ? h('p', {}, 'Nothing is due. Mastered skills come back here when it is time to review them.')
          : h(
              'ul',
              { class: 'cards' },
              review.items.map((item) =>
                h(
                  'li',
                  { class: 'card' },
                  h('h3', {}, item.name),
                  h('p', { class: 'meta' }, `Due ${formatDate(item.dueAt)}`),
                  h(
                    'ul',
                    { class: 'activities' },
                    item.suggestedActivities.map((activity) =>
                      h('li', {}, h('a', { href: `#/activities/${activity.id}` }, activity.name)),
                    ),
                  ),
                ),
              ),
            ),
      ),
    ],
  }
}
