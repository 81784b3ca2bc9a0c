/**
 * An activity as Moodle XML: a category named after it, then each question as Moodle writes its own
 * (`multichoice`, `shortanswer`, `numerical`); parameterised numeric questions as `calculated`, with
 * dataset items drawn by our own rules (Moodle keeps no constraints, so a constrained one is skipped). What Moodle cannot hold is
 * named in `skipped` and in a comment where it would be.
 */
import { sampleInstances } from '../content/authoring-check.ts'
import type { Question } from '../content/schema.ts'
import { formatNumber } from '../content/template.ts'
import { FormulaError, mapFormulasInText, toMoodleFormula } from './formula.ts'
import { textToHtml } from './html-text.ts'
import { element, escapeXml } from './xml.ts'

const text = (value: string) => element('text', {}, escapeXml(value))
const htmlField = (name: string, value: string) => element(name, { format: 'html' }, text(textToHtml(value)))
const feedback = (said: string | undefined) => (said ? htmlField('feedback', said) : '')

function answer(fraction: number, value: string, extra = '') {
  return element(
    'answer',
    { fraction, format: 'plain_text' },
    text(value),
    extra || element('feedback', {}, text('')),
  )
}

/** Moodle's grade for one of `count` right answers: its grades have five decimals. */
const shareOf = (count: number) => Number((100 / count).toFixed(5))

function calculatedParts(question: Question & { kind: 'numeric' }): { answer: string; datasets: string } {
  const variables = question.variables ?? {}
  const names = new Set(Object.keys(variables))
  const samples = sampleInstances(question, 20).flatMap((s) => ('question' in s ? [s.values] : []))
  const definitions = Object.entries(variables).map(([name, spec]) => {
    if (!('min' in spec)) throw new FormulaError('variables drawn from a list have no Moodle form')
    const decimals = spec.decimals ?? 0
    if (Math.abs(spec.step - 10 ** -decimals) > 1e-12)
      throw new FormulaError(`{${name}} steps by ${spec.step}; Moodle steps by 1, 0.1, 0.01…`)
    const items = samples.map((values, i) =>
      element(
        'dataset_item',
        {},
        element('number', {}, String(i + 1)),
        element('value', {}, String(values.get(name))),
      ),
    )
    return element(
      'dataset_definition',
      {},
      element('status', {}, text('private')),
      element('name', {}, text(name)),
      element('type', {}, 'calculated'),
      element('distribution', {}, text('uniform')),
      element('minimum', {}, text(formatNumber(spec.min))),
      element('maximum', {}, text(formatNumber(spec.max))),
      element('decimals', {}, text(String(decimals))),
      element('itemcount', {}, String(items.length)),
      element('dataset_items', {}, ...items),
      element('number_of_items', {}, String(items.length)),
    )
  })
  return {
    answer: toMoodleFormula(String(question.answer), names),
    datasets: element('dataset_definitions', {}, ...definitions),
  }
}

function body(question: Question): { type: string; parts: string[] } {
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      const right = question.kind === 'single_choice' ? [question.answer] : question.answers
      const fractionOf = (id: string) =>
        right.includes(id) ? shareOf(right.length) : question.kind === 'single_choice' ? 0 : -100
      return {
        type: 'multichoice',
        parts: [
          element('single', {}, String(question.kind === 'single_choice')),
          element('shuffleanswers', {}, 'false'),
          element('answernumbering', {}, 'abc'),
          ...question.choices.map((c) =>
            element(
              'answer',
              { fraction: fractionOf(c.id), format: 'html' },
              text(textToHtml(c.text)),
              feedback(c.feedback),
            ),
          ),
        ],
      }
    }
    case 'short_text':
      return {
        type: 'shortanswer',
        parts: [element('usecase', {}, '0'), ...question.acceptedAnswers.map((a) => answer(100, a))],
      }
    case 'numeric': {
      if (!question.variables) {
        const tolerance = element('tolerance', {}, String(question.tolerance))
        return { type: 'numerical', parts: [answer(100, String(question.answer), tolerance)] }
      }
      const { answer: formula, datasets } = calculatedParts(question)
      const tolerance = [
        element('tolerance', {}, String(question.tolerance)),
        element('tolerancetype', {}, '2'),
        element('correctanswerformat', {}, '2'),
        element('correctanswerlength', {}, '9'),
      ].join('')
      return {
        type: 'calculated',
        parts: [
          element('synchronize', {}, '0'),
          element('single', {}, '0'),
          answer(100, formula, tolerance),
          datasets,
        ],
      }
    }
  }
}

export type Written = { file: string; skipped: { id: string; reason: string }[] }

/** An activity's questions as Moodle XML, in a category named after the activity. */
export function writeMoodleXml(name: string, questions: readonly Question[], note: string): Written {
  const skipped: Written['skipped'] = []
  const category = element(
    'question',
    { type: 'category' },
    element('category', {}, text(`$course$/top/${name.replaceAll('/', '-')}`)),
  )
  const written = questions.flatMap((question) => {
    if (question.variables && (question.kind !== 'numeric' || question.constraints?.length)) {
      const reason =
        question.kind === 'numeric'
          ? 'Moodle keeps no constraints'
          : 'only numeric parameterised questions have a Moodle form'
      skipped.push({ id: question.id, reason })
      return [`<!-- Not exported: ${question.id} (${reason}) -->`]
    }
    try {
      const { type, parts } = body(question)
      const variables = new Set(Object.keys(question.variables ?? {}))
      const moodle = (value: string) =>
        question.variables ? mapFormulasInText(value, (f) => toMoodleFormula(f, variables)) : value
      return [
        element(
          'question',
          { type },
          element('name', {}, text(question.id)),
          htmlField('questiontext', moodle(question.prompt)),
          question.explanation ? htmlField('generalfeedback', moodle(question.explanation)) : '',
          element('defaultgrade', {}, String(question.points)),
          element('penalty', {}, '0'),
          element('hidden', {}, '0'),
          ...parts,
        ),
      ]
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error
      skipped.push({ id: question.id, reason: error.message })
      return [`<!-- Not exported: ${question.id} (${error.message.replace(/--/g, '—')}) -->`]
    }
  })
  const file = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- ${note.replace(/--/g, '—')} -->`,
    '<quiz>',
    category,
    ...written,
    '</quiz>',
    '',
  ].join('\n')
  return { file, skipped }
}
