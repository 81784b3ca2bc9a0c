/**
 * QTI 3.0 items read as our questions: a `qti-choice-interaction` (one choice or several) or a
 * `qti-text-entry-interaction` (a number, with the tolerance of a `qti-equal`, or a text), scored by
 * the match-correct or map-response template, or by response processing of the same meaning. An item
 * with another interaction, or with more than one, is skipped with its element. A content package
 * (zip) is read through its manifest, in its test's order when it has one.
 */
import { type Bank, BankError, emptyBank, idFrom, type QuestionInput } from './bank.ts'
import { htmlToText } from './html-text.ts'
import {
  childOf,
  childrenOf,
  descendants,
  element,
  escapeXml,
  parseXml,
  textOf,
  type XmlElement,
  XmlError,
  type XmlNode,
} from './xml.ts'
import { openZip, ZipError } from './zip.ts'

const SUPPORTED = new Set(['qti-choice-interaction', 'qti-text-entry-interaction'])
const TEMPLATES = ['match_correct', 'map_response']

type Declaration = {
  cardinality: string
  baseType: string
  correct: string[]
  mapped: string[]
  caseSensitive: boolean
}

function declarationOf(item: XmlElement, identifier: string): Declaration | undefined {
  const declaration = childrenOf(item, 'qti-response-declaration').find(
    (d) => d.attributes.identifier === identifier,
  )
  if (!declaration) return undefined
  const values = (holder: XmlElement | undefined) =>
    childrenOf(holder ?? declaration, 'qti-value').map((v) => textOf(v).trim())
  const entries = childrenOf(childOf(declaration, 'qti-mapping') ?? declaration, 'qti-map-entry')
  return {
    cardinality: declaration.attributes.cardinality ?? 'single',
    baseType: declaration.attributes['base-type'] ?? 'identifier',
    correct: childOf(declaration, 'qti-correct-response')
      ? values(childOf(declaration, 'qti-correct-response'))
      : [],
    mapped: entries
      .filter((e) => Number(e.attributes['mapped-value']) > 0)
      .map((e) => e.attributes['map-key'] ?? ''),
    caseSensitive: entries.some((e) => e.attributes['case-sensitive'] === 'true'),
  }
}

/** Markup of a node again, `replace` deciding for elements (a string, or undefined to keep it). */
function markup(node: XmlNode, replace: (e: XmlElement) => string | undefined): string {
  if (typeof node === 'string') return escapeXml(node)
  const replaced = replace(node)
  if (replaced !== undefined) return replaced
  const attributes = Object.fromEntries(Object.entries(node.attributes).filter(([k]) => k === 'alt'))
  return element(node.name, attributes, ...node.children.map((c) => markup(c, replace)), '')
}

const BLANK = '\u0001'

/** An item body's text: the interaction's prompt, then the body around it, its blank as “_____”. */
function promptOf(body: XmlElement, interaction: XmlElement, where: string, warnings: string[]): string {
  const html = markup(body, (e) => {
    if (e === interaction) {
      const prompt = childOf(e, 'qti-prompt')
      return e.name === 'qti-text-entry-interaction' ? BLANK : prompt ? markup(prompt, () => undefined) : ''
    }
    if (e.name === 'qti-feedback-inline' || e.name === 'qti-feedback-block' || e.name === 'qti-rubric-block')
      return ''
    return undefined
  })
  const { text, dropped } = htmlToText(html)
  if (dropped.length > 0) warnings.push(`${where}: ${dropped.join(', ')} left out of its text.`)
  const trimmed = text.trim()
  return (trimmed.endsWith(BLANK) ? trimmed.slice(0, -1) : trimmed).replaceAll(BLANK, '_____').trim()
}

const outer = (identifier: string) => (identifier.startsWith('_') ? identifier.slice(1) : identifier)
/** The text inside an element, feedback inside it left out. */
const plain = (node: XmlElement) =>
  htmlToText(
    node.children.map((c) => markup(c, (e) => (e.name.startsWith('qti-feedback') ? '' : undefined))).join(''),
  ).text

