/**
 * A tiny element builder. Text always goes in as text nodes, never as HTML, so names and prompts
 * written by authors cannot inject markup (and the page needs no 'unsafe-inline' in its CSP).
 */
type Child = Node | string | number | false | null | undefined
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value)
    else if (value === true) element.setAttribute(name, '')
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value))
  }
  for (const child of children.flat()) {
    if (child === false || child === null || child === undefined) continue
    element.append(child instanceof Node ? child : String(child))
  }
  return element
}

/** A labelled bar for a share in [0, 1], announced as a progress bar with its percentage. */
export function bar(label: string, share: number, kind: 'mastery' | 'progress' = 'progress') {
  const percent = Math.round(Math.min(1, Math.max(0, share)) * 100)
  const fill = h('span', { class: 'bar-fill' })
  // Set through the CSSOM, which the page's CSP allows (a style attribute would not be).
  fill.style.width = `${percent}%`
  return h(
    'div',
    { class: `bar bar-${kind}` },
    h('span', { class: 'bar-label' }, label, h('span', { class: 'bar-value' }, `${percent}%`)),
    h(
      'span',
      {
        class: 'bar-track',
        role: 'progressbar',
        'aria-label': label,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': percent,
      },
      fill,
    ),
  )
}

const statusLabels: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  mastered: 'Mastered',
  review_needed: 'Review needed',
  // An author's skill or activity (the studio).
  draft: 'Draft',
  published: 'Published',
  // An LMS platform (the studio): approved, its launches accepted.
  live: 'Live',
}

/** A status as a badge with words (colour is never the only signal): a learner's skill, an author's draft. */
export const statusBadge = (status: string) =>
  h('span', { class: `badge badge-${status}` }, statusLabels[status] ?? status)

export const formatDate = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })

export const formatDateTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** "1 unit", "4 units", "4 activities": a count with its noun. */
export const plural = (count: number, noun: string) =>
  `${count} ${count === 1 ? noun : `${noun.replace(/([^aeiou])y$/, '$1ie')}s`}`
