/**
 * HTML (Moodle's question texts, QTI's item bodies) as the plain text our content holds: blocks and
 * line breaks become new lines, tags go, entities are decoded. What text cannot carry (images,
 * tables, formulas) is named, so the import report can say what an author should look at.
 */
import { escapeXml } from './xml.ts'

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  times: '×',
  divide: '÷',
  minus: '−',
  plusmn: '±',
  le: '≤',
  ge: '≥',
  ne: '≠',
  deg: '°',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  middot: '·',
  frac12: '½',
  sup2: '²',
  sup3: '³',
  pi: 'π',
  euro: '€',
  pound: '£',
}

function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10)
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : ''
    }
    return NAMED[ref] ?? whole
  })
}

const BLOCK = /^(p|div|li|ul|ol|h[1-6]|tr|table|blockquote|pre|section|article|dd|dt|dl)$/i
const NOT_TEXT: Record<string, string> = {
  img: 'an image',
  table: 'a table',
  math: 'a formula',
  video: 'a video',
  audio: 'a recording',
  iframe: 'embedded content',
}

export type PlainText = { text: string; dropped: string[] }

/** The text of an HTML fragment, and what it held that text cannot (“an image”, “a table”…), once each. */
export function htmlToText(html: string): PlainText {
  const dropped = new Set<string>()
  const withoutHidden = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
  const flattened = withoutHidden.replace(/<\/?([A-Za-z][\w:-]*)\b[^>]*>/g, (tag, rawName: string) => {
    const name = rawName.slice(rawName.indexOf(':') + 1).toLowerCase()
    const what = NOT_TEXT[name]
    if (what && !tag.startsWith('</')) {
      dropped.add(what)
      const alt = /\balt\s*=\s*"([^"]*)"/i.exec(tag)?.[1]
      return alt ? `[${alt}]` : ''
    }
    if (name === 'br') return '\n'
    if (name === 'li' && !tag.startsWith('</')) return '\n• '
    return BLOCK.test(name) ? '\n' : ''
  })
  const text = decodeHtmlEntities(flattened)
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{2,}/g, '\n')
    .trim()
  return { text, dropped: [...dropped] }
}

/** Plain text as HTML that shows the same: escaped, new lines as `<br>`. */
export const textToHtml = (text: string) => escapeXml(text).replace(/\n/g, '<br>')