function choiceQuestion(interaction: XmlElement, declaration: Declaration): Partial<QuestionInput> | string {
  const choices = childrenOf(interaction, 'qti-simple-choice').map((choice) => {
    const feedback = childOf(choice, 'qti-feedback-inline')
    return {
      id: outer(choice.attributes.identifier ?? ''),
      text: plain(choice),
      ...(feedback && { feedback: plain(feedback) }),
    }
  })
  const right = [...new Set([...declaration.correct, ...declaration.mapped])].map(outer)
  if (right.length === 0) return 'it declares no correct response'
  if (declaration.cardinality === 'single')
    return { kind: 'single_choice', choices, answer: right[0] as string }
  return { kind: 'multiple_choice', choices, answers: right }
}

/** The absolute tolerance of a `qti-equal` in the response processing, or a reason it cannot be kept. */
function toleranceOf(item: XmlElement): number | string {
  const equal = [...descendants(childOf(item, 'qti-response-processing') ?? item)].find(
    (e) => e.name === 'qti-equal',
  )
  if (!equal) return 0
  const mode = equal.attributes['tolerance-mode'] ?? 'exact'
  const tolerance = Math.abs(Number((equal.attributes.tolerance ?? '0').trim().split(/\s+/)[0]))
  if (mode === 'exact' || tolerance === 0) return 0
  if (mode !== 'absolute') return `its tolerance is ${mode}; only an absolute one can be kept`
  return Number.isFinite(tolerance) ? tolerance : 0
}

function entryQuestion(item: XmlElement, declaration: Declaration, warnings: string[], where: string) {
  if (declaration.baseType === 'float' || declaration.baseType === 'integer') {
    const answer = Number(declaration.correct[0])
    if (!Number.isFinite(answer)) return 'it declares no numeric correct response'
    const tolerance = toleranceOf(item)
    return typeof tolerance === 'string' ? tolerance : { kind: 'numeric' as const, answer, tolerance }
  }
  const matched = [...descendants(childOf(item, 'qti-response-processing') ?? item)]
    .filter((e) => e.name === 'qti-string-match')
    .flatMap((e) => childrenOf(e, 'qti-base-value').map((v) => textOf(v).trim()))
  const accepted = [...new Set([...declaration.correct, ...declaration.mapped, ...matched])].filter(Boolean)
  if (accepted.length === 0) return 'it declares no correct response'
  if (declaration.caseSensitive) warnings.push(`${where}: answers here are compared ignoring case.`)
  return { kind: 'short_text' as const, acceptedAnswers: accepted }
}

/** Points: the MAXSCORE default, else the SCORE a response processing sets, else 1. */
function pointsOf(item: XmlElement): number {
  const max = childrenOf(item, 'qti-outcome-declaration').find((o) => o.attributes.identifier === 'MAXSCORE')
  const fromMax = max && Number(textOf(childOf(max, 'qti-default-value') ?? max).trim())
  const setScore = [...descendants(childOf(item, 'qti-response-processing') ?? item)].find(
    (e) =>
      e.name === 'qti-set-outcome-value' && e.attributes.identifier === 'SCORE' && textOf(e).trim() !== '0',
  )
  const points = Math.round(fromMax || Number(setScore ? textOf(setScore).trim() : 1) || 1)
  return Math.min(Math.max(points, 1), 100)
}

function processingWarning(item: XmlElement, where: string): string | undefined {
  const processing = childOf(item, 'qti-response-processing')
  const template = processing?.attributes.template
  if (template && !TEMPLATES.some((t) => template.includes(t)))
    return `${where}: response processing ${template} read as match-correct.`
  return undefined
}

