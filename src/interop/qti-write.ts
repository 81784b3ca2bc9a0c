/**
 * An activity as a QTI 3.0 content package: imsmanifest.xml, a test listing the items in order, and an
 * item per question. Response processing is written out (not a template) so that a tolerance, several
 * accepted texts, choice feedback and the explanation are all said in QTI's own terms; qti-read.ts
 * reads the same shapes back. Parameterised questions are not exported: QTI's template processing has
 * no counterpart of our expressions and constraints that we could check, so they are named instead.
 */
import type { Question } from '../content/schema.ts'
import { element, escapeXml } from './xml.ts'
import { writeZip } from './zip.ts'

const ASI = 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0'
const ASI_XSD = 'https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd'
const CP = 'http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1'
const CP_XSD = 'https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd'
const XSI = 'http://www.w3.org/2001/XMLSchema-instance'
const PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n'

/** QTI identifiers are NCNames: ours may start with a digit, so those gain a "_" (qti-read.ts drops it). */
const qtiIdentifier = (id: string) => (/^[A-Za-z_]/.test(id) ? id : `_${id}`)

/** Plain text as XHTML paragraphs. */
const paragraphs = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => element('p', {}, escapeXml(line)))
    .join('')

const value = (text: string) => element('qti-value', {}, escapeXml(text))
const baseValue = (type: string, text: string) =>
  element('qti-base-value', { 'base-type': type }, escapeXml(text))
const variable = element('qti-variable', { identifier: 'RESPONSE' })
const correct = element('qti-correct', { identifier: 'RESPONSE' })
const setOutcome = (identifier: string, expression: string) =>
  element('qti-set-outcome-value', { identifier }, expression)

function outcome(identifier: string, cardinality: string, baseType: string, fallback?: string) {
  const defaults = fallback === undefined ? [] : [element('qti-default-value', {}, value(fallback))]
  return element('qti-outcome-declaration', { identifier, cardinality, 'base-type': baseType }, ...defaults)
}

type Parts = {
  cardinality: string
  baseType: string
  correct: string[]
  interaction: string
  condition: string
}

function partsOf(question: Question): Parts {
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      const single = question.kind === 'single_choice'
      const choices = question.choices.map((c) => {
        const said = c.feedback
          ? element(
              'qti-feedback-inline',
              { 'outcome-identifier': 'FEEDBACK', identifier: qtiIdentifier(c.id), 'show-hide': 'show' },
              escapeXml(c.feedback),
            )
          : ''
        return element('qti-simple-choice', { identifier: qtiIdentifier(c.id) }, escapeXml(c.text), said)
      })
      const interaction = element(
        'qti-choice-interaction',
        {
          'response-identifier': 'RESPONSE',
          'max-choices': single ? 1 : question.choices.length,
          shuffle: 'false',
        },
        element('qti-prompt', {}, paragraphs(question.prompt)),
        ...choices,
      )
      return {
        cardinality: single ? 'single' : 'multiple',
        baseType: 'identifier',
        correct: (single ? [question.answer] : question.answers).map(qtiIdentifier),
        interaction,
        condition: element('qti-match', {}, variable, correct),
      }
    }
    case 'numeric': {
      const tolerance = question.tolerance
      return {
        cardinality: 'single',
        baseType: 'float',
        correct: [String(question.answer)],
        interaction:
          paragraphs(question.prompt) +
          element('p', {}, element('qti-text-entry-interaction', { 'response-identifier': 'RESPONSE' })),
        condition:
          tolerance === 0
            ? element('qti-equal', { 'tolerance-mode': 'exact' }, variable, correct)
            : element(
                'qti-equal',
                { 'tolerance-mode': 'absolute', tolerance: `${tolerance} ${tolerance}` },
                variable,
                correct,
              ),
      }
    }
    case 'short_text':
      return {
        cardinality: 'single',
        baseType: 'string',
        correct: [question.acceptedAnswers[0] as string],
        interaction:
          paragraphs(question.prompt) +
          element('p', {}, element('qti-text-entry-interaction', { 'response-identifier': 'RESPONSE' })),
        condition: element(
          'qti-or',
          {},
          ...question.acceptedAnswers.map((a) =>
            element('qti-string-match', { 'case-sensitive': 'false' }, variable, baseValue('string', a)),
          ),
        ),
      }
  }
}

