/**
 * The catalogue: the home page opens on "Up next" and a search box, then every skill; one skill's
 * units, each with the learner's knowledge, and its activities.
 */
import type { InferResponseType } from 'hono/client'
import { api, describeError, read } from '../api.ts'
import { bar, h, plural, statusBadge } from '../dom.ts'
import type { View } from '../router.ts'

type MySkill = InferResponseType<typeof api.v1.me.skills.$get, 200>['items'][number]
type SearchHit = InferResponseType<typeof api.v1.search.$get, 200>['items'][number]

const reasonLabels = { review_due: 'Review', continue: 'Continue', start: 'Start' } as const

/** "Recommended after …": a soft lock, in words (the skill stays open). */
const recommendedAfter = (skill: MySkill | undefined) =>
  skill &&
  skill.recommendedAfter.length > 0 &&
  h(
    'p',
    { class: 'recommended-after' },
    `Recommended after ${skill.recommendedAfter.map((required) => required.name).join(', ')}`,
  )

async function upNextSection() {
  const { items } = await read(api.v1.me.next.$get({ query: { limit: '3' } }))
  return h(
    'section',
    { class: 'up-next', 'aria-labelledby': 'up-next-heading' },
    h('h2', { id: 'up-next-heading' }, 'Up next'),
    items.length === 0
      ? h('p', {}, 'Nothing to suggest yet: the catalogue has no activities.')
      : h(
          'ol',
          { class: 'cards' },
          items.map((step) =>
            h(
              'li',
              { class: `card step step-${step.reason}`, 'data-reason': step.reason },
              h(
                'h3',
                {},
                h('span', { class: 'meta' }, `${reasonLabels[step.reason]}: `),
                h('a', { href: `#/activities/${step.activity.id}` }, step.activity.name),
              ),
              h('p', {}, step.explanation),
              h('p', { class: 'meta' }, `${step.skill.name} · ${step.unit.name}`),
            ),
          ),
        ),
  )
}

const hitLink = (hit: SearchHit) =>
  hit.kind === 'activity' ? `#/activities/${hit.id}` : `#/skills/${hit.skillId}`

function searchSection() {
  const input = h('input', {
    id: 'search-q',
    type: 'search',
    name: 'q',
    maxlength: 200,
    autocomplete: 'off',
    placeholder: 'Search skills and activities',
  })
  const results = h('div', { class: 'search-results', 'aria-live': 'polite' })
  const form = h(
    'form',
    { role: 'search', class: 'search' },
    h('label', { for: 'search-q', class: 'visually-hidden' }, 'Search'),
    input,
    h('button', { type: 'submit', class: 'secondary' }, 'Search'),
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const q = input.value.trim()
    if (q === '') return results.replaceChildren()
    try {
      const { items } = await read(api.v1.search.$get({ query: { q } }))
      results.replaceChildren(
        items.length === 0
          ? h('p', {}, 'Nothing found.')
          : h(
              'ul',
              { class: 'hits' },
              items.map((hit) =>
                h(
                  'li',
                  { 'data-kind': hit.kind },
                  h('a', { href: hitLink(hit) }, hit.name),
                  h('span', { class: 'meta' }, ` ${hit.kind}`),
                  // Why it matched, in words: the spelling was close, or the words are in it.
                  h(
                    'span',
                    { class: 'meta why' },
                    hit.match === 'similar_name'
                      ? ` · its name is spelt like “${q}”`
                      : hit.snippet.length > 0
                        ? ' · it mentions your words'
                        : ' · its name has your words',
                  ),
                  // Segments go in as text: highlights are <mark>s, never author-supplied markup.
                  hit.snippet.length > 0 &&
                    h(
                      'p',
                      { class: 'snippet' },
                      hit.snippet.map((part) => (part.highlighted ? h('mark', {}, part.text) : part.text)),
                    ),
                ),
              ),
            ),
      )
    } catch (error) {
      results.replaceChildren(h('p', { role: 'alert', class: 'error' }, describeError(error)))
    }
  })
  return h('section', { 'aria-label': 'Search' }, form, results)
}

export const skillsView: View = async () => {
  const list = h('ul', { class: 'cards' })
  const more = h('button', { type: 'button', class: 'secondary' }, 'Show more skills')
  const [upNext, mine] = await Promise.all([upNextSection(), read(api.v1.me.skills.$get())])
  const mySkills = new Map(mine.items.map((skill) => [skill.skillId, skill]))
  const loadPage = async (cursor?: string) => {
    const page = await read(api.v1.skills.$get({ query: { limit: '20', ...(cursor && { cursor }) } }))
    for (const skill of page.items) {
      list.append(
        h(
          'li',
          { class: 'card', 'data-skill': skill.id },
          h('h3', {}, h('a', { href: `#/skills/${skill.id}` }, skill.name)),
          skill.description && h('p', {}, skill.description),
          h('p', { class: 'meta' }, `Level ${skill.level}`),
          recommendedAfter(mySkills.get(skill.id)),
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
      upNext,
      searchSection(),
      h(
        'section',
        { 'aria-labelledby': 'skills-heading' },
        h('h2', { id: 'skills-heading' }, 'All skills'),
        list,
        more,
      ),
    ],
  }
}

/** The prior in words: a starting guess, not a score the learner seems to have earned. */
const startingEstimate = (prior: number) =>
  h(
    'p',
    { class: 'meta starting-estimate' },
    `You have not answered anything here yet. Until you do, the model starts from a guess that you ` +
      `already know about ${Math.round(prior * 100)}% of it — a starting point, not something you earned; ` +
      'every answer that counts moves it.',
  )

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
      recommendedAfter(mine),
      h(
        'div',
        { class: 'summary' },
        statusBadge(mine.status),
        mine.status === 'not_started'
          ? startingEstimate(mine.masteryScore)
          : [bar('Mastery', mine.masteryScore, 'mastery'), bar('Activities passed', mine.progress)],
      ),
      skill.units.map((unit) => {
        // Before a first answer there is no knowledge of the learner's to show, only the prior.
        const progress = mine.status === 'not_started' ? undefined : unitProgress.get(unit.id)
        return h(
          'section',
          { class: 'unit', 'aria-labelledby': `unit-${unit.id}`, 'data-unit': unit.id },
          h('h2', { id: `unit-${unit.id}` }, unit.name),
          progress &&
            progress.knowledge !== null &&
            bar(`Knowledge of ${unit.name}`, progress.knowledge, 'mastery'),
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
