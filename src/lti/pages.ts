/**
 * The pages LTI shows, inside the LMS's frame or beside it: a refused launch (what was wrong, in
 * words), the offer to open the tool in its own window when the frame's cookies are blocked, the
 * deep-linking picker, and the instructor's class view. Plain HTML, every text escaped (attributes
 * are double-quoted), no script but the registration's closing message.
 */
import { escapeXml as escapeHtml } from '../interop/xml.ts'

const page = (title: string, ...paragraphs: string[]) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${paragraphs.join('')}</main></body></html>`

const p = (text: string) => `<p>${escapeHtml(text)}</p>`

export const refusedPage = (detail: string, requestId: string) =>
  page(
    'This launch was refused',
    p(detail),
    p(`If it happens again, give your administrator this reference: ${requestId}.`),
  )

/** Offered when the frame's cookies do not stick: the same login, in a window of its own. */
export const newWindowPage = (loginUrl: string) =>
  page(
    'Open the activity in a new window',
    p('Your browser keeps this tool from remembering you inside the course page.'),
    `<p><a href="${escapeHtml(loginUrl)}" target="_blank" rel="opener">Open it in a new window</a></p>`,
  )

const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`

type Row = {
  skillId: string
  skill: string
  unitId: string
  unit: string
  activityId: string
  activity: string
}

/** Rows grouped skill › unit › activities, in the rows' order. */
function grouped(rows: Row[]) {
  const skills = new Map<string, { name: string; units: Map<string, { name: string; activities: Row[] }> }>()
  for (const row of rows) {
    const skill = skills.get(row.skillId) ?? { name: row.skill, units: new Map() }
    skills.set(row.skillId, skill)
    const unit = skill.units.get(row.unitId) ?? { name: row.unit, activities: [] }
    skill.units.set(row.unitId, unit)
    unit.activities.push(row)
  }
  return skills
}

/**
 * The instructor's picker: the published catalogue with a search, each skill, unit and activity a
 * choice (one, or several when the platform takes several), sent to /lti/deep-link.
 */
export function pickerPage(rows: Row[], context: string, query: string, multiple: boolean) {
  const type = multiple ? 'checkbox' : 'radio'
  const choice = (value: string, label: string) =>
    `<label><input type="${type}" name="item" value="${escapeHtml(value)}"> ${escapeHtml(label)}</label>`
  const list = [...grouped(rows)]
    .map(([skillId, skill]) => {
      const units = [...skill.units]
        .map(([unitId, unit]) => {
          const items = unit.activities
            .map((a) => `<li>${choice(`activity:${a.activityId}`, a.activity)}</li>`)
            .join('')
          return `<li>${choice(`unit:${unitId}`, `${unit.name} (the whole unit)`)}<ul>${items}</ul></li>`
        })
        .join('')
      return `<li>${choice(`skill:${skillId}`, `${skill.name} (the whole skill)`)}<ul>${units}</ul></li>`
    })
    .join('')
  return page(
    'Add from the learning catalogue',
    `<form method="get" action="/lti/deep-link" role="search">${hidden('context', context)}<label>Search <input type="search" name="q" value="${escapeHtml(query)}"></label> <button type="submit">Search</button></form>`,
    rows.length === 0
      ? p(query ? `Nothing published matches “${query}”.` : 'Nothing is published yet.')
      : `<form method="post" action="/lti/deep-link">${hidden('context', context)}<ul>${list}</ul><button type="submit">Add to the course</button></form>`,
  )
}

/** The signed answer, posted to the platform by the instructor's click (a page with no script). */
export const returnPage = (returnUrl: string, jwt: string, titles: string[]) =>
  page(
    'Ready to add to your course',
    p(titles.join(', ')),
    `<form method="post" action="${escapeHtml(returnUrl)}">${hidden('JWT', jwt)}<button type="submit">Add to the course</button></form>`,
  )

/** Tells the LMS the registration is over: it closes the registration frame. */
export const CLOSE_SCRIPT =
  "(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*')"

export const registeredPage = (name: string) =>
  page(
    'Registered',
    p(`This tool is registered with ${name}, as a draft.`),
    p('An administrator of this tool approves it in the studio (LMS), after which launches work.'),
    `<script>${CLOSE_SCRIPT}</script>`,
  )

type ClassPage = {
  name: string
  members: number
  skill: {
    name: string
    learners: number
    byStatus: { in_progress: number; mastered: number; review_needed: number }
    funnel: { started: number; passedOne: number; passedAll: number; mastered: number }
  } | null
}

const row = (label: string, value: number) =>
  `<tr><th scope="row">${escapeHtml(label)}</th><td>${value}</td></tr>`

/** An instructor's read-only view of their course's class (lti/class-view.ts). */
export function classPage(view: ClassPage, learnerPage: string | null) {
  const { skill } = view
  const table = skill
    ? `<table><caption>${escapeHtml(skill.name)}</caption><tbody>${[
        row('Started', skill.funnel.started),
        row('Passed at least one activity', skill.funnel.passedOne),
        row('Passed every activity', skill.funnel.passedAll),
        row('Practising', skill.byStatus.in_progress),
        row('Mastered', skill.byStatus.mastered),
        row('Due for review', skill.byStatus.review_needed),
      ].join('')}</tbody></table>`
    : p('This link names no skill, unit or activity of ours: the class’s numbers are per skill.')
  return page(
    view.name,
    p(
      view.members === 1
        ? '1 learner of this course is in the class.'
        : `${view.members} learners of this course are in the class.`,
    ),
    table,
    learnerPage ? `<p><a href="${escapeHtml(learnerPage)}">Open it as a learner</a></p>` : '',
    p('The class follows the course’s roster; learners appear here once they have practised.'),
  )
}

export const classPassExpiredPage = page(
  'Open this from your course again',
  p('The class view opens from a launch in your course, and lasts a working day.'),
)