function writeItem(question: Question): string {
  const parts = partsOf(question)
  const hasChoiceFeedback = 'choices' in question && question.choices.some((c) => c.feedback)
  const declarations = [
    element(
      'qti-response-declaration',
      { identifier: 'RESPONSE', cardinality: parts.cardinality, 'base-type': parts.baseType },
      element('qti-correct-response', {}, ...parts.correct.map(value)),
    ),
    outcome('SCORE', 'single', 'float', '0'),
    outcome('MAXSCORE', 'single', 'float', String(question.points)),
    ...(hasChoiceFeedback ? [outcome('FEEDBACK', parts.cardinality, 'identifier')] : []),
    ...(question.explanation ? [outcome('SOLUTION', 'single', 'identifier')] : []),
  ]
  const processing = element(
    'qti-response-processing',
    {},
    element(
      'qti-response-condition',
      {},
      element(
        'qti-response-if',
        {},
        parts.condition,
        setOutcome('SCORE', baseValue('float', String(question.points))),
      ),
    ),
    hasChoiceFeedback ? setOutcome('FEEDBACK', variable) : '',
    question.explanation ? setOutcome('SOLUTION', baseValue('identifier', 'SHOWN')) : '',
  )
  const explanation = question.explanation
    ? element(
        'qti-modal-feedback',
        { 'outcome-identifier': 'SOLUTION', identifier: 'SHOWN', 'show-hide': 'show' },
        element('qti-content-body', {}, paragraphs(question.explanation)),
      )
    : ''
  return (
    PROLOGUE +
    element(
      'qti-assessment-item',
      {
        xmlns: ASI,
        'xmlns:xsi': XSI,
        'xsi:schemaLocation': `${ASI} ${ASI_XSD}`,
        identifier: qtiIdentifier(question.id),
        title: question.id,
        adaptive: 'false',
        'time-dependent': 'false',
      },
      ...declarations,
      element('qti-item-body', {}, parts.interaction),
      processing,
      explanation,
    )
  )
}

const itemHref = (question: Question) => `items/${qtiIdentifier(question.id)}.xml`

function writeTest(name: string, questions: readonly Question[]): string {
  const refs = questions.map((q) =>
    element('qti-assessment-item-ref', { identifier: qtiIdentifier(q.id), href: `../${itemHref(q)}` }),
  )
  return (
    PROLOGUE +
    element(
      'qti-assessment-test',
      {
        xmlns: ASI,
        'xmlns:xsi': XSI,
        'xsi:schemaLocation': `${ASI} ${ASI_XSD}`,
        identifier: 'activity',
        title: name,
      },
      element(
        'qti-test-part',
        { identifier: 'part', 'navigation-mode': 'nonlinear', 'submission-mode': 'simultaneous' },
        element('qti-assessment-section', { identifier: 'section', title: name, visible: 'true' }, ...refs),
      ),
    )
  )
}

function writeManifest(questions: readonly Question[]): string {
  const resource = (identifier: string, type: string, href: string, ...dependencies: string[]) =>
    element(
      'resource',
      { identifier, type, href },
      element('file', { href }),
      ...dependencies.map((d) => element('dependency', { identifierref: d })),
    )
  const items = questions.map((q) =>
    resource(`item-${qtiIdentifier(q.id)}`, 'imsqti_item_xmlv3p0', itemHref(q)),
  )
  const test = resource(
    'test',
    'imsqti_test_xmlv3p0',
    'tests/activity.xml',
    ...questions.map((q) => `item-${qtiIdentifier(q.id)}`),
  )
  return (
    PROLOGUE +
    element(
      'manifest',
      {
        xmlns: CP,
        'xmlns:xsi': XSI,
        'xsi:schemaLocation': `${CP} ${CP_XSD}`,
        identifier: 'MANIFEST-activity',
      },
      element('metadata', {}, element('schema', {}, 'QTI Package'), element('schemaversion', {}, '3.0.0')),
      element('organizations', {}),
      element('resources', {}, test, ...items),
    )
  )
}

export type WrittenPackage = { file: Uint8Array<ArrayBuffer>; skipped: { id: string; reason: string }[] }

/** The package of an activity's questions; parameterised ones are named in `skipped`. */
export function writeQtiPackage(name: string, questions: readonly Question[]): WrittenPackage {
  const kept = questions.filter((q) => !q.variables)
  const skipped = questions
    .filter((q) => q.variables)
    .map((q) => ({ id: q.id, reason: 'parameterised questions are not exported to QTI' }))
  const file = writeZip([
    { name: 'imsmanifest.xml', text: writeManifest(kept) },
    { name: 'tests/activity.xml', text: writeTest(name, kept) },
    ...kept.map((q) => ({ name: itemHref(q), text: writeItem(q) })),
  ])
  return { file, skipped }
}
