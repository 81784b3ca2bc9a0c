/**
 * Dashboards: each chart (charts.ts) followed by its table — the chart for the eye, the table for
 * a screen reader and for exact numbers, with each count also drawn as a bar in its cell.
 * Filterable by class.
 */
import type { InferResponseType } from 'hono/client'
import { action } from '../../action.ts'
import { formatDate, h, plural } from '../../dom.ts'
import { announce, render } from '../../router.ts'
import { admin, read } from '../api.ts'
import { barChart } from '../charts.ts'

type ActivityAnalytics = InferResponseType<(typeof admin.activities)[':activityId']['analytics']['$get'], 200>
type SkillAnalytics = InferResponseType<(typeof admin.skills)[':skillId']['analytics']['$get'], 200>

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`)
const decimal = (value: number | null) => (value === null ? '—' : value.toFixed(2))

/** A cell with a number and a bar of its share of `max`. */
function barCell(value: number, max: number) {
  const fill = h('span', { class: 'cell-bar-fill' })
  fill.style.width = `${max > 0 ? Math.round((value / max) * 100) : 0}%`
  return h(
    'td',
    { class: 'number' },
    h('span', { class: 'cell-bar', 'aria-hidden': 'true' }, fill),
    String(value),
  )
}

/** A table that scrolls sideways inside its own box on a narrow screen, never widening the page. */
function table(caption: string, headers: string[], rows: (Node | string)[][]) {
  return h(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: 0 },
    dataTable(caption, headers, rows),
  )
}

function dataTable(caption: string, headers: string[], rows: (Node | string)[][]) {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((header) => h('th', { scope: 'col' }, header)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((cell) => (cell instanceof Node ? cell : h('td', {}, cell))),
        ),
      ),
    ),
  )
}

/**
 * A chart and its table under one heading: the chart for the eye, the table (its caption read by
 * screen readers only, the heading says it) for exact numbers. No chart when there is nothing yet.
 */
function charted(
  title: string,
  chart: { labels: string[]; values: number[] },
  headers: string[],
  rows: (Node | string)[][],
) {
  const shown = table(title, headers, rows)
  shown.querySelector('caption')?.classList.add('visually-hidden')
  return h(
    'section',
    { class: 'charted' },
    h('h2', {}, title),
    chart.values.some((value) => value > 0)
      ? barChart(title, chart.labels, chart.values)
      : h('p', { class: 'meta' }, 'Nothing yet.'),
    shown,
  )
}

/** The class filter: everyone, or one class (computed live). */
async function classFilter(classId: string | undefined) {
  const classes = await read(admin.classes.$get())
  const select = h(
    'select',
    { id: 'class-filter' },
    h('option', { value: '' }, 'Everyone'),
    classes.items.map((item) => h('option', { value: item.id, selected: item.id === classId }, item.name)),
  )
  select.addEventListener('change', () => {
    const base = location.hash.split('?')[0]
    location.hash = select.value ? `${base}?class=${select.value}` : (base ?? '#/')
  })
  return h('p', { class: 'field' }, h('label', { for: 'class-filter' }, 'Learners'), select)
}

const classOf = () => new URLSearchParams(location.hash.split('?')[1] ?? '').get('class') ?? undefined

function sourceNote(source: 'aggregates' | 'live') {
  if (source === 'live')
    return [h('p', { class: 'meta' }, 'This class, computed from its learners’ attempts now.')]
  return [
    h('p', { class: 'meta' }, 'Everyone, from the aggregates the cron keeps (up to ten minutes behind).'),
    action(
      'Refresh now',
      async () => {
        const { attemptChanges } = await read(admin.analytics.refresh.$post())
        await render({ focus: false })
        announce(`Up to date: ${plural(attemptChanges, 'attempt change')} folded in.`)
      },
      'secondary',
    ),
  ]
}

/** A dashboard's top: where it is, its heading, the class filter, and what the numbers are of. */
async function header(
  report: { name: string; source: 'aggregates' | 'live' },
  href: string,
  classId: string | undefined,
) {
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Catalogue'), ' / ', h('a', { href }, report.name)),
    h('h1', {}, `${report.name}: dashboard`),
    await classFilter(classId),
    ...sourceNote(report.source),
  ]
}

export async function activityAnalyticsView([activityId = '']: string[]) {
  const classId = classOf()
  const report: ActivityAnalytics = await read(
    admin.activities[':activityId'].analytics.$get({
      param: { activityId },
      query: classId ? { classId } : {},
    }),
  )
  const mostAttempts = Math.max(0, ...report.scoreDistribution.map((band) => band.attempts))
  const mostDaily = Math.max(0, ...report.daily.map((day) => day.completed))
  return {
    title: `${report.name}: dashboard`,
    content: [
      await header(report, `#/activities/${activityId}`, classId),
      h('p', {}, `${plural(report.attempts, 'completed attempt')} on version ${report.version}.`),
      charted(
        'Completed attempts per day',
        {
          labels: report.daily.map((day) => day.day.slice(5)),
          values: report.daily.map((day) => day.completed),
        },
        ['Day', 'Completed', 'Passed', 'Mean score'],
        report.daily.map((day) => [
          // The one date format of both pages (a UTC day: read at noon so no zone moves it).
          formatDate(`${day.day}T12:00:00Z`),
          barCell(day.completed, mostDaily),
          String(day.passed),
          percent(day.meanScoreRatio),
        ]),
      ),
      charted(
        'Score distribution',
        {
          labels: report.scoreDistribution.map((band) => `${Math.round(band.from * 100)}%`),
          values: report.scoreDistribution.map((band) => band.attempts),
        },
        ['Score', 'Attempts'],
        report.scoreDistribution.map((band) => [
          `${Math.round(band.from * 100)}–${Math.round(band.to * 100)}%`,
          barCell(band.attempts, mostAttempts),
        ]),
      ),
      table(
        'Item analysis',
        ['Question', 'Responses', 'Facility', 'Discrimination', 'Flags'],
        report.questions.map((question) => [
          question.prompt,
          String(question.responses),
          percent(question.facility),
          decimal(question.discrimination),
          question.flags.map((flag) => flag.replaceAll('_', ' ')).join(', ') || '—',
        ]),
      ),
      report.questions
        .filter((question) => question.choices)
        .map((question) =>
          table(
            `Distractors: ${question.prompt} (top group: ${report.groups.top.attempts} attempts, bottom: ${report.groups.bottom.attempts})`,
            ['Choice', 'Correct', 'Picked', 'Top group', 'Bottom group'],
            (question.choices ?? []).map((choice) => [
              choice.text,
              choice.key ? 'Yes' : 'No',
              String(choice.picks),
              String(choice.topPicks),
              String(choice.bottomPicks),
            ]),
          ),
        ),
    ],
  }
}

