/**
 * A small XML reader and writer for question banks (Moodle XML, QTI 3). Workers have no DOMParser,
 * and what a bank needs is little: elements, attributes, text and CDATA. The reader is strict where
 * uploads are dangerous: a DOCTYPE, and with it every entity but the five predefined ones and
 * character references, is refused (no expansion attacks, no external fetches), and depth and element
 * count are capped. Namespace prefixes are dropped from names: banks are read by local name.
 */

export type XmlElement = {
  name: string
  attributes: Record<string, string>
  children: XmlNode[]
  /** The line of its start tag, for errors that name a place. */
  line: number
}
export type XmlNode = XmlElement | string

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

const LIMITS = { depth: 64, elements: 50_000 }

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** Text with its references resolved; any other entity is an error (there is no DTD to define one). */
function decode(text: string, line: number): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][\w.-]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new XmlError('a bare “&”: write &amp;', line)
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10)
      if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) {
        throw new XmlError(`the character reference ${whole} is not a character`, line)
      }
      return String.fromCodePoint(code)
    }
    const value = PREDEFINED[ref]
    if (value === undefined)
      throw new XmlError(`the entity &${ref}; is not defined (entities are refused)`, line)
    return value
  })
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1)

const NAME = /[A-Za-z_][\w.:-]*/y
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y

/** Parses a document into its root element. Throws XmlError naming the line of the first fault. */
export function parseXml(source: string): XmlElement {
  let at = source.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  let elements = 0
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  const advance = (to: number) => {
    for (let i = at; i < to; i++) if (source.charCodeAt(i) === 10) line++
    at = to
  }
  const fail = (message: string): never => {
    throw new XmlError(message, line)
  }
  const until = (marker: string, what: string) => {
    const end = source.indexOf(marker, at)
    if (end < 0) fail(`${what} is not closed`)
    return end
  }
  const addText = (text: string) => {
    const parent = stack.at(-1)
    if (parent) parent.children.push(text)
    else if (text.trim() !== '') fail('text outside the root element')
  }
  while (at < source.length) {
    const next = source.indexOf('<', at)
    if (next < 0 || next > at) {
      const end = next < 0 ? source.length : next
      addText(decode(source.slice(at, end), line))
      advance(end)
      continue
    }
    if (source.startsWith('<!--', at)) advance(until('-->', 'a comment') + 3)
    else if (source.startsWith('<![CDATA[', at)) {
      const end = until(']]>', 'a CDATA section')
      addText(source.slice(at + 9, end))
      advance(end + 3)
    } else if (source.startsWith('<?', at)) advance(until('?>', 'a processing instruction') + 2)
    else if (source.startsWith('<!', at))
      fail('a DOCTYPE or entity declaration (refused: entities can expand or fetch)')
    else if (source.startsWith('</', at)) {
      NAME.lastIndex = at + 2
      const name = NAME.exec(source)?.[0] ?? fail('a closing tag without a name')
      const open = stack.pop()
      if (!open || open.name !== localName(name))
        fail(`</${name}> closes ${open ? `<${open.name}>` : 'nothing'}`)
      advance(until('>', 'a closing tag') + 1)
    } else {
      NAME.lastIndex = at + 1
      const name = NAME.exec(source)?.[0] ?? fail('a “<” that starts no element: write &lt;')
      const element: XmlElement = { name: localName(name), attributes: {}, children: [], line }
      let cursor = NAME.lastIndex
      for (;;) {
        ATTRIBUTE.lastIndex = cursor
        const match = ATTRIBUTE.exec(source)
        if (!match) break
        const key = match[1] as string
        if (!key.startsWith('xmlns'))
          element.attributes[localName(key)] = decode(match[2] ?? match[3] ?? '', line)
        cursor = ATTRIBUTE.lastIndex
      }
      const close = /\s*(\/?)>/y
      close.lastIndex = cursor
      const end = close.exec(source) ?? fail(`<${name}> has a malformed attribute or is not closed`)
      if (++elements > LIMITS.elements) fail(`more than ${LIMITS.elements} elements`)
      const parent = stack.at(-1)
      if (parent) parent.children.push(element)
      else if (root) fail('a second root element')
      else root = element
      if (end[1] !== '/') {
        stack.push(element)
        if (stack.length > LIMITS.depth) fail(`elements nested deeper than ${LIMITS.depth}`)
      }
      advance(close.lastIndex)
    }
  }
  if (stack.length > 0) fail(`<${stack.at(-1)?.name}> is not closed`)
  return root ?? fail('no root element')
}

/** The child elements, those named `name` when given. */
export const childrenOf = (element: XmlElement, name?: string): XmlElement[] =>
  element.children.filter(
    (c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name),
  )

export const childOf = (element: XmlElement, name: string): XmlElement | undefined =>
  element.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name)

/** Every element below, depth first. */
export function* descendants(element: XmlElement): Generator<XmlElement> {
  for (const child of childrenOf(element)) {
    yield child
    yield* descendants(child)
  }
}

/** All the text inside, tags dropped. */
export const textOf = (node: XmlNode): string =>
  typeof node === 'string' ? node : node.children.map(textOf).join('')

/** `<name>` then its `<text>` child, as Moodle nests them: trimmed, or undefined. */
export function moodleText(element: XmlElement, name: string): string | undefined {
  const holder = childOf(element, name)
  const text = holder && (childOf(holder, 'text') ?? holder)
  const value = text && textOf(text).trim()
  return value === '' ? undefined : value
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

/** Text or an attribute value, escaped. */
export const escapeXml = (text: string) => text.replace(/[&<>"]/g, (c) => ESCAPES[c] as string)

/** `<name attributes>children</name>`, the attributes escaped (undefined ones left out), children as given. */
export function element(
  name: string,
  attributes: Record<string, string | number | boolean | undefined>,
  ...children: string[]
): string {
  const attrs = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('')
  return children.length === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>${children.join('')}</${name}>`
}
