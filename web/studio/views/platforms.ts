/**
 * LMS platforms (LTI 1.3): the URLs to give the LMS, the platforms this tool trusts (drafts approved
 * here), the grades that never reached one, and a form to register one by hand with what the LMS
 * shows of itself.
 */
import { action, markProblemFields } from '../../action.ts'
import { h, statusBadge } from '../../dom.ts'
import { announce } from '../../router.ts'
import { admin, read } from '../api.ts'
import { field } from './catalogue.ts'

const FIELDS = [
  ['name', 'Name (for you: “Moodle, Year 7”)'],
  ['issuer', 'Issuer (the platform’s site URL)'],
  ['clientId', 'Client id the platform gave this tool'],
  ['deploymentIds', 'Deployment ids, comma-separated'],
  ['authLoginUrl', 'Authentication request URL'],
  ['accessTokenUrl', 'Access token URL'],
  ['jwksUrl', 'Public keyset URL'],
] as const

function toolUrls() {
  const url = (path: string) => new URL(path, location.origin).toString()
  return h(
    'dl',
    { class: 'tool-urls' },
    [
      ['Initiate login URL', url('/lti/login')],
      ['Redirection URI (launch)', url('/lti/launch')],
      ['Public keyset URL', url('/lti/jwks')],
    ].flatMap(([term, value]) => [h('dt', {}, term as string), h('dd', {}, h('code', {}, value as string))]),
  )
}

/** Grades the platforms never took (lti/grade-failures.ts), with what each answered, and a way to send them again. */
async function failedGrades() {
  const { items } = await read(admin.lti['grade-failures'].$get())
  if (items.length === 0) return [h('p', {}, 'None: every grade reached its LMS.')]
  const again = action('Send them again', async () => {
    const { links } = await read(admin.lti['grade-failures'].retry.$post())
    announce(`Sending the newest grade of ${links} link${links === 1 ? '' : 's'} again.`)
    location.reload()
  })
  const rows = items.map((item) =>
    h(
      'tr',
      {},
      h('td', {}, item.learner),
      h('td', {}, `${item.link} (${item.platform})`),
      h('td', {}, String(Math.round(item.score))),
      h('td', {}, new Date(item.failedAt).toLocaleString()),
      h('td', {}, item.reason),
    ),
  )
  const head = ['Learner', 'Link', 'Score', 'Failed', 'What the LMS answered']
  return [
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((title) => h('th', { scope: 'col' }, title)),
        ),
      ),
      h('tbody', {}, rows),
    ),
    again,
  ]
}

export async function platformsView() {
  const [platforms, failed] = await Promise.all([read(admin.lti.platforms.$get()), failedGrades()])
  const form = h(
    'form',
    { class: 'editor-form', 'aria-label': 'Register a platform' },
    FIELDS.map(([name, label]) =>
      field(label, `platform-${name}`, { 'data-pointer': `/${name}`, maxlength: 2000, required: true }),
    ),
  )
  const register = action('Register platform', async () => {
    const data = new FormData(form)
    const value = (name: string) => String(data.get(`platform-${name}`) ?? '').trim()
    try {
      await read(
        admin.lti.platforms.$post({
          json: {
            name: value('name'),
            issuer: value('issuer'),
            clientId: value('clientId'),
            deploymentIds: value('deploymentIds')
              .split(',')
              .map((id) => id.trim())
              .filter(Boolean),
            authLoginUrl: value('authLoginUrl'),
            accessTokenUrl: value('accessTokenUrl'),
            jwksUrl: value('jwksUrl'),
          },
        }),
      )
    } catch (failure) {
      markProblemFields(failure)
      throw failure
    }
    location.reload()
  })
  const cards = platforms.items.map((platform) => {
    const approve = action('Approve', async () => {
      await read(admin.lti.platforms[':platformId'].approve.$post({ param: { platformId: platform.id } }))
      location.reload()
    })
    const remove = action(
      'Remove…',
      async () => {
        if (!confirm(`Remove “${platform.name}”? Its launches stop; its learners keep their progress.`))
          return
        await admin.lti.platforms[':platformId'].$delete({ param: { platformId: platform.id } })
        announce(`Removed “${platform.name}”.`)
        location.reload()
      },
      'secondary',
    )
    return h(
      'li',
      { class: 'card' },
      h('h2', {}, platform.name, ' ', statusBadge(platform.status)),
      h('p', {}, 'Issuer: ', h('code', {}, platform.issuer)),
      h(
        'p',
        { class: 'meta' },
        `Client id ${platform.clientId} · deployments ${platform.deploymentIds.join(', ')}`,
      ),
      platform.status === 'draft' && approve,
      remove,
    )
  })
  return {
    title: 'LMS platforms',
    content: [
      h('h1', {}, 'LMS platforms'),
      h('p', {}, 'Give your LMS (Moodle, Canvas…) these URLs when you add this tool as an LTI 1.3 tool:'),
      toolUrls(),
      h('h2', {}, 'Platforms this tool trusts'),
      cards.length === 0 ? h('p', {}, 'None yet.') : h('ul', { class: 'cards' }, cards),
      h('h2', {}, 'Grades that did not reach the LMS'),
      ...failed,
      h('h2', {}, 'Register a platform'),
      form,
      register,
    ],
  }
}
