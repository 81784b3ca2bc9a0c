/**
 * Hash routes (#/skills/<id>): the page is one static asset, and every other path stays the API's.
 * On each navigation the view replaces <main>, the title follows, and focus moves to the new
 * heading so keyboard and screen-reader users land where sighted users look.
 */
import { describeError, hasStatus } from './api.ts'
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
 * What the page is called (in every title), and what it does when a view's request is refused for
 * want of a credential: the learner page starts a new session and tries once more; the studio asks
 * for the token again. `recover` answers whether to try the view again.
 */
const site = { name: 'Learning progress', home: 'Back to the skills', recover: async () => false }
export function configureRouter(options: { name: string; home: string; recover: () => Promise<boolean> }) {
  Object.assign(site, options)
}

async function withCredential(view: View, params: string[]) {
  try {
    return await view(params)
  } catch (error) {
    if (!hasStatus(error, 401) || !(await site.recover())) throw error
    return view(params)
  }
}

let rendering = 0
export async function render({ focus }: { focus: boolean }) {
  // A view's options ride after "?" (a dashboard's ?class=…): they choose what it shows, not which view.
  const path = location.hash.startsWith('#/') ? (location.hash.slice(1).split('?')[0] ?? '/') : '/'
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
    ;({ title, content } = await withCredential(view, groups?.slice(1).map(decodeURIComponent) ?? []))
  } catch (error) {
    const missing = !match || hasStatus(error, 404)
    title = missing ? 'Not found' : 'Something went wrong'
    content = [
      h('h1', {}, title),
      h('p', { role: 'alert' }, missing ? 'There is nothing at this address.' : describeError(error)),
      h('p', {}, h('a', { href: '#/' }, site.home)),
    ]
  }
  if (current !== rendering) return // a later navigation won
  main().replaceChildren(...content.flat().filter((node): node is Node | string => Boolean(node)))
  main().removeAttribute('aria-busy')
  document.title = `${title} · ${site.name}`
  const heading = main().querySelector<HTMLElement>('h1')
  if (focus && heading) {
    heading.tabIndex = -1
    heading.focus()
  }
}