export async function skillAnalyticsView([skillId = '']: string[]) {
  const classId = classOf()
  const report: SkillAnalytics = await read(
    admin.skills[':skillId'].analytics.$get({ param: { skillId }, query: classId ? { classId } : {} }),
  )
  const most = Math.max(0, ...report.mastery.map((band) => band.learners))
  const funnel = report.funnel
  return {
    title: `${report.name}: dashboard`,
    content: [
      await header(report, `#/skills/${skillId}`, classId),
      table(
        'Learners by status',
        ['Status', 'Learners'],
        [
          ['In progress', String(report.byStatus.in_progress)],
          ['Mastered', String(report.byStatus.mastered)],
          ['Review needed', String(report.byStatus.review_needed)],
        ],
      ),
      charted(
        'Funnel',
        {
          labels: ['Started', 'Passed one', 'Passed all', 'Mastered'],
          values: [funnel.started, funnel.passedOne, funnel.passedAll, funnel.mastered],
        },
        ['Stage', 'Learners'],
        [
          ['Started', barCell(funnel.started, funnel.started)],
          ['Passed an activity', barCell(funnel.passedOne, funnel.started)],
          ['Passed every activity', barCell(funnel.passedAll, funnel.started)],
          ['Mastered', barCell(funnel.mastered, funnel.started)],
        ],
      ),
      charted(
        'Mastery distribution',
        {
          labels: report.mastery.map((band) => `${Math.round(band.from * 100)}%`),
          values: report.mastery.map((band) => band.learners),
        },
        ['Mastery', 'Learners'],
        report.mastery.map((band) => [
          `${Math.round(band.from * 100)}–${Math.round(band.to * 100)}%`,
          barCell(band.learners, most),
        ]),
      ),
    ],
  }
}
