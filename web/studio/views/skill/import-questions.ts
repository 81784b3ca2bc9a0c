/**
 * “Import questions…” on a unit: the author picks a GIFT, Moodle XML or QTI file, reads the dry run's
 * report in words (what comes in, what is skipped and where, what changes on the way), then creates
 * the draft activities and lands in the editor of the first.
 */
import { action, UserError } from '../../../action.ts'
import { h } from '../../../dom.ts'
import { announce } from '../../../router.ts'
import { ProblemError, upload } from '../../api.ts'
import { field } from '../catalogue.ts'
import type { DocumentUnit } from './types.ts'

type Report = {
  activities: { id?: string; name: string; questionCount: number }[]
  imported: number
  skipped: { where: string; reason: string }[]
  warnings: string[]
}

const FORMATS = [
  ['gift', 'GIFT (Moodle’s text format)'],
  ['moodle-xml', 'Moodle XML'],
  ['qti', 'QTI 3.0 (an item, or a content package .zip)'],
] as const
type Format = (typeof FORMATS)[number][0]

/** The format a file's name and first bytes suggest. */
async function guessFormat(file: File): Promise<Format> {
  if (/\.zip$/i.test(file.name)) return 'qti'
  if (/\.(gift|txt)$/i.test(file.name)) return 'gift'
  const start = await file.slice(0, 2048).text()
  return /<qti-assessment/.test(start) ? 'qti' : /<quiz[\s>]/.test(start) ? 'moodle-xml' : 'gift'
}

const typeOf = (format: Format, file: File) =>
  format === 'gift' ? 'text/plain' : /\.zip$/i.test(file.name) ? 'application/zip' : 'application/xml'

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function reportView(report: Report, dryRun: boolean) {
  const parts = report.activities.map((a) => `“${a.name}” (${plural(a.questionCount, 'question')})`)
  const verb = dryRun ? 'can be imported into' : 'were imported into'
  return [
    h(
      'p',
      { class: 'import-summary' },
      report.imported === 0
        ? 'No question in this file can be imported.'
        : `${plural(report.imported, 'question')} ${verb} ${plural(parts.length, 'draft activity', 'draft activities')}: ${parts.join(', ')}.`,
    ),
    report.skipped.length > 0 &&
      h(
        'div',
        {},
        h('h4', {}, `${plural(report.skipped.length, 'question')} skipped`),
        h(
          'ul',
          { class: 'import-skipped' },
          report.skipped.map((s) => h('li', {}, `${capitalised(s.where)}: ${s.reason}`)),
        ),
      ),
    report.warnings.length > 0 &&
      h(
        'div',
        {},
        h('h4', {}, 'Changed on the way in'),
        h(
          'ul',
          { class: 'import-warnings' },
          report.warnings.map((w) => h('li', {}, capitalised(w))),
        ),
      ),
  ]
}

export function importQuestions(unit: DocumentUnit) {
  const id = (name: string) => `import-${unit.id}-${name}`
  const file = h('input', { id: id('file'), name: 'file', type: 'file', accept: '.gift,.txt,.xml,.zip' })
  const format = h(
    'select',
    { id: id('format'), name: 'format' },
    FORMATS.map(([value, label]) => h('option', { value }, label)),
  )
  const name = field(
    'Name for the new activity (optional: otherwise the file’s category or title)',
    `${unit.id}-import-name`,
    {
      maxlength: 200,
    },
  )
  const report = h('div', { class: 'import-report', 'aria-live': 'polite' })
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0]
    if (chosen) format.value = await guessFormat(chosen)
    report.replaceChildren()
    create.hidden = true
  })
  const send = async (dryRun: boolean) => {
    const chosen = file.files?.[0]
    if (!chosen) throw new UserError('Choose a file first.')
    const chosenFormat = format.value as Format
    const query = new URLSearchParams({ format: chosenFormat, dryRun: String(dryRun) })
    const typed = name.querySelector('input')?.value.trim()
    if (typed) query.set('name', typed)
    try {
      return await upload<Report>(
        `/v1/admin/units/${unit.id}/activities/import?${query}`,
        chosen,
        typeOf(chosenFormat, chosen),
      )
    } catch (failure) {
      if (failure instanceof ProblemError && failure.problem?.errors?.length) {
        report.replaceChildren(
          h('p', {}, failure.message),
          h(
            'ul',
            { class: 'import-skipped' },
            failure.problem.errors.map((e) => h('li', {}, e.detail)),
          ),
        )
      }
      throw failure instanceof ProblemError ? new UserError(failure.message) : failure
    }
  }
  const check = action(
    'Check the file',
    async () => {
      const result = await send(true)
      report.replaceChildren(h('div', {}, ...reportView(result, true)))
      create.hidden = result.imported === 0
    },
    'secondary',
  )
  const create = action('Create the draft activity', async () => {
    const result = await send(false)
    const [first] = result.activities
    if (first?.id) location.hash = `#/activities/${first.id}`
    const parts = result.activities.length
    announce(
      `Imported ${plural(result.imported, 'question')} into ${plural(parts, 'draft activity', 'draft activities')}.`,
    )
  })
  create.hidden = true
  return h(
    'details',
    { class: 'unit-import' },
    h('summary', {}, `Import questions into “${unit.name}”…`),
    h(
      'p',
      { class: 'hint' },
      'From GIFT, Moodle XML or QTI 3.0: check the file first, then create a draft activity.',
    ),
    h('p', { class: 'field' }, h('label', { for: id('file') }, `Question file for “${unit.name}”`), file),
    h('p', { class: 'field' }, h('label', { for: id('format') }, 'Its format'), format),
    name,
    check,
    report,
    create,
  )
}
