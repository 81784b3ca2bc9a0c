/**
 * Hash routes (#/skills/<id>): the page is one static asset, and every other path stays the API's.
 * On each navigation the view replaces <main>, the title follows, and focus moves to the new
 * heading so keyboard and screen-reader users land where sighted users look.
 */
import { describeError, hasStatus, newSession } from './api.ts'
import { h } from './dom.ts'

type Content = Node | string | false | null | undefined
export type View = (params: string[]) => Promise<{ title: string; content: (Content | Content[])[] }>

const routes: [RegExp, View][] = []
export const route = (pattern: RegExp, view: View) => routes.push([pattern, view])

const main = () => document.getElementById('main') as HTMLElement

export function announce(message: string) {
  const status = document.getElementById('status')
  if (status) status.textContent = message
}

/**
 * A view whose request was refused for want of a session (it ended in another tab, or the cookie
 * was cleared) gets one more try in a new session rather than an error page.
 */
async function withSession(view: View, params: string[]) {
  try {
    return await view(params)
  } catch (error) {
    if (!hasStatus(error, 401)) throw error
    await newSession()
    announce('Your session had ended: you continue as a new learner.')
    return view(params)
  }
}

let rendering = 0
export async function render({ focus }: { focus: boolean }) {
  const path = location.hash.startsWith('#/') ? location.hash.slice(1) : '/'
  const match = routes.map(([pattern, view]) => [pattern.exec(path), view] as const).find(([m]) => m)
  const current = ++rendering
  main().setAttribute('aria-busy', 'true')
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (link.getAttribute('href') === `#${path}`) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  let title: string
  let content: (Content | Content[])[]
  try {
    if (!match) throw new Error('no route')
    const [groups, view] = match
    ;({ title, content } = await withSession(view, groups?.slice(1).map(decodeURIComponent) ?? []))
  } catch (error) {
    const missing = !match || hasStatus(error, 404)
    title = missing ? 'Not found' : 'Something went wrong'
    content = [
      h('h1', {}, title),
      h('p', { role: 'alert' }, missing ? 'There is nothing at this address.' : describeError(error)),
      h('p', {}, h('a', { href: '#/' }, 'Back to the skills')),
    ]
  }
  if (current !== rendering) return // a later navigation won
  main().replaceChildren(...content.flat().filter((node): node is Node | string => Boolean(node)))
  main().removeAttribute('aria-busy')
  document.title = `${title} · Learning progress`
  const heading = main().querySelector<HTMLElement>('h1')
  if (focus && heading) {
    heading.tabIndex = -1
    heading.focus()
  }
}