/** One item as a question, or the reason it is skipped. */
function readItem(item: XmlElement, bank: Bank, taken: Set<string>, where: string) {
  if (item.name !== 'qti-assessment-item')
    throw new BankError(`<${item.name}> is not a qti-assessment-item`, where)
  const body = childOf(item, 'qti-item-body')
  const interactions = body ? [...descendants(body)].filter((e) => e.name.endsWith('-interaction')) : []
  const skip = (reason: string) => bank.skipped.push({ where, reason })
  if (interactions.length !== 1 || !body)
    return skip(`it has ${interactions.length} interactions; a question here has one`)
  const interaction = interactions[0] as XmlElement
  if (!SUPPORTED.has(interaction.name))
    return skip(`its ${interaction.name.replace(/^qti-|-interaction$/g, '')} interaction has no form here`)
  const declaration = declarationOf(item, interaction.attributes['response-identifier'] ?? '')
  const warnings: string[] = []
  if (!declaration) return skip('its interaction has no response declaration')
  const read =
    interaction.name === 'qti-choice-interaction'
      ? choiceQuestion(interaction, declaration)
      : entryQuestion(item, declaration, warnings, where)
  if (typeof read === 'string') return skip(read)
  bank.shuffled ||= interaction.attributes.shuffle === 'true'
  const warning = processingWarning(item, where)
  if (warning) warnings.push(warning)
  const feedback = childrenOf(item, 'qti-modal-feedback').map(plain).filter(Boolean)
  bank.questions.push({
    where,
    question: {
      ...read,
      id: idFrom(
        outer(item.attributes.identifier ?? ''),
        taken,
        `q${bank.questions.length + bank.skipped.length + 1}`,
      ),
      prompt: promptOf(body, interaction, where, warnings),
      points: pointsOf(item),
      ...(feedback.length > 0 && { explanation: feedback.join('\n') }),
    } as QuestionInput,
    warnings,
  })
}

const decodeUtf8 = (bytes: Uint8Array) =>
  new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes)

function parseIn(source: string, file: string): XmlElement {
  try {
    return parseXml(source)
  } catch (error) {
    if (error instanceof XmlError) throw new BankError(error.message, `${file}, line ${error.line}`)
    throw error
  }
}

/** A single item, or a test (which names its items in other files: those need the package). */
export function readQtiXml(root: XmlElement): Bank {
  if (root.name === 'qti-assessment-test')
    throw new BankError(
      'a test names its items in other files: send the content package (zip)',
      `line ${root.line}`,
    )
  const bank = emptyBank()
  bank.title = root.attributes.title
  readItem(root, bank, new Set(), `qti-assessment-item (line ${root.line})`)
  return bank
}

/** Relative hrefs resolved against the file that holds them; nothing climbs out of the package. */
const resolve = (base: string, href: string) => {
  const parts = [...base.split('/').slice(0, -1), ...decodeURI(href).split('/')]
  const out: string[] = []
  for (const part of parts) {
    if (part === '..') out.pop()
    else if (part !== '.' && part !== '') out.push(part)
  }
  return out.join('/')
}

/** A QTI 3.0 content package: the manifest's items, in its test's order when it has one. */
export async function readQtiPackage(bytes: Uint8Array): Promise<Bank> {
  try {
    const zip = openZip(bytes)
    const text = async (name: string) => {
      const entry = await zip.read(name)
      if (!entry) throw new BankError('the manifest names a file the package lacks', name)
      return decodeUtf8(entry)
    }
    if (!zip.names.includes('imsmanifest.xml'))
      throw new BankError('a content package has imsmanifest.xml at its root', 'imsmanifest.xml')
    const manifest = parseIn(await text('imsmanifest.xml'), 'imsmanifest.xml')
    const resources = [...descendants(manifest)].filter((e) => e.name === 'resource')
    const hrefOf = (type: string) =>
      resources.filter((r) => (r.attributes.type ?? '').startsWith(type)).map((r) => r.attributes.href ?? '')
    const bank = emptyBank()
    let items = hrefOf('imsqti_item_xmlv3p0')
    const [testHref] = hrefOf('imsqti_test_xmlv3p0')
    if (testHref) {
      const test = parseIn(await text(testHref), testHref)
      bank.title = test.attributes.title
      const refs = [...descendants(test)].filter((e) => e.name === 'qti-assessment-item-ref')
      items = refs.map((ref) => resolve(testHref, ref.attributes.href ?? ''))
    }
    const taken = new Set<string>()
    for (const href of items) {
      const item = parseIn(await text(href), href)
      bank.title ??= item.attributes.title
      readItem(item, bank, taken, `${href} (line ${item.line})`)
    }
    return bank
  } catch (error) {
    if (error instanceof ZipError) throw new BankError(error.message, 'the zip archive')
    throw error
  }
}
